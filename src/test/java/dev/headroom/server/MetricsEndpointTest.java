package dev.headroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.PrometheusExposition;
import dev.headroom.metrics.PrometheusText;
import dev.headroom.metrics.ServerMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /metrics} is well-formed Prometheus text with vLLM's families, labels and buckets, fed by requests. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MetricsEndpointTest {

    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*})? (\\S+)");

    /** Samples by full series text (name + labels), checking every line against the 0.0.4 grammar. */
    static Map<String, Double> parse(String text, Map<String, String> types) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                assertThat(types.put(parts[2], parts[3])).as("one TYPE per family: " + line).isNull();
            } else if (!line.startsWith("# HELP ")) {
                Matcher m = SAMPLE.matcher(line);
                assertThat(m.matches()).as("sample line: " + line).isTrue();
                String family = m.group(1).replaceAll("_(bucket|sum|count)$", "");
                assertThat(types).as("TYPE before samples of " + m.group(1)).containsKey(
                        types.containsKey(family) ? family : m.group(1));
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)
                        .replace("+Inf", "Infinity")));
            }
        }
        return samples;
    }

    @Test
    void metricsPageFollowsVllmAfterRequests() throws Exception {
        ScriptedEngine engine = new ScriptedEngine(TimeUnit.MILLISECONDS.toNanos(2), 1_000);
        try (SimServer server = SimServer.start(engine, SimServerOptions.loopback("m", 4096, new CharTokenizer()))) {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"abcd\",\"max_tokens\":5,\"ignore_eos\":true}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ok.statusCode()).isEqualTo(200);
            }
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");

            Map<String, String> types = new HashMap<>();
            Map<String, Double> samples = parse(page.body(), types);
            String labels = "{engine=\"0\",model_name=\"m\"}";
            assertThat(types).containsEntry("vllm:num_requests_running", "gauge")
                    .containsEntry("vllm:num_requests_waiting", "gauge")
                    .containsEntry("vllm:kv_cache_usage_perc", "gauge")
                    .containsEntry("vllm:num_preemptions_total", "counter")
                    .containsEntry("vllm:prompt_tokens_total", "counter")
                    .containsEntry("vllm:generation_tokens_total", "counter")
                    .containsEntry("vllm:prefix_cache_queries_total", "counter")
                    .containsEntry("vllm:prefix_cache_hits_total", "counter")
                    .containsEntry("vllm:request_success_total", "counter")
                    .containsEntry("vllm:cache_config_info", "gauge");
            for (String h : List.of("time_to_first_token_seconds", "time_per_output_token_seconds",
                    "inter_token_latency_seconds", "e2e_request_latency_seconds", "request_queue_time_seconds",
                    "request_prefill_time_seconds", "request_decode_time_seconds", "request_inference_time_seconds",
                    "request_prompt_tokens", "request_generation_tokens")) {
                assertThat(types).containsEntry("vllm:" + h, "histogram");
            }
            assertThat(samples.get("vllm:generation_tokens_total" + labels)).isEqualTo(15.0);
            assertThat(samples.get("vllm:request_success_total{engine=\"0\",finished_reason=\"length\",model_name=\"m\"}"))
                    .isEqualTo(3.0);
            assertThat(samples.get("vllm:e2e_request_latency_seconds_count" + labels)).isEqualTo(3.0);
            assertThat(samples.get("vllm:request_generation_tokens_sum" + labels)).isEqualTo(15.0);
            // 4 gaps between 5 tokens per request
            assertThat(samples.get("vllm:inter_token_latency_seconds_count" + labels)).isEqualTo(12.0);
            assertThat(samples.get("vllm:time_to_first_token_seconds_bucket{engine=\"0\",model_name=\"m\",le=\"+Inf\"}"))
                    .isEqualTo(3.0);
            assertThat(samples.get("vllm:time_to_first_token_seconds_bucket{engine=\"0\",model_name=\"m\",le=\"0.001\"}"))
                    .isNotNull();
            assertThat(samples.keySet()).anyMatch(k -> k.startsWith("vllm:cache_config_info{engine=\"0\""));
            assertCumulative(samples, "vllm:e2e_request_latency_seconds_bucket");

            PrometheusExposition strict = PrometheusText.parse(page.body());
            assertThat(strict.families().get("vllm:e2e_request_latency_seconds").type())
                    .isEqualTo(PrometheusExposition.Type.HISTOGRAM);
            assertThat(strict.sum("vllm:generation_tokens_total")).hasValue(15.0);
        }
    }

    @Test
    void serverMetricsScrapeSeesTheRunAndTheCacheConfig() throws Exception {
        SimServerOptions options = new SimServerOptions("m", "m", "127.0.0.1", 0, 4096, "0.11.0", new CharTokenizer(),
                Map.of("num_gpu_blocks", "1000", "block_size", "16", "enable_prefix_caching", "True"), null, null);
        try (SimServer server = SimServer.start(new ScriptedEngine(TimeUnit.MILLISECONDS.toNanos(2), 1_000), options)) {
            PrometheusExposition before = ServerMetrics.scrape(server.baseUrl());
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 2; i++) {
                http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"ab\",\"max_tokens\":4,\"ignore_eos\":true}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
            }
            Map<String, Object> delta = ServerMetrics.delta(before, ServerMetrics.scrape(server.baseUrl()));
            assertThat(delta).containsEntry("server_generation_tokens", 8L)
                    .containsEntry("server_requests_finished", 2L)
                    .containsKey("server_mean_decode_time_ms");
            assertThat(String.valueOf(delta.get("server_num_gpu_blocks"))).isEqualTo("1000");
        }
    }

    private static void assertCumulative(Map<String, Double> samples, String bucketName) {
        List<Double> counts = samples.entrySet().stream().filter(e -> e.getKey().startsWith(bucketName + "{"))
                .map(Map.Entry::getValue).toList();
        assertThat(counts).hasSize(22).isSorted();
    }
}
