package dev.headroom.metrics;

import java.util.Map;

/**
 * The lengths of a run's successful requests in tokens, as sent (prompt tokens) or as received (output tokens): the
 * mean, the median and the 90th percentile, numpy's linear percentiles as every other figure of a summary.
 *
 * @param mean   tokens per request on average
 * @param median half the requests had at most this many tokens
 * @param p90    nine in ten had at most this many
 */
public record TokenLengths(double mean, double median, double p90) {

    /** The figures of {@code tokens} (one value per request); null when there is none. */
    static TokenLengths of(double[] tokens) {
        if (tokens.length == 0) return null;
        return new TokenLengths(Numpy.mean(tokens), Numpy.median(tokens), Numpy.percentile(tokens, 90));
    }

    /** Puts {@code mean_KIND_tokens}, {@code median_KIND_tokens} and {@code p90_KIND_tokens}; null values when absent. */
    static void put(Map<String, Object> m, String kind, TokenLengths lengths) {
        m.put("mean_" + kind + "_tokens", lengths == null ? null : lengths.mean);
        m.put("median_" + kind + "_tokens", lengths == null ? null : lengths.median);
        m.put("p90_" + kind + "_tokens", lengths == null ? null : lengths.p90);
    }
}
