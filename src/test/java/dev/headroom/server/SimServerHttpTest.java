package dev.headroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The wire format checked byte for byte with a plain HTTP client: SSE framing, errors, small routes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SimServerHttpTest {

    private static final String MODEL = "sim-model";
    private static final int MAX_MODEL_LEN = 256;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ScriptedEngine engine;
    private static SimServer server;

    @BeforeAll
    static void start() throws Exception {
        engine = new ScriptedEngine(TimeUnit.MILLISECONDS.toNanos(2), 1_000);
        server = SimServer.start(engine, SimServerOptions.loopback(MODEL, MAX_MODEL_LEN, new CharTokenizer()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON payloads of an SSE body; asserts every event is {@code data: X\n\n} and the last is [DONE]. */
    static List<JsonNode> events(String body) throws Exception {
        assertThat(body).endsWith("data: [DONE]\n\n");
        List<JsonNode> out = new ArrayList<>();
        for (String event : body.substring(0, body.length() - "data: [DONE]\n\n".length()).split("\n\n")) {
            assertThat(event).startsWith("data: ").doesNotContain("\n");
            out.add(JSON.readTree(event.substring("data: ".length())));
        }
        return out;
    }

    @Test
    void chatStreamWithContinuousUsageHasUsageOnEveryChunk() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", """
                {"model":"sim-model","messages":[{"role":"user","content":"hi"}],"max_tokens":3,"ignore_eos":true,
                 "stream":true,"stream_options":{"include_usage":true,"continuous_usage_stats":true}}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
        List<JsonNode> chunks = events(response.body());
        JsonNode role = chunks.get(0);
        assertThat(role.get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(role.get("choices").get(0).get("delta").toString()).isEqualTo("{\"role\":\"assistant\",\"content\":\"\"}");
        assertThat(role.get("usage").get("completion_tokens").asInt()).isZero();
        int prompt = role.get("usage").get("prompt_tokens").asInt();
        assertThat(prompt).isEqualTo("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n".length());
        List<Integer> completionCounts = chunks.stream().map(c -> c.get("usage").get("completion_tokens").asInt()).toList();
        assertThat(completionCounts).isSorted().endsWith(3, 3);
        JsonNode usage = chunks.get(chunks.size() - 1);
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.get("usage").get("total_tokens").asInt()).isEqualTo(prompt + 3);
        assertThat(chunks).allSatisfy(c -> assertThat(c.get("id").asText()).isEqualTo(role.get("id").asText()));
    }

    @Test
    void theUsageChunkAndAWholeResponseCarryVllmsPerRequestMetrics() throws Exception {
        // As vLLM started with --enable-per-request-metrics (docs/features/per_request_metrics.md).
        List<JsonNode> chunks = events(post("/v1/completions", """
                {"prompt":"abc","max_tokens":4,"ignore_eos":true,"stream":true,"stream_options":{"include_usage":true}}""").body());
        JsonNode last = chunks.get(chunks.size() - 1);
        JsonNode m = last.get("metrics");
        assertThat(last.get("choices")).isEmpty();
        assertThat(m.get("queue_time_ms").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(m.get("time_to_first_token_ms").asDouble()).isGreaterThan(0);
        assertThat(m.get("mean_itl_ms").asDouble()).isCloseTo(m.get("generation_time_ms").asDouble() / 3, within(1e-9));
        double inferenceMs = m.get("time_to_first_token_ms").asDouble() + m.get("generation_time_ms").asDouble();
        assertThat(m.get("tokens_per_second").asDouble()).isCloseTo(4 / (inferenceMs / 1000), within(1e-6 * 4000 / inferenceMs));
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.has("metrics")).isFalse());

        JsonNode whole = JSON.readTree(post("/v1/completions", "{\"prompt\":\"abc\",\"max_tokens\":1}").body());
        assertThat(whole.get("metrics").get("mean_itl_ms").isNull()).isTrue();
        assertThat(whole.get("metrics").get("time_to_first_token_ms").asDouble()).isGreaterThan(0);
    }

    @Test
    void completionStreamChunksAreTextCompletionsWithoutUsageByDefault() throws Exception {
        HttpResponse<String> response = post("/v1/completions",
                "{\"prompt\":\"abc\",\"max_tokens\":2,\"ignore_eos\":true,\"stream\":true}");

        List<JsonNode> chunks = events(response.body());
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.get("object").asText()).isEqualTo("text_completion");
            assertThat(c.has("usage")).isFalse();
            assertThat(c.get("choices").get(0).has("stop_reason")).isTrue();
        });
        assertThat(chunks.get(chunks.size() - 1).get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void promptPlusMaxTokensOverMaxModelLenIsVllmsError() throws Exception {
        String prompt = "x".repeat(200);
        HttpResponse<String> response = post("/v1/completions",
                "{\"model\":\"sim-model\",\"prompt\":\"" + prompt + "\",\"max_tokens\":100}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("""
                {"error":{"message":"This model's maximum context length is 256 tokens. However, you \
                requested 300 tokens (200 in the messages, 100 in the completion). Please reduce the length of the \
                messages or completion.","type":"BadRequestError","param":null,"code":400}}"""));
    }

    @Test
    void promptAloneOverMaxModelLenWithoutMaxTokens() throws Exception {
        HttpResponse<String> response = post("/v1/completions", "{\"prompt\":\"" + "y".repeat(300) + "\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/message").asText()).isEqualTo("This model's maximum context "
                + "length is 256 tokens. However, you requested 300 tokens in the messages, Please reduce the length "
                + "of the messages.");
    }

    @Test
    void badBodiesAndUnknownModelsGetVllmShapedErrors() throws Exception {
        HttpResponse<String> invalid = post("/v1/chat/completions", "{not json");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body()).at("/error/type").asText()).isEqualTo("Bad Request");
        assertThat(JSON.readTree(invalid.body()).at("/error/message").asText()).contains("json_invalid");

        HttpResponse<String> missing = post("/v1/chat/completions", "{\"model\":\"sim-model\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(missing.body()).at("/error/message").asText()).contains("'messages'", "Field required");

        HttpResponse<String> unknown = post("/v1/chat/completions",
                "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).at("/error/message").asText()).isEqualTo("The model `gpt-9` does not exist.");
        assertThat(JSON.readTree(unknown.body()).at("/error/code").asInt()).isEqualTo(404);

        HttpResponse<String> options = post("/v1/completions",
                "{\"prompt\":\"a\",\"max_tokens\":1,\"stream_options\":{\"include_usage\":true}}");
        assertThat(options.statusCode()).isEqualTo(400);
        assertThat(options.body()).contains("Stream options can only be defined when `stream=True`.");
    }

    @Test
    void requestIdHeaderBecomesTheResponseIdAndIsEchoed() throws Exception {
        HttpResponse<String> response = post("/v1/completions",
                "{\"prompt\":\"a\",\"max_tokens\":1}", "X-Request-Id", "trace-42");

        assertThat(JSON.readTree(response.body()).get("id").asText()).isEqualTo("cmpl-trace-42");
        assertThat(response.headers().firstValue("X-Request-Id")).contains("trace-42");
    }

    @Test
    void tokenizeCountsLikeTheGenerationEndpoints() throws Exception {
        JsonNode prompt = JSON.readTree(post("/tokenize", "{\"prompt\":\"hello\"}").body());
        assertThat(prompt.get("count").asInt()).isEqualTo(5);
        assertThat(prompt.get("max_model_len").asInt()).isEqualTo(MAX_MODEL_LEN);
        assertThat(prompt.get("tokens")).hasSize(5);

        String messages = "[{\"role\":\"user\",\"content\":\"hi\"}]";
        JsonNode chat = JSON.readTree(post("/tokenize", "{\"messages\":" + messages + "}").body());
        JsonNode completion = JSON.readTree(post("/v1/chat/completions",
                "{\"messages\":" + messages + ",\"max_tokens\":1}").body());
        assertThat(chat.get("count").asInt()).isEqualTo(completion.get("usage").get("prompt_tokens").asInt());

        JsonNode detok = JSON.readTree(post("/detokenize", "{\"tokens\":" + prompt.get("tokens") + "}").body());
        assertThat(detok.get("prompt").asText()).isEqualTo("hello");
    }

    @Test
    void smallRoutes() throws Exception {
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEmpty();

        JsonNode version = JSON.readTree(get("/version").body());
        assertThat(version.get("version").asText()).isEqualTo("0.10.2");
        assertThat(version.get("simulator").asText()).startsWith("headroom ");

        JsonNode models = JSON.readTree(get("/v1/models").body());
        assertThat(models.get("object").asText()).isEqualTo("list");
        JsonNode card = models.get("data").get(0);
        assertThat(card.get("id").asText()).isEqualTo(MODEL);
        assertThat(card.get("object").asText()).isEqualTo("model");
        assertThat(card.get("owned_by").asText()).isEqualTo("vllm");
        assertThat(card.get("max_model_len").asInt()).isEqualTo(MAX_MODEL_LEN);
        assertThat(card.get("root").asText()).isEqualTo(MODEL);

        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(get("/v1/completions").statusCode()).isEqualTo(405);
    }

    @Test
    void clientDisconnectAbortsTheRequestInTheEngine() throws Exception {
        String body = "{\"prompt\":\"a\",\"max_tokens\":250,\"ignore_eos\":true,\"stream\":true}";
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Request-Id: "
                    + "bye\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.contains("data: ")) {
                // skip the status line, headers and chunk sizes until the first event
            }
            assertThat(line).contains("cmpl-bye");
        }
        assertThat(engine.firstAbort.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.aborted).contains("cmpl-bye");
    }
}
