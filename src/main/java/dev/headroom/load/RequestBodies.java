package dev.headroom.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headroom.workload.Conversation;
import dev.headroom.workload.Message;
import dev.headroom.workload.Prompt;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The JSON body of one streamed request, as vLLM bench serve sends it: {@code stream} with
 * {@code stream_options.include_usage}, {@code max_tokens}, and for exact output lengths vLLM's
 * {@code ignore_eos} and {@code min_tokens}; {@code --extra-body} keys are merged last and win.
 */
public final class RequestBodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestBodies() {}

    /** The body for {@code prompt}; {@code extraBody} may be empty. */
    public static byte[] build(Api api, String model, Prompt prompt, boolean exactOutput, Map<String, Object> extraBody) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        if (api == Api.CHAT) {
            ArrayNode messages = body.putArray("messages");
            if (prompt.system() != null) messages.addObject().put("role", "system").put("content", prompt.system());
            messages.addObject().put("role", "user").put("content", prompt.user());
        } else {
            body.put("prompt", prompt.completionText());
        }
        return finish(body, prompt.outputTokens(), exactOutput, extraBody);
    }

    private static byte[] finish(ObjectNode body, int outputTokens, boolean exactOutput, Map<String, Object> extraBody) {
        body.put("max_tokens", outputTokens);
        if (exactOutput) {
            body.put("ignore_eos", true);
            body.put("min_tokens", outputTokens);
        }
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        extraBody.forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The body of one session turn: its whole history as {@code messages} (chat), or the history as one prompt
     * text (completions, {@link Conversation#completionText()}); {@code max_tokens} is the turn's output length.
     */
    public static byte[] build(Api api, String model, Conversation turn, boolean exactOutput, Map<String, Object> extraBody) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        if (api == Api.CHAT) {
            ArrayNode messages = body.putArray("messages");
            for (Message m : turn.messages()) messages.addObject().put("role", m.role()).put("content", m.content());
        } else {
            body.put("prompt", turn.completionText());
        }
        return finish(body, turn.outputTokens(), exactOutput, extraBody);
    }

    /** Parses {@code --extra-body} JSON into an object's fields; one clear line when it is not a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseExtraBody(String json) {
        try {
            Object value = JSON.readValue(json, Object.class);
            if (value instanceof Map<?, ?> map) return (Map<String, Object>) map;
        } catch (JsonProcessingException e) {
            // Reported below with the accepted form.
        }
        throw new IllegalArgumentException("--extra-body '" + json + "' is not a JSON object; use e.g. '{\"temperature\":0}'");
    }
}
