package dev.headroom.sweep;

import dev.headroom.metrics.PointErrors;
import dev.headroom.metrics.Slo;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The early stop of one workload's load ramp: once the SLO is clearly broken, higher loads only cost time. A level
 * is broken when the SLO metric's percentile (averaged over the level's repeats) is above twice its target; the ramp
 * stops after two consecutive broken levels, or at once when a level's error rate passes {@code --max-error-rate}.
 */
final class RampStop {

    /** The rule, as --help and sweep.json state it. */
    static final String RULE = "stop a workload's ramp after 2 consecutive load levels whose SLO percentile "
            + "(e.g. p95 E2E) is above 2x its target, or once a level's error rate passes --max-error-rate";

    static final double FACTOR = 2;
    static final int CONSECUTIVE = 2;

    private final String key;
    private final double targetMs;
    private final double maxErrorRate;
    private int brokenInARow;
    private String reason;

    /** The rule for {@code slo}: its first percentile target, else p95 of its first per-request metric. */
    RampStop(Slo slo, double maxErrorRate) {
        if (!slo.percentileTargets().isEmpty()) {
            Slo.PercentileTarget t = slo.percentileTargets().get(0);
            key = t.key();
            targetMs = t.thresholdNanos() / 1e6;
        } else {
            var first = slo.perRequestNanos().entrySet().iterator().next();
            key = "p95_" + first.getKey().key();
            targetMs = first.getValue() / 1e6;
        }
        this.maxErrorRate = maxErrorRate;
    }

    /** Why the ramp stopped, or null while it goes on. */
    String reason() {
        return reason;
    }

    /** Judges one finished level from its repeats' summaries (a failed repeat has none and counts as broken). */
    void levelDone(String level, List<Map<String, Object>> summaries) {
        if (reason != null) return;
        double errors = errorRate(summaries);
        if (maxErrorRate < 1 && errors > maxErrorRate) {
            reason = String.format(Locale.ROOT, "error rate %.2f at %s passed --max-error-rate %s", errors, level, maxErrorRate);
            return;
        }
        double value = meanPercentileMs(summaries);
        if (Double.isNaN(value) || value > FACTOR * targetMs) brokenInARow++;
        else brokenInARow = 0;
        if (brokenInARow >= CONSECUTIVE) {
            reason = String.format(Locale.ROOT, "%s %.0f ms at %s is above %.0fx the target %.0f ms for %d levels in a row",
                    key, value, level, FACTOR, targetMs, CONSECUTIVE);
        }
    }

    private double meanPercentileMs(List<Map<String, Object>> summaries) {
        double sum = 0;
        int n = 0;
        for (Map<String, Object> s : summaries) {
            Double v = percentileMs(s);
            if (v == null) return Double.NaN;
            sum += v;
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The measured percentile: the SLO check in summary.json, else the plain {@code pNN_metric_ms} key. */
    @SuppressWarnings("unchecked")
    private Double percentileMs(Map<String, Object> s) {
        if (s == null || !(s.get("completed") instanceof Number c) || c.intValue() == 0) return null;
        if (s.get("slo") instanceof Map<?, ?> slo && slo.get("checks") instanceof Map<?, ?> checks
                && checks.get(key) instanceof Map<?, ?> check && check.get("measured_ms") instanceof Number v) {
            return v.doubleValue();
        }
        return s.get(key + "_ms") instanceof Number v ? v.doubleValue() : null;
    }

    /** The level's server error rate by the one rule ({@link PointStatus#errors}), over its repeats' requests. */
    private static double errorRate(List<Map<String, Object>> summaries) {
        long failures = 0;
        long sent = 0;
        for (Map<String, Object> s : summaries) {
            if (s == null) continue;
            PointErrors e = PointStatus.errors(s);
            failures += e.serverFailures();
            sent += e.sent();
        }
        return sent == 0 ? 0 : (double) failures / sent;
    }
}
