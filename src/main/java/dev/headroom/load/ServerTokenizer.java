package dev.headroom.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headroom.workload.TokenCounter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Counts tokens with the target's own {@code POST /tokenize} (vLLM: {@code {"model","prompt"}} or
 * {@code {"model","messages"}} → {@code {"count", …}}), so prompt lengths match what the server will see;
 * for the chat API the chat form counts the template too (vllm/entrypoints/openai/protocol.py TokenizeChatRequest).
 */
public final class ServerTokenizer implements TokenCounter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final StreamingClient client;
    private final String model;
    private final boolean chat;

    private ServerTokenizer(StreamingClient client, String model, boolean chat) {
        this.client = client;
        this.model = model;
        this.chat = chat;
    }

    /** The server's tokenizer when {@code /tokenize} answers a probe with a count, else empty. */
    public static Optional<TokenCounter> probe(StreamingClient client, String model, Api api) {
        ServerTokenizer tokenizer = new ServerTokenizer(client, model, api == Api.CHAT);
        try {
            return tokenizer.tryCount(null, "hello world") > 0 ? Optional.of(tokenizer) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public int count(String system, String user) {
        try {
            int count = tryCount(system, user);
            if (count < 0) throw new IOException("no count in the /tokenize answer");
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException("the server's /tokenize failed while building prompts: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "server";
    }

    private int tryCount(String system, String user) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        if (chat) {
            ArrayNode messages = body.putArray("messages");
            if (system != null) messages.addObject().put("role", "system").put("content", system);
            messages.addObject().put("role", "user").put("content", user);
        } else {
            body.put("prompt", system == null ? user : system + "\n\n" + user);
        }
        StreamingClient.Response response = client.send("POST", "/tokenize", JSON.writeValueAsBytes(body), TIMEOUT);
        if (response.status() != 200) throw new IOException("/tokenize answered HTTP " + response.status());
        JsonNode count = JSON.readTree(response.body()).path("count");
        return count.canConvertToInt() ? count.asInt() : -1;
    }
}
