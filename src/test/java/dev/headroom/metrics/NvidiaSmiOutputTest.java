package dev.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** nvidia-smi's lines, as an H100 host printed them (driver 580.159.04), read into samples. */
class NvidiaSmiOutputTest {

    private static final LocalDateTime ORIGIN = LocalDateTime.of(2026, 12, 6, 8, 33, 19, 500_000_000);

    private static GpuTelemetry read(Integer gpuIndex, String... lines) {
        NvidiaSmiOutput out = new NvidiaSmiOutput(ORIGIN, gpuIndex);
        for (String l : lines) out.accept(l);
        return out.finish();
    }

    @Test
    void oneGpusLinesAreOneSampleEachTimedByTheirTimestamp() {
        GpuTelemetry t = read(null,
                "2026/12/06 08:33:19.609, 0, 80.23, 0, 0",
                "2026/12/06 08:33:20.115, 0, 72.79, 35, 70123",
                "2026/12/06 08:33:20.615, 0, 72.74, 100, 70123");
        assertThat(t.source()).isEqualTo("nvidia-smi");
        assertThat(t.warnings()).isEmpty();
        assertThat(t.samples()).extracting(GpuSample::tSeconds).containsExactly(0.109, 0.615, 1.115);
        assertThat(t.samples()).extracting(GpuSample::powerW).containsExactly(80.23, 72.79, 72.74);
        assertThat(t.samples().get(1).utilPerc()).isEqualTo(35);
        assertThat(t.samples().get(2).memoryUsedMib()).isEqualTo(70123);
        assertThat(t.samples().get(0).hasProf()).isFalse();
    }

    @Test
    void severalGpusAreOneSampleALoopPowerAndMemorySummedUtilisationAveraged() {
        String[] lines = {
                "2026/12/06 08:33:20.000, 0, 300.5, 90, 70000",
                "2026/12/06 08:33:20.001, 1, 250.25, 50, 60000",
                "2026/12/06 08:33:20.500, 0, 310.5, 100, 70000",
                "2026/12/06 08:33:20.502, 1, 240.25, 70, 60000"};
        GpuTelemetry all = read(null, lines);
        assertThat(all.samples()).hasSize(2);
        assertThat(all.samples()).extracting(GpuSample::powerW).containsExactly(550.75, 550.75);
        assertThat(all.samples()).extracting(GpuSample::utilPerc).containsExactly(70.0, 85.0);
        assertThat(all.samples()).extracting(GpuSample::memoryUsedMib).containsExactly(130000.0, 130000.0);
        assertThat(all.samples()).extracting(GpuSample::tSeconds).containsExactly(0.5, 1.0);
        GpuTelemetry second = read(1, lines);
        assertThat(second.samples()).extracting(GpuSample::powerW).containsExactly(250.25, 240.25);
        assertThat(second.warnings()).isEmpty();
    }

    @Test
    void aValueTheGpuDoesNotGiveIsNotMeasuredAndNamedNeverZero() {
        GpuTelemetry t = read(null,
                "2026/12/06 08:33:20.000, 0, [N/A], 12, 500",
                "2026/12/06 08:33:20.500, 0, [Not Supported], [N/A], 501");
        assertThat(t.samples()).extracting(GpuSample::powerW).allMatch(v -> v.isNaN());
        assertThat(t.samples().get(1).utilPerc()).isNaN();
        assertThat(t.samples().get(1).memoryUsedMib()).isEqualTo(501);
        assertThat(t.warnings()).containsExactly(
                "nvidia-smi gives power.draw as [N/A] (GPU 0), [Not Supported] (GPU 0): GPU power is not measured",
                "nvidia-smi gives utilization.gpu as [N/A] (GPU 0): GPU utilisation is not measured");
        assertThat(t.summary(10, 100)).containsEntry("gpu_power_mean_w", null).containsEntry("energy_per_output_token_j", null)
                .containsEntry("gpu_util_mean_perc", 12.0);
    }

    @Test
    void oneGpuWithoutPowerLeavesTheSumNotMeasuredRatherThanTooLow() {
        GpuTelemetry t = read(null,
                "2026/12/06 08:33:20.000, 0, 300.0, 90, 70000",
                "2026/12/06 08:33:20.001, 1, [N/A], 50, 60000");
        assertThat(t.samples().get(0).powerW()).isNaN();
        assertThat(t.samples().get(0).utilPerc()).isEqualTo(70);
    }

    @Test
    void errorLinesAreKeptForTheWarningAndAnIndexNotListedIsNamed() {
        NvidiaSmiOutput out = new NvidiaSmiOutput(ORIGIN, 3);
        assertThat(out.accept("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.")).isFalse();
        assertThat(out.accept("2026/12/06 08:33:20.000, 0, 300.0, 90, 70000")).isTrue();
        assertThat(out.messages()).isEqualTo("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.");
        GpuTelemetry t = out.finish();
        assertThat(t.samples()).isEmpty();
        assertThat(t.warnings()).containsExactly("nvidia-smi lists GPUs [0] but not --gpu-index 3: GPU telemetry is not measured");
    }

    @Test
    void theQueriedFieldsAreNvidiaSmisNames() {
        assertThat(NvidiaSmiSampler.command(Path.of("/usr/bin/nvidia-smi"), Duration.ofMillis(500)))
                .containsExactly("/usr/bin/nvidia-smi", "--query-gpu=timestamp,index,power.draw,utilization.gpu,memory.used",
                        "--format=csv,noheader,nounits", "-lms", "500");
    }
}
