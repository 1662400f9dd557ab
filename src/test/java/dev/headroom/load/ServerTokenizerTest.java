package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.headroom.workload.TokenCounter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ServerTokenizer} against small servers answering /tokenize as vLLM, SGLang and llama.cpp do. */
class ServerTokenizerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tokens the fake chat template adds per message, and the assistant header. */
    private static final int TEMPLATE_PER_MESSAGE = 4;
    private static final int GENERATION_PROMPT = 3;

    private HttpServer server;
    private StreamingClient client;
    private final AtomicInteger calls = new AtomicInteger();

    enum Dialect { VLLM, SGLANG, LLAMA_CPP, NONE }

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (server != null) server.stop(0);
    }

    private TokenCounter detect(Dialect dialect, boolean chatApi) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> answer(exchange, dialect));
        server.start();
        client = new StreamingClient(Endpoint.parse("http://127.0.0.1:" + server.getAddress().getPort()), Map.of(),
                Duration.ofSeconds(3));
        return ServerTokenizer.detect(ServerTokenizer.transport(client), "m", chatApi);
    }

    @Test
    void vllmChatFormCountsTheTemplate() throws IOException {
        TokenCounter counter = detect(Dialect.VLLM, true);
        assertThat(counter).isInstanceOf(ServerTokenizer.class);
        assertThat(((ServerTokenizer) counter).form()).isEqualTo(ServerTokenizer.Form.MESSAGES);
        assertThat(counter.count("be brief", "one two three"))
                .isEqualTo(2 + 3 + 2 * TEMPLATE_PER_MESSAGE + GENERATION_PROMPT);
        assertThat(counter.warning()).isNull();
        assertThat(counter.name()).isEqualTo("server");
    }

    @Test
    void vllmPromptFormForTheCompletionsApi() throws IOException {
        TokenCounter counter = detect(Dialect.VLLM, false);
        assertThat(((ServerTokenizer) counter).form()).isEqualTo(ServerTokenizer.Form.PROMPT);
        assertThat(counter.count("be brief", "one two three")).isEqualTo(5);
        assertThat(counter.warning()).isNull();
    }

    @Test
    void sglangHasNoChatFormSoTheChatApiCountsTextAndSaysSo() throws IOException {
        TokenCounter counter = detect(Dialect.SGLANG, true);
        assertThat(((ServerTokenizer) counter).form()).isEqualTo(ServerTokenizer.Form.PROMPT);
        assertThat(counter.count(null, "one two three four")).isEqualTo(4);
        assertThat(counter.warning()).contains("has no chat form").contains("prompt form");
    }

    @Test
    void llamaCppContentFormCountsTheTokensListWithBos() throws IOException {
        TokenCounter counter = detect(Dialect.LLAMA_CPP, true);
        assertThat(((ServerTokenizer) counter).form()).isEqualTo(ServerTokenizer.Form.CONTENT);
        assertThat(counter.count("be brief", "one two three")).isEqualTo(1 + 5);
        assertThat(counter.name()).isEqualTo("server");
        assertThat(counter.warning()).contains("llama.cpp's content form").contains("has no chat form");
        assertThat(ServerTokenizer.detect(ServerTokenizer.transport(client), "m", false)).isInstanceOf(ServerTokenizer.class);
    }

    @Test
    void noTokenizeFallsBackToCl100kAndSaysWhy() throws IOException {
        TokenCounter counter = detect(Dialect.NONE, true);
        assertThat(counter.name()).isEqualTo("cl100k_base");
        assertThat(counter.warning()).startsWith("the server has no /tokenize (HTTP 404)");
        assertThat(counter.count(null, "hello world")).isEqualTo(2);
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void aFailingCountAfterAGoodProbeIsAnError() throws IOException {
        TokenCounter counter = detect(Dialect.VLLM, false);
        server.stop(0);
        server = null;
        assertThatThrownBy(() -> counter.count(null, "one")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("/tokenize failed");
    }

    private void answer(HttpExchange exchange, Dialect dialect) throws IOException {
        try (exchange) {
            calls.incrementAndGet();
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            if (dialect == Dialect.NONE || !exchange.getRequestURI().getPath().equals("/tokenize")) {
                send(exchange, 404, "{\"detail\":\"Not Found\"}");
                return;
            }
            switch (dialect) {
                case VLLM, SGLANG -> {
                    if (body.has("messages") && dialect == Dialect.VLLM) {
                        int n = GENERATION_PROMPT;
                        for (JsonNode m : body.get("messages")) n += TEMPLATE_PER_MESSAGE + words(m.get("content").asText());
                        send(exchange, 200, "{\"count\":" + n + ",\"max_model_len\":4096,\"tokens\":[]}");
                    } else if (body.path("prompt").isTextual()) {
                        send(exchange, 200, "{\"count\":" + words(body.get("prompt").asText()) + ",\"tokens\":[]}");
                    } else {
                        send(exchange, 400, "{\"object\":\"error\",\"message\":\"prompt: Field required\"}");
                    }
                }
                default -> {
                    // llama.cpp: no "content", no tokens; add_special adds BOS.
                    StringBuilder tokens = new StringBuilder("[");
                    if (body.has("content")) {
                        int n = words(body.get("content").asText()) + (body.path("add_special").asBoolean() ? 1 : 0);
                        for (int i = 0; i < n; i++) tokens.append(i == 0 ? "" : ",").append(100 + i);
                    }
                    send(exchange, 200, "{\"tokens\":" + tokens + "]}");
                }
            }
        }
    }

    private static int words(String text) {
        String t = text.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
