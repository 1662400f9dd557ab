package dev.headroom.server;

/** The two generation endpoints and the object names and id prefixes vLLM gives their responses. */
enum Api {
    /** {@code POST /v1/chat/completions} (vllm/entrypoints/openai/serving_chat.py). */
    CHAT("/v1/chat/completions", "chat.completion", "chat.completion.chunk", "chatcmpl-"),
    /** {@code POST /v1/completions} (vllm/entrypoints/openai/serving_completion.py). */
    COMPLETIONS("/v1/completions", "text_completion", "text_completion", "cmpl-");

    final String path;
    final String object;
    final String chunkObject;
    final String idPrefix;

    Api(String path, String object, String chunkObject, String idPrefix) {
        this.path = path;
        this.object = object;
        this.chunkObject = chunkObject;
        this.idPrefix = idPrefix;
    }
}
