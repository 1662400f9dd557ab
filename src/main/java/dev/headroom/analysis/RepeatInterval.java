package dev.headroom.analysis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A 95% confidence interval for the mean of one figure over a load's repeats: mean ± t(0.975, n−1)·s/√n, with s the
 * sample standard deviation (n−1 in the denominator) and t Student's quantile. It says how far the mean of another
 * set of n runs of the same point could fall; it reflects what changes between repeats (each repeat draws its own
 * prompts and lengths, and a measured run its own timing), not a change of server, hardware or workload. Computed from
 * {@link #MIN_RUNS} runs on: with one or two, the half-width is NaN and the text says so.
 *
 * @param mean      the mean over the runs that measured the figure
 * @param halfWidth the interval's half-width in the figure's unit, NaN when not computed
 * @param runs      how many runs measured the figure (0 when none did)
 */
public record RepeatInterval(double mean, double halfWidth, int runs) {

    /** The fewest runs an interval is computed from: two runs give a t quantile of 12.7, an interval of no use. */
    public static final int MIN_RUNS = 3;
    /** The confidence level. */
    public static final double LEVEL = 0.95;
    /** The figures a recommended point's interval is given for: output throughput and p95 E2E latency. */
    public static final List<String> FIGURES = List.of(Analyzer.THROUGHPUT, "p95_e2el_ms");

    /** Student's t quantile at 0.975 for 1–30 degrees of freedom (index = df − 1). */
    private static final double[] T975 = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622,
        2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687,
        2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
    private static final double Z975 = 1.959964;

    /** The interval of {@code values} (NaN entries are runs that did not measure the figure, and are left out). */
    public static RepeatInterval of(List<Double> values) {
        double[] v = values.stream().filter(x -> x != null && !x.isNaN()).mapToDouble(Double::doubleValue).toArray();
        int n = v.length;
        if (n == 0) return new RepeatInterval(Double.NaN, Double.NaN, 0);
        double mean = 0;
        for (double x : v) mean += x;
        mean /= n;
        if (n < MIN_RUNS) return new RepeatInterval(mean, Double.NaN, n);
        double squares = 0;
        for (double x : v) squares += (x - mean) * (x - mean);
        double s = Math.sqrt(squares / (n - 1));
        return new RepeatInterval(mean, tQuantile975(n - 1) * s / Math.sqrt(n), n);
    }

    /**
     * Student's t quantile at 0.975 for {@code df} degrees of freedom: the table to 30, then the Cornish–Fisher
     * expansion around the normal quantile (within 1e-5 of the exact value from 31 on).
     */
    static double tQuantile975(int df) {
        if (df < 1) throw new IllegalArgumentException("degrees of freedom must be at least 1, was " + df);
        if (df <= T975.length) return T975[df - 1];
        double z = Z975;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        double z7 = z5 * z * z;
        double d = df;
        return z + (z3 + z) / (4 * d) + (5 * z5 + 16 * z3 + 3 * z) / (96 * d * d)
                + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * d * d * d);
    }

    /** Whether the interval was computed ({@link #MIN_RUNS} runs or more). */
    public boolean computed() {
        return !Double.isNaN(halfWidth);
    }

    public double low() {
        return mean - halfWidth;
    }

    public double high() {
        return mean + halfWidth;
    }

    /** For analysis.json: {@code runs}, {@code mean}, and {@code half_width}, {@code low}, {@code high} (null when not computed). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", runs);
        m.put("mean", runs == 0 ? null : mean);
        m.put("half_width", computed() ? halfWidth : null);
        m.put("low", computed() ? low() : null);
        m.put("high", computed() ? high() : null);
        return m;
    }

    /**
     * analysis.json's {@code interval} of a recommended point: the level, the method and one interval per figure
     * (output throughput and p95 E2E latency).
     */
    public static Map<String, Object> json(LoadPoint p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", LEVEL);
        m.put("method", "student_t");
        for (String key : FIGURES) m.put(key, p.interval(key).toMap());
        return m;
    }
}
