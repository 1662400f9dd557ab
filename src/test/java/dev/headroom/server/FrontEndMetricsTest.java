package dev.headroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.engine.EngineConfig;
import dev.headroom.engine.LiveEngine;
import dev.headroom.plan.FixedStep;
import dev.headroom.plan.FrontEnd;
import dev.headroom.plan.StepCostModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulated server reports the API server's time as vLLM does: {@code vllm:e2e_request_latency_seconds} and
 * {@code vllm:time_to_first_token_seconds} count from the API server's arrival, the queue, prefill, decode and
 * inference histograms and the per-request metrics are the engine core's; so e2e less queue and inference is the
 * hand-off to the engine core, here exactly as modelled (the engine's schedule, not the wall clock).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FrontEndMetricsTest {

    private static final String LABELS = "{engine=\"0\",model_name=\"m\"}";

    @Test
    void e2eLessTheEngineCoresIntervalsIsTheHandOff() throws Exception {
        StepCostModel cost = new FixedStep(2_000_000, new FrontEnd(30, 10, 0));
        EngineConfig config = new EngineConfig(2_000, 16, 64, 512, 2048, true, true, 0, 4096);
        try (SimServer server = SimServer.start(LiveEngine.start(config, cost),
                SimServerOptions.loopback("m", 4096, new CharTokenizer()))) {
            HttpClient http = HttpClient.newHttpClient();
            JsonNode metrics = null;
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"abcdefgh\",\"max_tokens\":4,\"ignore_eos\":true}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ok.statusCode()).isEqualTo(200);
                metrics = new ObjectMapper().readTree(ok.body()).path("metrics");
            }
            assertThat(metrics.path("queue_time_ms").asDouble()).as("one request at a time: the engine core queues none")
                    .isZero();
            assertThat(metrics.path("time_to_first_token_ms").asDouble()).as("its one prefill step").isEqualTo(2.0);

            String page = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Map<String, Double> s = MetricsEndpointTest.parse(page, new HashMap<>());
            double e2e = s.get("vllm:e2e_request_latency_seconds_sum" + LABELS);
            double queue = s.get("vllm:request_queue_time_seconds_sum" + LABELS);
            double inference = s.get("vllm:request_inference_time_seconds_sum" + LABELS);
            double prefill = s.get("vllm:request_prefill_time_seconds_sum" + LABELS);
            double ttft = s.get("vllm:time_to_first_token_seconds_sum" + LABELS);
            assertThat(e2e - queue - inference).as("three hand-offs of 30 ms").isCloseTo(0.090, within(1e-6));
            assertThat(ttft - queue - prefill).isCloseTo(0.090, within(1e-6));
        }
    }
}
