package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.headroom.results.RequestLog;
import dev.headroom.results.SummaryJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep against a flaky server records its errors and goes on; {@code analyze} reads a real sweep's output
 * (the capacity.csv ↔ analyze contract).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SweepFlakyAndAnalyzeTest {

    @TempDir
    Path tmp;

    @Test
    void aFlakyServersErrorsAndStallsAreRecordedAndTheSweepGoesOn() throws IOException {
        try (FlakyServer flaky = FlakyServer.start()) {
            Path out = tmp.resolve("flaky");
            CliRun r = CliRun.headroom("sweep", "--url", flaky.baseUrl(), "--workload", "random", "--input-tokens", "8",
                    "--output-tokens", "4", "--requests", "8", "--concurrency", "1,2", "--request-timeout", "1s",
                    "--out", out.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            List<Map<String, String>> rows = SweepConfigsTest.csv(out.resolve("capacity.csv"));
            assertThat(rows).extracting(p -> p.get("concurrency")).containsExactly("1", "2");
            assertThat(rows).allSatisfy(p -> {
                assertThat(p).as("half the requests failed: the server did not serve the point")
                        .containsEntry("status", "errors").containsEntry("completed", "4").containsEntry("failed", "4");
                assertThat(p.get("model")).as("the served model; headroom did not start the server").isEqualTo("flaky");
                // Failures are the error rate's to judge, not the delivered load's: no concurrency check, so the point is
                // valid unless the client itself fell behind (which a loaded machine may make it do).
                Map<String, Object> summary = SummaryJson.read(out.resolve(p.get("dir")).resolve("summary.json"));
                assertThat(SweepCommandTest.validityChecks(summary)).contains("client_not_limited").doesNotContain("concurrency_delivered");
                assertThat(p.get("valid")).isEqualTo(String.valueOf(!p.get("client_limited").equals("true")));
            });
            assertThat(r.err()).contains("point 1/2 default random c=1: ", "; 4 of 8 failed [errors]")
                    .as("points the server failed are a finding, not a gap in the sweep")
                    .contains("2 of 2 point(s) measured with more requests failed or cut short by the server")
                    .doesNotContain("partial sweep");
            var records = RequestLog.read(out.resolve("points/default/random-c1/requests.jsonl"));
            assertThat(records).filteredOn(rec -> !rec.ok()).extracting(rec -> rec.error().kind().name())
                    .containsOnly("HTTP", "TIMEOUT").contains("HTTP", "TIMEOUT");
            Map<String, String> config = SweepConfigsTest.csv(out.resolve("configs.csv")).get(0);
            assertThat(config).containsEntry("config", "default").containsEntry("status", "ran")
                    .containsEntry("predicted_starts", "").containsEntry("reported_kv_cache_tokens", "");
        }
    }

    @Test
    void analyzeGivesItsVerdictOnARealSweep() throws IOException {
        Path out = tmp.resolve("chat");
        CliRun sweep = CliRun.headroom("sweep", "--workload", "chat", "--input-tokens", "64", "--output-tokens", "16",
                "--requests", "8", "--concurrency", "1,2,4", "--out", out.toString());
        assertThat(sweep.exit()).as(sweep.err()).isZero();
        Map<String, String> config = SweepConfigsTest.csv(out.resolve("configs.csv")).get(0);
        assertThat(config).containsEntry("config", "default").containsEntry("status", "ran").containsEntry("gpu", "t4")
                .containsEntry("max_num_seqs", "256").containsEntry("predicted_starts", "true").containsEntry("disagreement", "");
        assertThat(config.get("reported_kv_cache_tokens")).isEqualTo(config.get("predicted_kv_cache_tokens")).isNotEmpty();

        CliRun analyze = CliRun.headroom("analyze", out.toString());
        assertThat(analyze.exit()).as(analyze.err()).isZero();
        JsonNode analysis = new ObjectMapper().readTree(out.resolve("analysis.json").toFile());
        assertThat(analysis.get("groups")).singleElement().satisfies(g -> {
            assertThat(g.get("gpu").asText()).isEqualTo("t4");
            assertThat(g.get("points")).hasSize(3);
        });
        assertThat(analyze.out()).contains(analysis.get("verdict").asText());

        // Which live points delivered their load is the machine's to decide (a loaded one may leave the client behind),
        // and the verdict follows it; on the virtual clock the same sweep's verdict is fixed.
        Path offline = tmp.resolve("chat-offline");
        CliRun predicted = CliRun.headroom("sweep", "--offline", "--workload", "chat", "--input-tokens", "64", "--output-tokens",
                "16", "--requests", "8", "--concurrency", "1,2,4", "--out", offline.toString());
        assertThat(predicted.exit()).as(predicted.err()).isZero();
        CliRun verdict = CliRun.headroom("analyze", offline.toString());
        assertThat(verdict.exit()).as(verdict.err()).isZero();
        assertThat(verdict.out()).contains("Serve chat at concurrency 4");
        JsonNode best = new ObjectMapper().readTree(offline.resolve("analysis.json").toFile());
        assertThat(best.get("best").get("config").asText()).isEqualTo("default");
        assertThat(best.get("best").get("concurrency").asInt()).isEqualTo(4);
        assertThat(best.get("verdict").asText()).startsWith("Serve chat at concurrency 4");
    }

    /**
     * An OpenAI-shaped server on 127.0.0.1 that streams four tokens, except every fourth completion request from the
     * second on, which gets HTTP 500, and every fourth from the third on, which stalls until the server closes.
     */
    static final class FlakyServer implements AutoCloseable {
        private final HttpServer http;
        private final AtomicInteger completions = new AtomicInteger();
        private final CountDownLatch closing = new CountDownLatch(1);

        private FlakyServer(HttpServer http) {
            this.http = http;
        }

        static FlakyServer start() throws IOException {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            FlakyServer server = new FlakyServer(http);
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.createContext("/health", ex -> server.reply(ex, 200, "application/json", "{}"));
            http.createContext("/v1/models", ex -> server.reply(ex, 200, "application/json",
                    "{\"object\":\"list\",\"data\":[{\"id\":\"flaky\",\"object\":\"model\"}]}"));
            http.createContext("/v1/chat/completions", server::completion);
            http.createContext("/", ex -> server.reply(ex, 404, "application/json", "{\"detail\":\"Not Found\"}"));
            http.start();
            return server;
        }

        String baseUrl() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        private void completion(HttpExchange ex) throws IOException {
            ex.getRequestBody().readAllBytes();
            int n = completions.getAndIncrement();
            if (n % 4 == 1) {
                reply(ex, 500, "application/json",
                        "{\"error\":{\"message\":\"flaky\",\"type\":\"InternalServerError\",\"param\":null,\"code\":500}}");
            } else if (n % 4 == 2) {
                try {
                    closing.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
            } else {
                stream(ex);
            }
        }

        private static void stream(HttpExchange ex) throws IOException {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                event(out, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"flaky\",\"choices\":"
                        + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
                for (int i = 0; i < 4; i++) {
                    event(out, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"flaky\",\"choices\":"
                            + "[{\"index\":0,\"delta\":{\"content\":\" tok\"},\"finish_reason\":" + (i == 3 ? "\"length\"" : "null")
                            + "}]}");
                }
                event(out, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"flaky\",\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":8,\"total_tokens\":12,\"completion_tokens\":4}}");
                event(out, "[DONE]");
            }
        }

        private static void event(OutputStream out, String data) throws IOException {
            out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private void reply(HttpExchange ex, int status, String type, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }

        @Override
        public void close() {
            closing.countDown();
            http.stop(0);
        }
    }
}
