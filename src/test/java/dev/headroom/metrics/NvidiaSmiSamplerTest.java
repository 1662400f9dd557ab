package dev.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nvidia-smi as a child process: started with the query, read, stopped; its failures are warnings, not zeros. */
class NvidiaSmiSamplerTest {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSS");

    /** A line for GPU {@code index} stamped {@code seconds} after now, as nvidia-smi prints it. */
    static String line(double seconds, int index, String power, String util, String memory) {
        String at = LocalDateTime.now().plusNanos((long) (seconds * 1e9)).format(TIMESTAMP);
        return at + ", " + index + ", " + power + ", " + util + ", " + memory;
    }

    @Test
    void theChildRunsTheQueryItsReadingsAreKeptAndStopEndsIt(@TempDir Path dir) throws IOException {
        Path smi = FakeNvidiaSmi.write(dir, List.of(line(1, 0, "300.5", "90", "70000"), line(1, 1, "250.25", "50", "60000"),
                line(2, 0, "310.5", "100", "70000"), line(2, 1, "240.25", "70", "60000")), null);
        GpuSampler sampler = new GpuMetrics.Smi(smi, null).start(Duration.ofMillis(250));
        GpuTelemetry t = sampler.stop();
        assertThat(FakeNvidiaSmi.args(dir)).containsExactly("--query-gpu=timestamp,index,power.draw,utilization.gpu,memory.used",
                "--format=csv,noheader,nounits", "-lms", "250");
        assertThat(FakeNvidiaSmi.alive(dir)).as("stopped at the window's end").isFalse();
        assertThat(t.warnings()).isEmpty();
        assertThat(t.samples()).extracting(GpuSample::powerW).containsExactly(550.75, 550.75);
        assertThat(t.samples()).extracting(GpuSample::utilPerc).containsExactly(70.0, 85.0);
        assertThat(t.meanPowerW()).isEqualTo(550.75);
    }

    @Test
    void aChildThatFailsIsAWarningWithItsStatusAndMessageAndNothingMeasured(@TempDir Path dir) throws IOException {
        Path smi = FakeNvidiaSmi.write(dir, List.of("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA "
                + "driver. Make sure that the latest NVIDIA driver is installed and running."), 9);
        GpuTelemetry t = new GpuMetrics.Smi(smi, null).start(Duration.ofMillis(500)).stop();
        assertThat(t.samples()).isEmpty();
        assertThat(t.warnings()).singleElement().asString()
                .startsWith(smi + " exited with status 9 during the measured window (NVIDIA-SMI has failed because")
                .endsWith(": GPU telemetry is not measured");
        assertThat(t.summary(10, 1000)).containsEntry("gpu_power_mean_w", null).containsEntry("energy_per_output_token_j", null);
    }

    @Test
    void aChildThatCannotStartIsAWarning(@TempDir Path dir) {
        GpuTelemetry t = NvidiaSmiSampler.start(dir.resolve("absent/nvidia-smi"), null, Duration.ofMillis(500)).stop();
        assertThat(t.samples()).isEmpty();
        assertThat(t.warnings()).singleElement().asString().startsWith("could not start " + dir.resolve("absent/nvidia-smi"))
                .endsWith(": GPU telemetry is not measured");
    }
}
