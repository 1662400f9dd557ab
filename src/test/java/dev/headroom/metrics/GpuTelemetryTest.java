package dev.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mean power by the trapezoid rule, and energy per output token over the measured window. */
class GpuTelemetryTest {

    private static GpuTelemetry of(GpuSample... samples) {
        return new GpuTelemetry("nvidia-smi", List.of(samples), List.of());
    }

    @Test
    void meanPowerWeighsEachIntervalByItsLength() {
        // 100 W for 1 s then a ramp 100 -> 400 W over 2 s: 100 + 500 J over 3 s.
        GpuTelemetry t = of(GpuSample.basic(0, 100, 10, 1000), GpuSample.basic(1, 100, 20, 2000),
                GpuSample.basic(3, 400, 30, 1500));
        assertThat(t.meanPowerW()).isCloseTo(200, within(1e-9));
        Map<String, Object> m = t.summary(4, 1600);
        assertThat(m).containsEntry("gpu_metrics_source", "nvidia-smi").containsEntry("gpu_power_max_w", 400.0)
                .containsEntry("gpu_util_mean_perc", 20.0).containsEntry("gpu_memory_used_max_mib", 2000.0);
        assertThat((Double) m.get("gpu_power_mean_w")).isCloseTo(200, within(1e-9));
        assertThat((Double) m.get("gpu_energy_j")).isCloseTo(800, within(1e-9));
        assertThat((Double) m.get("energy_per_output_token_j")).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void anIntervalWithoutPowerIsLeftOutNotCountedAsZero() {
        GpuTelemetry t = of(GpuSample.basic(0, 300, 0, 0), GpuSample.basic(1, 300, 0, 0),
                GpuSample.basic(2, Double.NaN, 0, 0), GpuSample.basic(3, 100, 0, 0));
        assertThat(t.meanPowerW()).isEqualTo(300);
        assertThat(of(GpuSample.basic(0, 250, 0, 0)).meanPowerW()).isEqualTo(250);
    }

    @Test
    void nothingSampledIsNotMeasuredAndNoTokensGiveNoEnergyPerToken() {
        assertThat(GpuTelemetry.NONE.summary(10, 100)).containsEntry("gpu_metrics_source", null)
                .containsEntry("gpu_power_mean_w", null).containsEntry("gpu_energy_j", null)
                .containsEntry("energy_per_output_token_j", null);
        assertThat(of(GpuSample.basic(0, 250, 0, 0)).summary(2, 0)).containsEntry("gpu_energy_j", 500.0)
                .containsEntry("energy_per_output_token_j", null);
    }
}
