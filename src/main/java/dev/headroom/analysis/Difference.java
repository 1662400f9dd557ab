package dev.headroom.analysis;

import dev.headroom.results.GroupKey;

/**
 * One metric of one load point, measured and predicted side by side.
 *
 * @param key         the measured group (its predicted twin differs only in {@code predicted})
 * @param concurrency the point's concurrency, or null
 * @param rate        the point's rate, or null
 * @param metric      the summary key: {@code output_throughput}, {@code median_tpot_ms}, {@code p95_e2el_ms}
 * @param measured    the measured value (mean over repeats)
 * @param predicted   the predicted value (mean over repeats)
 * @param errorPct    (predicted − measured) / measured × 100, or null when measured is 0
 */
public record Difference(GroupKey key, Integer concurrency, Double rate, String metric,
                         double measured, double predicted, Double errorPct) {
}
