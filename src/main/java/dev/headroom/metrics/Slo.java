package dev.headroom.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service-level objective from {@code --slo}: per-request thresholds as vLLM's {@code --goodput}
 * ({@code ttft=1500ms,tpot=50ms,e2el=5s}: a request is good when every named value is at most its threshold)
 * and aggregate percentile targets ({@code p95_e2el=5s}: the run passes when the 95th percentile is at most 5 s).
 *
 * @param perRequestNanos   thresholds per metric (only {@link SloMetric#perRequest()} metrics), in nanoseconds
 * @param percentileTargets aggregate targets, in the order written
 * @param spec              the text parsed, for reports
 */
public record Slo(Map<SloMetric, Long> perRequestNanos, List<PercentileTarget> percentileTargets, String spec) {

    private static final Pattern PERCENTILE_KEY = Pattern.compile("p(\\d+(?:\\.\\d+)?)_([a-z0-9]+)");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");
    private static final String FORMS = "accepted: ttft=, tpot=, e2el= (per request) or pNN_<ttft|tpot|itl|e2el>= "
            + "(percentile, e.g. p95_e2el=5s), with durations like 500ms, 2s, 1m";

    /**
     * One aggregate target: the {@code percentile}-th percentile of {@code metric} at most {@code thresholdNanos}.
     *
     * @param percentile     in (0, 100]
     * @param metric         the metric whose distribution is checked
     * @param thresholdNanos the largest passing value
     */
    public record PercentileTarget(double percentile, SloMetric metric, long thresholdNanos) {
        public PercentileTarget {
            Objects.requireNonNull(metric, "metric");
            if (!(percentile > 0 && percentile <= 100)) {
                throw new IllegalArgumentException("SLO percentile must be in (0, 100], was " + percentile);
            }
        }

        /** The key as written, e.g. {@code p95_e2el} or {@code p99.9_ttft}. */
        public String key() {
            return "p" + Distribution.percentileWord(percentile) + "_" + metric.key();
        }
    }

    public Slo {
        perRequestNanos = Collections.unmodifiableMap(new EnumMap<>(perRequestNanos));
        percentileTargets = List.copyOf(percentileTargets);
        Objects.requireNonNull(spec, "spec");
        if (perRequestNanos.isEmpty() && percentileTargets.isEmpty()) {
            throw new IllegalArgumentException("--slo names no objective; " + FORMS);
        }
    }

    /** Parses {@code key=duration[,key=duration...]}; throws a one-line IllegalArgumentException on bad input. */
    public static Slo parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        Map<SloMetric, Long> perRequest = new EnumMap<>(SloMetric.class);
        List<PercentileTarget> targets = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            String item = part.strip().toLowerCase(Locale.ROOT);
            int eq = item.indexOf('=');
            if (eq < 0) throw bad("'" + part.strip() + "' is not key=duration");
            String key = item.substring(0, eq).strip();
            long nanos = durationNanos(key, item.substring(eq + 1).strip());
            if (seen.contains(key)) throw bad("'" + key + "' is given twice");
            seen.add(key);
            SloMetric metric = SloMetric.byKey(key);
            if (metric != null && metric.perRequest()) {
                perRequest.put(metric, nanos);
            } else if (metric != null) {
                throw bad("'" + key + "' has no per-request form (it is per chunk); use a percentile, e.g. p95_" + key);
            } else {
                targets.add(percentileTarget(key, nanos));
            }
        }
        return new Slo(perRequest, targets, spec.strip());
    }

    private static PercentileTarget percentileTarget(String key, long nanos) {
        Matcher m = PERCENTILE_KEY.matcher(key);
        SloMetric metric = m.matches() ? SloMetric.byKey(m.group(2)) : null;
        if (metric == null) throw bad("unknown key '" + key + "'");
        double p = Double.parseDouble(m.group(1));
        if (!(p > 0 && p <= 100)) throw bad("percentile in '" + key + "' must be in (0, 100]");
        return new PercentileTarget(p, metric, nanos);
    }

    private static long durationNanos(String key, String value) {
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) throw bad("'" + key + "=" + value + "' has no valid duration");
        double amount = Double.parseDouble(m.group(1));
        double nanosPerUnit = switch (m.group(2)) {
            case "ms" -> 1e6;
            case "s" -> 1e9;
            default -> 60e9;
        };
        return Math.round(amount * nanosPerUnit);
    }

    private static IllegalArgumentException bad(String what) {
        return new IllegalArgumentException("--slo: " + what + "; " + FORMS);
    }

    /** Whether any per-request threshold is set (then goodput and attainment are reported). */
    public boolean hasPerRequest() {
        return !perRequestNanos.isEmpty();
    }
}
