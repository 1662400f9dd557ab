package dev.headroom.metrics;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metric's statistics as vLLM {@code bench serve} reports them (vllm/benchmarks/serve.py
 * {@code calculate_metrics}): numpy mean, median, population std and linear percentiles of the values in seconds,
 * each multiplied by 1000 into milliseconds; an empty list reports 0 everywhere ({@code np.mean(values or 0)}).
 */
public final class Distribution {

    /** The percentiles headroom reports for every metric (vLLM's {@code --metric-percentiles 90,95,99,99.9}). */
    public static final List<Double> PERCENTILES = List.of(90.0, 95.0, 99.0, 99.9);

    private static final double MS_PER_S = 1000; // serve.py: MILLISECONDS_TO_SECONDS_CONVERSION

    private final double[] sortedSeconds;
    private final double meanMs;
    private final double medianMs;
    private final double stdMs;

    private Distribution(double[] seconds) {
        this.sortedSeconds = seconds.clone();
        Arrays.sort(sortedSeconds);
        this.meanMs = Numpy.mean(seconds) * MS_PER_S;
        this.medianMs = Numpy.median(sortedSeconds) * MS_PER_S;
        this.stdMs = Numpy.std(seconds) * MS_PER_S;
    }

    /** Statistics of {@code seconds} (any order; kept in the order given for mean and std as numpy sums them). */
    public static Distribution ofSeconds(double[] seconds) {
        return new Distribution(seconds);
    }

    /** Number of values (0 means every statistic is 0). */
    public int count() {
        return sortedSeconds.length;
    }

    public double meanMs() {
        return meanMs;
    }

    public double medianMs() {
        return medianMs;
    }

    /** Population standard deviation (ddof=0), as {@code np.std}. */
    public double stdMs() {
        return stdMs;
    }

    /** {@code np.percentile(values, p) * 1000} with linear interpolation; p in [0, 100]. */
    public double percentileMs(double p) {
        return Numpy.percentileOfSorted(sortedSeconds, p) * MS_PER_S;
    }

    /** The largest value in ms, or 0 when empty. */
    public double maxMs() {
        return sortedSeconds.length == 0 ? 0 : sortedSeconds[sortedSeconds.length - 1] * MS_PER_S;
    }

    /**
     * vLLM's percentile key word: {@code str(int(p)) if int(p) == p else str(p)} (serve.py
     * {@code process_one_metric}), so 99 → "99" and 99.9 → "99.9".
     */
    public static String percentileWord(double p) {
        if (p == Math.rint(p)) return Long.toString((long) p);
        return BigDecimal.valueOf(p).stripTrailingZeros().toPlainString();
    }

    /**
     * The vLLM result keys for metric {@code name}, in vLLM's order: mean_, median_, std_ then p{word}_ per
     * {@link #PERCENTILES}, all suffixed {@code _ms}.
     */
    public Map<String, Double> vllmKeys(String name) {
        Map<String, Double> keys = new LinkedHashMap<>();
        keys.put("mean_" + name + "_ms", meanMs);
        keys.put("median_" + name + "_ms", medianMs);
        keys.put("std_" + name + "_ms", stdMs);
        for (double p : PERCENTILES) keys.put("p" + percentileWord(p) + "_" + name + "_ms", percentileMs(p));
        return keys;
    }
}
