package dev.headroom.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headroom.workload.TokenCounter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Counts tokens with the target's own {@code POST /tokenize}, in the first of three forms it answers:
 * <ul>
 *   <li>{@link Form#MESSAGES}: vLLM's chat form {@code {"model","messages"}} → {@code {"count","tokens"}}, chat
 *       template included (vllm/entrypoints/openai/protocol.py TokenizeChatRequest); tried for the chat API only;</li>
 *   <li>{@link Form#PROMPT}: vLLM's and SGLang's {@code {"model","prompt"}} → {@code {"count","tokens"}}
 *       (sglang/srt/entrypoints/openai/serving_tokenize.py, which has no chat form);</li>
 *   <li>{@link Form#CONTENT}: llama.cpp's {@code {"content","add_special"}} → {@code {"tokens":[…]}}
 *       (tools/server/server.cpp handle_tokenize, which answers {@code {"tokens":[]}} to any other body).</li>
 * </ul>
 * Without a chat form, a chat prompt is counted as its text, so the template's few tokens per message are missed;
 * {@link #warning()} says so.
 */
public final class ServerTokenizer implements TokenCounter {

    /** The request form a server's {@code /tokenize} understood. */
    public enum Form {
        MESSAGES("vLLM's chat form"),
        PROMPT("the vLLM/SGLang prompt form"),
        CONTENT("llama.cpp's content form");

        private final String label;

        Form(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One answer of the server: status and body. */
    public record Answer(int status, byte[] body) {}

    /** Posts a JSON body to a path of the target; thread-safe. */
    @FunctionalInterface
    public interface Transport {
        Answer post(String path, byte[] body) throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PROBE_TEXT = "hello world";

    private final Transport transport;
    private final String model;
    private final Form form;
    private final boolean chatApi;

    private ServerTokenizer(Transport transport, String model, Form form, boolean chatApi) {
        this.transport = transport;
        this.model = model;
        this.form = form;
        this.chatApi = chatApi;
    }

    /**
     * The server's tokenizer, or cl100k_base whose {@link TokenCounter#warning()} says why the server's could not
     * be used (no {@code /tokenize}, an HTTP error, or an answer in no known form).
     */
    public static TokenCounter detect(Transport transport, String model, boolean chatApi) {
        String failure = "/tokenize is not reachable";
        for (Form form : Form.values()) {
            if (form == Form.MESSAGES && !chatApi) continue;
            ServerTokenizer candidate = new ServerTokenizer(transport, model, form, chatApi);
            try {
                Answer answer = candidate.post(null, PROBE_TEXT);
                if (answer.status() == 404) {
                    failure = "the server has no /tokenize (HTTP 404)";
                    break;
                }
                if (answer.status() == 200 && candidate.read(answer) > 0) return candidate;
                failure = answer.status() == 200 ? "/tokenize answered in no form headroom knows (vLLM, SGLang, llama.cpp)"
                        : "/tokenize answered HTTP " + answer.status();
            } catch (IOException | RuntimeException e) {
                failure = "/tokenize failed: " + e.getMessage();
            }
        }
        return TokenCounter.cl100k().withWarning(failure + "; prompt lengths are counted with cl100k_base and may "
                + "differ from the server's count");
    }

    /** The transport over headroom's client. */
    public static Transport transport(StreamingClient client) {
        return (path, body) -> {
            StreamingClient.Response response = client.send("POST", path, body, TIMEOUT);
            return new Answer(response.status(), response.body());
        };
    }

    public Form form() {
        return form;
    }

    @Override
    public int count(String system, String user) {
        try {
            Answer answer = post(system, user);
            if (answer.status() != 200) throw new IOException("/tokenize answered HTTP " + answer.status());
            int count = read(answer);
            if (count < 0) throw new IOException("no token count in the /tokenize answer");
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException("the server's /tokenize failed while building prompts: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "server";
    }

    @Override
    public String warning() {
        if (!chatApi || form == Form.MESSAGES) return null;
        return "the server's /tokenize takes " + form.label() + " and has no chat form: prompt lengths leave out "
                + "the chat template's tokens (a few per message)";
    }

    private Answer post(String system, String user) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        String text = system == null ? user : system + "\n\n" + user;
        switch (form) {
            case MESSAGES -> {
                body.put("model", model);
                ArrayNode messages = body.putArray("messages");
                if (system != null) messages.addObject().put("role", "system").put("content", system);
                messages.addObject().put("role", "user").put("content", user);
            }
            case PROMPT -> body.put("model", model).put("prompt", text);
            // The BOS token counts: llama-server's completions tokenize with add_special (server.cpp).
            case CONTENT -> body.put("content", text).put("add_special", true);
        }
        return transport.post("/tokenize", JSON.writeValueAsBytes(body));
    }

    /** The token count in an answer, or -1: {@code count} for vLLM/SGLang, the {@code tokens} list for llama.cpp. */
    private int read(Answer answer) throws IOException {
        JsonNode root = JSON.readTree(answer.body());
        if (form != Form.CONTENT) {
            JsonNode count = root.path("count");
            return count.canConvertToInt() ? count.asInt() : -1;
        }
        JsonNode tokens = root.path("tokens");
        return tokens.isArray() ? tokens.size() : -1;
    }
}
