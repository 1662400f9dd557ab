package dev.headroom.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The chat template the simulator applies before counting prompt tokens: ChatML role markers, the template
 * the Qwen2.5 instruct models ship, without model-specific default system prompts or tool sections.
 * Each message becomes {@code <|im_start|>ROLE\nCONTENT<|im_end|>\n}; with {@code add_generation_prompt}
 * (the default, as in vLLM) the prompt ends with {@code <|im_start|>assistant\n}. Prompt token counts therefore
 * include the template, as in vLLM.
 */
public final class ChatTemplate {

    private ChatTemplate() {}

    /** The ChatML text of {@code messages}. */
    public static String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder text = new StringBuilder();
        for (ChatMessage message : messages) {
            text.append("<|im_start|>").append(message.role()).append('\n').append(message.content())
                    .append("<|im_end|>\n");
        }
        if (addGenerationPrompt) text.append("<|im_start|>assistant\n");
        return text.toString();
    }

    /** The messages of an OpenAI {@code messages} array; content is a string or a list of text parts. */
    static List<ChatMessage> messages(JsonNode messages) {
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject() || !message.path("role").isTextual()) {
                throw ApiError.validation("[{'type': 'missing', 'loc': ('body', 'messages', " + i
                        + ", 'role'), 'msg': 'Field required'}]");
            }
            out.add(new ChatMessage(message.get("role").asText(), content(message.path("content"))));
        }
        return out;
    }

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
