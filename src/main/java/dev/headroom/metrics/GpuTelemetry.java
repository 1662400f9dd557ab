package dev.headroom.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The GPU's series over one load point's measured window, and what kept any of it from being measured.
 *
 * @param source   where it came from ({@code nvidia-smi} or {@code dcgm-exporter}), or null when nothing was sampled
 * @param samples  in time order; empty when no GPU was sampled
 * @param warnings one line per cause of a value not measured (a child that failed, a field the GPU does not report)
 */
public record GpuTelemetry(String source, List<GpuSample> samples, List<String> warnings) {

    /** Nothing sampled, nothing to say: {@code --gpu-metrics none}, or no source on this host. */
    public static final GpuTelemetry NONE = new GpuTelemetry(null, List.of(), List.of());

    public GpuTelemetry {
        samples = List.copyOf(samples);
        warnings = List.copyOf(warnings);
    }

    public boolean isEmpty() {
        return samples.isEmpty();
    }

    /** Whether any sample has a DCGM profiling fraction. */
    public boolean hasProf() {
        return samples.stream().anyMatch(GpuSample::hasProf);
    }

    /**
     * Board power averaged over time, in watts: the trapezoid rule over consecutive samples that both measured
     * power, divided by the time they span; the one value when only one sample measured it; NaN when none did.
     */
    public double meanPowerW() {
        double joules = 0;
        double seconds = 0;
        double only = Double.NaN;
        for (int i = 0; i < samples.size(); i++) {
            GpuSample s = samples.get(i);
            if (!Double.isNaN(s.powerW()) && Double.isNaN(only)) only = s.powerW();
            if (i == 0) continue;
            GpuSample prev = samples.get(i - 1);
            double dt = s.tSeconds() - prev.tSeconds();
            if (Double.isNaN(s.powerW()) || Double.isNaN(prev.powerW()) || !(dt > 0)) continue;
            joules += (s.powerW() + prev.powerW()) / 2 * dt;
            seconds += dt;
        }
        return seconds > 0 ? joules / seconds : only;
    }

    /**
     * summary.json's GPU keys (docs/formats.md), null where not measured: mean and max power, mean utilisation, max
     * memory in use, the window's energy (mean power × the window's duration) and that energy per output token.
     *
     * @param windowSeconds the measured window's duration (summary.json's {@code duration})
     * @param outputTokens  output tokens completed in that window
     */
    public Map<String, Object> summary(double windowSeconds, long outputTokens) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gpu_metrics_source", source);
        double power = meanPowerW();
        m.put("gpu_power_mean_w", number(power));
        m.put("gpu_power_max_w", number(max(GpuSample::powerW)));
        m.put("gpu_util_mean_perc", number(mean(GpuSample::utilPerc)));
        m.put("gpu_memory_used_max_mib", number(max(GpuSample::memoryUsedMib)));
        double joules = power * windowSeconds;
        m.put("gpu_energy_j", number(joules));
        m.put("energy_per_output_token_j", outputTokens > 0 ? number(joules / outputTokens) : null);
        return m;
    }

    private static Double number(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    private double max(ToDoubleFunction<GpuSample> field) {
        return samples.stream().mapToDouble(field).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    private double mean(ToDoubleFunction<GpuSample> field) {
        return samples.stream().mapToDouble(field).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }
}
