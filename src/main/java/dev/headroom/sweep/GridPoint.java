package dev.headroom.sweep;

import dev.headroom.pipeline.LoadPoint;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One cell of a sweep: a config, a workload, a load level and a repeat.
 *
 * @param level    index of the load level in the workload's ramp
 * @param repeat   0-based repeat
 * @param repeated whether the sweep repeats cells (then the folder name ends in {@code -r<R>})
 */
public record GridPoint(String config, String workload, int level, int repeat, boolean repeated, LoadPoint point) {

    /** The point's folder, relative to the sweep folder: {@code points/<config>/<workload>-c<N>[-r<R>]}. */
    public String dir() {
        return "points/" + safe(config) + "/" + name();
    }

    /** {@code <workload>-c<N>}, {@code <workload>-rate<X>[-c<N>]}, then {@code -r<R>} when repeated. */
    public String name() {
        StringBuilder b = new StringBuilder(safe(workload));
        if (point.rateOrNull() != null) b.append("-rate").append(plain(point.rateOrNull()));
        if (point.concurrencyOrNull() != null) b.append("-c").append(point.concurrencyOrNull());
        if (repeated) b.append("-r").append(repeat);
        return b.toString();
    }

    /** A short label for the console: {@code chat c=8}, {@code chat rate=2.5}. */
    public String label() {
        StringBuilder b = new StringBuilder(workload);
        if (point.rateOrNull() != null) b.append(" rate=").append(plain(point.rateOrNull()));
        if (point.concurrencyOrNull() != null) b.append(" c=").append(point.concurrencyOrNull());
        if (repeated) b.append(" repeat ").append(repeat);
        return b.toString();
    }

    /**
     * The point's expected length relative to others of its grid: a fixed request count takes about 1/concurrency
     * (closed loop) or 1/rate (open loop) as long; a point bounded by a duration always the same.
     */
    public double weight() {
        if (point.duration() != null) return 1;
        return point.rateOrNull() != null ? 1 / point.rateOrNull() : 1.0 / point.concurrencyOrNull();
    }

    /** capacity.csv's identity columns (without status and predicted, which the run decides). */
    Map<String, Object> identity(boolean predicted, PointStatus status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", config);
        m.put("workload", workload);
        m.put("concurrency", point.concurrencyOrNull());
        m.put("rate", point.rateOrNull());
        m.put("repeat", repeat);
        m.put("predicted", predicted);
        m.put("status", status.label());
        m.put("dir", dir());
        return m;
    }

    private static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** A file-safe form of a label: letters, digits and {@code . _ = , + -}; anything else becomes {@code _}. */
    static String safe(String label) {
        return label.replaceAll("[^A-Za-z0-9._=,+-]", "_");
    }
}
