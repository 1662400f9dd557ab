package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.metrics.TelemetrySample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small GPU config (a T4 at gpu_memory_utilization 0.12: about 7.7k KV tokens, the planner's max concurrency about
 * 30 for 256-token requests): far below that load the KV cache stays well under full and nothing is preempted;
 * at twice that load it fills and requests are preempted — measured against the embedded simulator and predicted.
 */
class SweepTelemetryTest {

    private static final String[] SMALL_GPU = {"--model", "qwen2.5-0.5b-instruct", "--gpu", "t4", "--max-model-len", "256",
            "--max-num-seqs", "128", "--gpu-memory-utilization", "0.12"};

    private static List<String> args(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("sweep", "--out", out.toString(), "--workload", "random", "--input-tokens",
                "32", "--output-tokens", "200", "--concurrency", "16,64", "--duration", "1s", "--no-early-stop",
                "--scrape-interval", "100ms"));
        a.addAll(List.of(SMALL_GPU));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void theKvCacheFillsAndRequestsArePreemptedNearThePlannersMaxConcurrency(@TempDir Path dir) throws IOException {
        List<String> plan = new ArrayList<>(List.of("plan", "--json"));
        plan.addAll(List.of(SMALL_GPU));
        double maxConcurrency = new ObjectMapper().readTree(CliRun.headroom(plan.toArray(String[]::new)).out())
                .get("max_concurrency").asDouble();
        assertThat(maxConcurrency).isBetween(16.0 * 1.5, 64.0 / 1.5);
        for (String mode : List.of("predicted", "measured")) {
            Path out = dir.resolve(mode);
            List<String> a = args(out, mode.equals("predicted") ? new String[] {"--offline"} : new String[0]);
            CliRun r = CliRun.headroom(a.toArray(String[]::new));
            assertThat(r.exit()).as(r.err()).isZero();
            List<Map<String, String>> rows = SweepCommandTest.rows(out);
            assertThat(rows).hasSize(2);
            Map<String, String> below = rows.get(0);
            Map<String, String> above = rows.get(1);
            assertThat(below.get("server_preemptions")).as(mode).isEqualTo("0");
            assertThat(Double.parseDouble(below.get("kv_cache_usage_max"))).as(mode).isBetween(0.2, 0.7);
            assertThat(Long.parseLong(above.get("server_preemptions"))).as(mode).isPositive();
            assertThat(Double.parseDouble(above.get("kv_cache_usage_max"))).as(mode).isGreaterThan(0.95);
            assertThat(Double.parseDouble(above.get("num_requests_waiting_max"))).as(mode).isPositive();
            assertThat(Double.parseDouble(above.get("num_requests_running_mean"))).as(mode).isPositive();
            List<String> telemetry = Files.readAllLines(out.resolve(above.get("dir")).resolve("telemetry.csv"));
            assertThat(telemetry.get(0)).isEqualTo(String.join(",", TelemetrySample.COLUMNS));
            assertThat(telemetry.get(1)).as("the baseline is taken after warm-up, at t=0").startsWith("0.0,");
            double[] t = telemetry.stream().skip(1).mapToDouble(line -> Double.parseDouble(line.substring(0, line.indexOf(',')))).toArray();
            // Between the baseline and the final scrape, the k-th sample falls due k × 100 ms in: on the virtual clock
            // exactly then, on the wall clock never before (a loaded machine makes it later, and fewer).
            for (int k = 1; k < t.length - 1; k++) {
                if (mode.equals("predicted")) assertThat(t[k]).as(mode + " sample " + k).isCloseTo(0.1 * k, within(1e-9));
                else assertThat(t[k]).as(mode + " sample " + k).isGreaterThanOrEqualTo(0.1 * k - 1e-9);
            }
            assertThat(t[t.length - 1]).as(mode + ": the window lasts the point's --duration at least").isGreaterThanOrEqualTo(1.0);
            // More samples than the 500 ms default could ever take over the window: the 100 ms interval reached the scraper.
            assertThat(t.length - 2).as(mode + ": samples in a window of " + t[t.length - 1] + " s").isGreaterThan((int) (t[t.length - 1] / 0.5));
        }
    }
}
