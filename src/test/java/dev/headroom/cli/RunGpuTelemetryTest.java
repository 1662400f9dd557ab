package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.metrics.FakeNvidiaSmi;
import dev.headroom.results.SummaryJson;
import dev.headroom.results.TelemetryCsv;
import dev.headroom.selftest.Schedule;
import dev.headroom.selftest.ScheduleServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code headroom run --gpu-metrics}: the GPU's power beside the server's telemetry, and energy per output token. */
class RunGpuTelemetryTest {

    private static String line(int seconds, int index, String power, String util, String memory) {
        String at = LocalDateTime.now().plusSeconds(seconds).format(DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSS"));
        return at + ", " + index + ", " + power + ", " + util + ", " + memory;
    }

    private static CliRun run(ScheduleServer server, Path out, String... gpu) {
        List<String> args = new ArrayList<>(List.of("run", "--url", server.baseUrl(), "--workload", "random",
                "--input-tokens", "16", "--output-tokens", "20", "--concurrency", "4", "--requests", "8",
                "--out", out.toString(), "--no-progress"));
        args.addAll(List.of(gpu));
        return CliRun.headroom(args.toArray(String[]::new));
    }

    @Test
    void nvidiaSmisPowerIsInTelemetryCsvAndSummaryJsonWithEnergyPerOutputToken(@TempDir Path dir) throws IOException {
        Path smi = FakeNvidiaSmi.write(dir.resolve("bin"), List.of(line(1, 0, "300.5", "90", "70000"),
                line(1, 1, "250.25", "50", "60000"), line(2, 0, "300.5", "100", "70000"), line(2, 1, "250.25", "70", "60000")),
                null);
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ofMillis(2), Duration.ofMillis(2)), 0)) {
            Path out = dir.resolve("run");
            CliRun r = run(server, out, "--gpu-metrics", smi.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).doesNotContain("nvidia-smi");
            assertThat(r.out()).contains("GPU power mean (W, nvidia-smi):          550.8").contains("Energy per output token (J):");
            Map<String, Object> summary = SummaryJson.read(out.resolve("summary.json"));
            assertThat(summary).containsEntry("gpu_metrics_source", "nvidia-smi").containsEntry("gpu_power_mean_w", 550.75)
                    .containsEntry("gpu_util_mean_perc", 77.5).containsEntry("gpu_memory_used_max_mib", 130000.0);
            double seconds = ((Number) summary.get("duration")).doubleValue();
            long tokens = ((Number) summary.get("total_output_tokens")).longValue();
            assertThat(tokens).isEqualTo(8 * 20);
            assertThat(((Number) summary.get("energy_per_output_token_j")).doubleValue())
                    .isCloseTo(550.75 * seconds / tokens, within(1e-9));
            Map<String, double[]> csv = TelemetryCsv.read(out.resolve("telemetry.csv"));
            assertThat(Arrays.stream(csv.get("gpu_power_w")).filter(v -> !Double.isNaN(v))).containsExactly(550.75, 550.75);
            assertThat(csv).doesNotContainKey("gpu_sm_active");
            assertThat(csv.keySet()).startsWith("t_s", "kv_cache_usage_perc");
        }
    }

    @Test
    void noneSamplesNoGpuAndABadValueIsOneLine(@TempDir Path dir) throws IOException {
        Path smi = FakeNvidiaSmi.write(dir.resolve("bin"), List.of(line(1, 0, "300.5", "90", "70000")), null);
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ofMillis(2), Duration.ofMillis(2)), 0)) {
            Path out = dir.resolve("none");
            CliRun r = run(server, out, "--gpu-metrics", "none");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(SummaryJson.read(out.resolve("summary.json"))).containsEntry("gpu_power_mean_w", null)
                    .containsEntry("energy_per_output_token_j", null);
            assertThat(TelemetryCsv.read(out.resolve("telemetry.csv"))).doesNotContainKey("gpu_power_w");
            CliRun bad = run(server, dir.resolve("bad"), "--gpu-metrics", dir.resolve("nowhere").toString());
            assertThat(bad.exit()).isNotZero();
            assertThat(bad.err().strip()).startsWith("headroom: --gpu-metrics '" + dir.resolve("nowhere") + "' is not accepted; use")
                    .doesNotContain("\n");
            CliRun badIndex = run(server, dir.resolve("bad-index"), "--gpu-metrics", smi.toString(), "--gpu-index", "-1");
            assertThat(badIndex.err().strip()).startsWith("headroom: --gpu-index -1 is not accepted");
        }
    }
}
