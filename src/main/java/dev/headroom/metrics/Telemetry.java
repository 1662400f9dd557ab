package dev.headroom.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The time series over one load point's measured window: the server's (its first sample is the baseline, taken
 * after warm-up; its last the end) and the GPU's. Gives telemetry.csv and summary.json's telemetry keys
 * (docs/formats.md).
 *
 * @param samples the server's, in time order; empty when the server exposes nothing
 * @param gpu     the GPU's; {@link GpuTelemetry#NONE} when no GPU was sampled
 */
public record Telemetry(List<TelemetrySample> samples, GpuTelemetry gpu) {

    /** No series: a server without {@code /metrics}, no GPU sampled. */
    public static final Telemetry NONE = new Telemetry(List.of());

    public Telemetry {
        samples = List.copyOf(samples);
        Objects.requireNonNull(gpu, "gpu");
    }

    /** The server's series alone. */
    public Telemetry(List<TelemetrySample> samples) {
        this(samples, GpuTelemetry.NONE);
    }

    /** The same server series beside the GPU's {@code gpuSeries}. */
    public Telemetry withGpu(GpuTelemetry gpuSeries) {
        return new Telemetry(samples, gpuSeries);
    }

    /** Whether neither the server nor the GPU gave a sample. */
    public boolean isEmpty() {
        return samples.isEmpty() && gpu.isEmpty();
    }

    /**
     * summary.json's telemetry keys: max and mean of KV usage, running and waiting requests; preemptions and the
     * prefix-cache hit rate over the window (last minus first sample). Null where the server exposes nothing.
     *
     * @param logPreemptions preemptions counted in the server's log over the window (V0 warnings), or -1 when
     *                       headroom has no log; used when {@code /metrics} has no preemption counter
     */
    public Map<String, Object> summary(long logPreemptions) {
        Map<String, Object> m = new LinkedHashMap<>();
        stats(m, "kv_cache_usage", TelemetrySample::kvCacheUsage);
        stats(m, "num_requests_running", TelemetrySample::running);
        stats(m, "num_requests_waiting", TelemetrySample::waiting);
        Double preemptions = increase(TelemetrySample::preemptions);
        if (preemptions == null && logPreemptions >= 0) preemptions = (double) logPreemptions;
        m.put("server_preemptions", preemptions == null ? null : preemptions.longValue());
        Double hits = increase(TelemetrySample::prefixCacheHits);
        Double queries = increase(TelemetrySample::prefixCacheQueries);
        m.put("server_prefix_cache_hit_rate", hits == null || queries == null || queries == 0 ? null : hits / queries);
        return m;
    }

    private void stats(Map<String, Object> m, String key, ToDoubleFunction<TelemetrySample> field) {
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int n = 0;
        for (TelemetrySample s : samples) {
            double v = field.applyAsDouble(s);
            if (Double.isNaN(v)) continue;
            max = Math.max(max, v);
            sum += v;
            n++;
        }
        m.put(key + "_max", n == 0 ? null : max);
        m.put(key + "_mean", n == 0 ? null : sum / n);
    }

    /** Last minus first value of a counter; a counter that went down (a restart) counts from 0. */
    private Double increase(ToDoubleFunction<TelemetrySample> counter) {
        if (samples.isEmpty()) return null;
        double first = counter.applyAsDouble(samples.get(0));
        double last = counter.applyAsDouble(samples.get(samples.size() - 1));
        if (Double.isNaN(first) || Double.isNaN(last)) return null;
        return last >= first ? last - first : last;
    }
}
