package dev.headroom.server;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The chat template the simulator applies before counting prompt tokens: ChatML role markers, the template
 * the Qwen2.5 instruct models ship, without model-specific default system prompts or tool sections.
 * Each message becomes {@code <|im_start|>ROLE\nCONTENT<|im_end|>\n}; with {@code add_generation_prompt}
 * (the default, as in vLLM) the text ends with {@code <|im_start|>assistant\n}. The template text is then
 * encoded with the server's {@link Tokenizer}, so prompt_tokens include the template, as in vLLM.
 */
final class ChatTemplate {

    private ChatTemplate() {}

    /** The prompt text for {@code messages} (a JSON array of {@code {role, content}}). */
    static String render(JsonNode messages, boolean addGenerationPrompt) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject() || !message.path("role").isTextual()) {
                throw ApiError.validation("[{'type': 'missing', 'loc': ('body', 'messages', " + i
                        + ", 'role'), 'msg': 'Field required'}]");
            }
            text.append("<|im_start|>").append(message.get("role").asText()).append('\n')
                    .append(content(message.path("content"))).append("<|im_end|>\n");
        }
        if (addGenerationPrompt) text.append("<|im_start|>assistant\n");
        return text.toString();
    }

    /** A message's text: a string, or the concatenated {@code text} of {@code [{type:"text", text}]} parts. */
    private static String content(JsonNode content) {
        if (content.isTextual()) return content.asText();
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.isTextual()) {
                    text.append(part.asText());
                } else if (part.path("text").isTextual()) {
                    text.append(part.get("text").asText());
                }
            }
            return text.toString();
        }
        return "";
    }
}
