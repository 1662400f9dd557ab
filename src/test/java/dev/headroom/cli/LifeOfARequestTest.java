package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.report.RequestLife;
import dev.headroom.report.RequestTimes;
import dev.headroom.results.SummaryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a predicted run whose prompts differ in length, the life of a request takes the simulated engine's own
 * queue time for each request it dissects, so it agrees with the engine's split (the demo's A100 runs showed 300 ms
 * of queue where the engine said 0).
 */
class LifeOfARequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theLifeOfAPredictedRequestIsTheEnginesOwnSplit(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("sweep");
        // Prompts of 51 to 973 tokens at c=32: some wait for the step's token budget, and prefill times differ.
        CliRun r = CliRun.headroom("sweep", "--offline", "--out", out.toString(), "--workload", "random", "--input-tokens",
                "512", "--range-ratio", "0.9", "--output-tokens", "64", "--concurrency", "32", "--duration", "2s",
                "--no-early-stop", "--model", "qwen2.5-0.5b-instruct", "--gpu", "t4", "--max-model-len", "1024",
                "--max-num-seqs", "128", "--gpu-memory-utilization", "0.5");
        assertThat(r.exit()).as(r.err()).isZero();
        Path run = out.resolve(SweepCommandTest.rows(out).get(0).get("dir"));
        List<RequestTimes> requests = RequestTimes.read(run);
        assertThat(requests).allSatisfy(t -> assertThat(t.serverPrefillMs()).as("predicted records carry the engine's timing").isNotNaN());
        Map<String, Number> summary = SummaryJson.numbers(run);
        RequestLife.Dissection d = RequestLife.of(requests, summary).orElseThrow();
        List<JsonNode> lines = Files.readAllLines(run.resolve("requests.jsonl")).stream().map(LifeOfARequestTest::json)
                .filter(n -> n.path("ok").asBoolean()).sorted(Comparator.comparingDouble(n -> n.path("last_token_ms").asDouble()
                        - n.path("scheduled_ms").asDouble())).toList();
        JsonNode p99 = lines.get((int) Math.ceil(0.99 * (lines.size() - 1)));
        JsonNode median = lines.get((lines.size() - 1) / 2);
        assertThat(d.p99().serverQueueMs()).isCloseTo(p99.path("server_metrics").path("queue_time_ms").asDouble(), within(1e-6));
        assertThat(d.median().serverQueueMs()).isCloseTo(median.path("server_metrics").path("queue_time_ms").asDouble(), within(1e-6));
        assertThat(d.method()).contains("the server's own queue time");
        // The old estimate (TTFT minus the run's fastest TTFT) would have booked this much queue the engine denies.
        double fastest = requests.stream().filter(RequestTimes::complete).mapToDouble(RequestTimes::ttftMs).min().orElseThrow();
        double medianTtft = median.path("first_token_ms").asDouble() - median.path("sent_ms").asDouble();
        assertThat(medianTtft - fastest - median.path("server_metrics").path("queue_time_ms").asDouble()).isGreaterThan(1.0);
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
