package dev.headroom.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A validated generation request: what the engine needs plus how to answer.
 *
 * @param api             chat or completions
 * @param model           the model named in the body, or null when omitted (vLLM accepts that)
 * @param promptTokenIds  the prompt after the chat template, tokenized
 * @param maxTokens       output cap; when the body omits it, {@code max_model_len - prompt} as vLLM does
 * @param minTokens       vLLM's {@code min_tokens}
 * @param ignoreEos       vLLM's {@code ignore_eos}
 * @param stream          SSE or one JSON body
 * @param includeUsage    {@code stream_options.include_usage}: a final usage chunk
 * @param continuousUsage {@code stream_options.continuous_usage_stats} (only with includeUsage): usage on every chunk
 */
record GenerationRequest(
        Api api,
        String model,
        int[] promptTokenIds,
        int maxTokens,
        int minTokens,
        boolean ignoreEos,
        boolean stream,
        boolean includeUsage,
        boolean continuousUsage) {

    /** Parses and validates a request body; throws {@link ApiError} with vLLM's status and message. */
    static GenerationRequest parse(Api api, byte[] body, Tokenizer tokenizer, int maxModelLen) {
        JsonNode root = readObject(body);
        String model = root.path("model").isTextual() ? root.get("model").asText() : null;
        int[] prompt = promptTokens(api, root, tokenizer);
        if (prompt.length == 0) throw ApiError.badRequest("The prompt cannot be empty.");
        Integer requested = maxTokensField(api, root);
        int maxTokens = checkContextLength(prompt.length, requested, maxModelLen);
        int minTokens = root.path("min_tokens").asInt(0);
        if (minTokens < 0) throw ApiError.badRequest("min_tokens must be greater than or equal to 0, got " + minTokens + ".");
        if (minTokens > maxTokens) {
            throw ApiError.badRequest("min_tokens must be less than or equal to max_tokens=" + maxTokens + ", got "
                    + minTokens + ".");
        }
        if (root.path("n").asInt(1) != 1) throw ApiError.badRequest("headroom sim serves n=1 only.");
        boolean stream = root.path("stream").asBoolean(false);
        JsonNode options = root.path("stream_options");
        boolean hasOptions = options.isObject();
        if (hasOptions && !stream) {
            // vllm/entrypoints/openai/protocol.py validate_stream_options
            throw ApiError.validation("Value error, Stream options can only be defined when `stream=True`.");
        }
        // protocol.py StreamOptions: include_usage defaults to True once stream_options is given
        boolean includeUsage = hasOptions && options.path("include_usage").asBoolean(true);
        boolean continuous = includeUsage && options.path("continuous_usage_stats").asBoolean(false);
        return new GenerationRequest(api, model, prompt, maxTokens, minTokens,
                root.path("ignore_eos").asBoolean(false), stream, includeUsage, continuous);
    }

    private static JsonNode readObject(byte[] body) {
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            if (root == null || !root.isObject()) {
                throw ApiError.validation("[{'type': 'model_attributes_type', 'loc': ('body',), "
                        + "'msg': 'Input should be a valid dictionary or object to extract fields from'}]");
            }
            return root;
        } catch (JsonProcessingException e) {
            // FastAPI answers undecodable bodies with a RequestValidationError of type json_invalid
            throw ApiError.validation("[{'type': 'json_invalid', 'loc': ('body', " + e.getLocation().getCharOffset()
                    + "), 'msg': 'JSON decode error', 'input': {}, 'ctx': {'error': '"
                    + e.getOriginalMessage().replace('\'', '"') + "'}}]");
        } catch (java.io.IOException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private static int[] promptTokens(Api api, JsonNode root, Tokenizer tokenizer) {
        if (api == Api.CHAT) {
            JsonNode messages = root.path("messages");
            if (!messages.isArray()) throw missing("messages");
            return tokenizer.encodeChat(ChatTemplate.messages(messages),
                    root.path("add_generation_prompt").asBoolean(true));
        }
        JsonNode prompt = root.path("prompt");
        if (prompt.isTextual()) return tokenizer.encode(prompt.asText());
        if (prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
            return tokenizer.encode(prompt.get(0).asText());
        }
        if (prompt.isMissingNode() || prompt.isNull()) throw missing("prompt");
        throw ApiError.badRequest("headroom sim accepts one text prompt per request (a string or a one-element list).");
    }

    private static Integer maxTokensField(Api api, JsonNode root) {
        // serving_chat.py: max_completion_tokens wins over the deprecated max_tokens
        JsonNode field = api == Api.CHAT && root.path("max_completion_tokens").isNumber()
                ? root.get("max_completion_tokens") : root.path("max_tokens");
        if (!field.isNumber()) return null;
        int value = field.asInt();
        if (value < 1) throw ApiError.badRequest("max_tokens must be at least 1, got " + value + ".");
        return value;
    }

    /**
     * vLLM's context check and default ({@code vllm/entrypoints/openai/serving_engine.py _validate_input},
     * v0.10): the output cap a request may use, or a 400 with vLLM's message.
     */
    static int checkContextLength(int promptTokens, Integer maxTokens, int maxModelLen) {
        if (maxTokens == null) {
            if (promptTokens >= maxModelLen) {
                throw ApiError.badRequest("This model's maximum context length is " + maxModelLen
                        + " tokens. However, you requested " + promptTokens + " tokens in the messages, "
                        + "Please reduce the length of the messages.");
            }
            return maxModelLen - promptTokens;
        }
        if (promptTokens + maxTokens > maxModelLen) {
            throw ApiError.badRequest("This model's maximum context length is " + maxModelLen
                    + " tokens. However, you requested " + (maxTokens + promptTokens) + " tokens (" + promptTokens
                    + " in the messages, " + maxTokens + " in the completion). "
                    + "Please reduce the length of the messages or completion.");
        }
        return maxTokens;
    }

    private static ApiError missing(String field) {
        return ApiError.validation("[{'type': 'missing', 'loc': ('body', '" + field + "'), 'msg': 'Field required'}]");
    }
}
