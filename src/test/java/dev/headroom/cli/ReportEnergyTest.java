package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.FakeNvidiaSmi;
import dev.headroom.selftest.Schedule;
import dev.headroom.selftest.ScheduleServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's GPU power and energy chart: drawn when a run measured power; the predicted bound said as one. */
class ReportEnergyTest {

    private static String line(int seconds, String power) {
        String at = LocalDateTime.now().plusSeconds(seconds).format(DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSS"));
        return at + ", 0, " + power + ", 90, 70000";
    }

    @Test
    void aSweepThatMeasuredPowerIsChartedAgainstLoad(@TempDir Path dir) throws IOException {
        Path smi = FakeNvidiaSmi.write(dir.resolve("bin"), List.of(line(1, "300.0"), line(2, "320.0")), null);
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ofMillis(2), Duration.ofMillis(2)), 0)) {
            Path sweep = dir.resolve("sweep");
            CliRun s = CliRun.headroom("sweep", "--url", server.baseUrl(), "--workload", "random", "--input-tokens", "16",
                    "--output-tokens", "20", "--concurrency", "1,4", "--requests", "8", "--gpu-metrics", smi.toString(),
                    "--out", sweep.toString(), "--no-progress");
            assertThat(s.exit()).as(s.err()).isZero();
            List<Map<String, String>> rows = SweepCommandTest.rows(sweep);
            assertThat(rows).allSatisfy(r -> assertThat(r.get("gpu_power_mean_w")).isEqualTo("310.0"));
            assertThat(rows).allSatisfy(r -> assertThat(Double.parseDouble(r.get("energy_per_output_token_j"))).isPositive());
            Path out = dir.resolve("report");
            CliRun r = CliRun.headroom("report", sweep.toString(), "--out", out.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            String md = Files.readString(out.resolve("report.md"));
            assertThat(md).contains("Mean GPU power in W (top) and energy per output token in J (bottom)")
                    .contains("J per output token at the lightest load to");
            try (Stream<Path> files = Files.list(out)) {
                assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("power-") && n.endsWith(".png"));
            }
        }
    }

    @Test
    void aPredictedSweepSaysItsEnergyIsAnUpperBoundAndDrawsNoPowerChart(@TempDir Path dir) throws IOException {
        Path sweep = dir.resolve("sweep");
        CliRun s = CliRun.headroom("sweep", "--offline", "--gpu", "l4", "--workload", "random", "--input-tokens", "64",
                "--output-tokens", "32", "--concurrency", "1,8", "--requests", "16", "--out", sweep.toString());
        assertThat(s.exit()).as(s.err()).isZero();
        assertThat(SweepCommandTest.rows(sweep)).allSatisfy(row -> {
            assertThat(row.get("gpu_power_mean_w")).isEmpty();
            assertThat(Double.parseDouble(row.get("energy_per_output_token_j_upper_bound"))).isPositive();
        });
        Path out = dir.resolve("report");
        CliRun r = CliRun.headroom("report", sweep.toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String md = Files.readString(out.resolve("report.md"));
        assertThat(md).contains("GPU power: not measured. Energy per output token of the predicted points, "
                + "estimated at full board power, an upper bound: ").doesNotContain("Mean GPU power in W");
    }
}
