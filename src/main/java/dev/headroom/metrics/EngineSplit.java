package dev.headroom.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.DoubleStream;

/**
 * Where each request's TTFT went, client and server joined per request: the engine's queue time and TTFT from the
 * server's per-request {@code metrics} (vLLM's {@code --enable-per-request-metrics}), and the rest of the
 * client-measured TTFT, which the engine does not see ({@link EngineTiming#outsideEngineMs}): the server's front
 * end, the network and the client. Percentiles as numpy computes them, over successful requests that carried the
 * timing.
 */
public final class EngineSplit {

    private EngineSplit() {}

    /**
     * summary.json's {@code server_metrics_requests} (how many successful requests carried the server's timing),
     * then {@code median_}/{@code p95_} of {@code engine_queue_ms} and {@code engine_ttft_ms}, and {@code median_},
     * {@code p95_} and {@code p99_ttft_outside_engine_ms}; null when no request carried it.
     */
    public static Map<String, Object> toMap(List<RequestRecord> records) {
        List<RequestRecord> timed = records.stream().filter(r -> r.ok() && r.engine() != null && r.engine().splitsTtft()).toList();
        double[] queue = timed.stream().mapToDouble(r -> r.engine().queueMs()).toArray();
        double[] ttft = timed.stream().mapToDouble(r -> r.engine().ttftMs()).toArray();
        double[] outside = timed.stream().mapToDouble(r -> r.engine().outsideEngineMs(r.ttftNanos() / 1e6)).toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server_metrics_requests", timed.size());
        m.put("median_engine_queue_ms", percentile(queue, 50));
        m.put("p95_engine_queue_ms", percentile(queue, 95));
        m.put("median_engine_ttft_ms", percentile(ttft, 50));
        m.put("p95_engine_ttft_ms", percentile(ttft, 95));
        m.put("median_ttft_outside_engine_ms", percentile(outside, 50));
        m.put("p95_ttft_outside_engine_ms", percentile(outside, 95));
        m.put("p99_ttft_outside_engine_ms", percentile(outside, 99));
        List<RequestRecord> ok = records.stream().filter(r -> r.ok() && r.engine() != null && r.ttftNanos() >= 0).toList();
        m.put("mean_engine_queue_ms", mean(ok.stream().mapToDouble(r -> r.engine().queueMs())));
        m.put("mean_engine_prefill_ms", mean(ok.stream().mapToDouble(r -> Math.min(r.engine().ttftMs(), r.ttftNanos() / 1e6))));
        return m;
    }

    /** The mean of the values that are not NaN, or null when none is. */
    private static Double mean(DoubleStream values) {
        OptionalDouble mean = values.filter(v -> !Double.isNaN(v)).average();
        return mean.isPresent() ? mean.getAsDouble() : null;
    }

    private static Double percentile(double[] values, double q) {
        return values.length == 0 ? null : Numpy.percentile(values, q);
    }
}
