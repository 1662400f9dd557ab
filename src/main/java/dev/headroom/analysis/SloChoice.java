package dev.headroom.analysis;

import dev.headroom.metrics.Distribution;
import dev.headroom.metrics.Slo;
import dev.headroom.metrics.SloMetric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The SLO one group is judged by: percentile objectives on summary.json keys, and where they came from.
 * A point meets it when every objective's value is at most its threshold. In {@code analyze} a per-request
 * threshold of {@code --slo} ({@code ttft=1500ms}) is read as its 95th percentile ({@code p95_ttft}), the
 * playbook's form of a target: at least 95% of requests within it.
 *
 * @param objectives the targets, at least one
 * @param source     where they came from, e.g. {@code playbook chat default}
 */
public record SloChoice(List<Objective> objectives, String source) {

    /** The serving playbook's chat target: p95 E2E latency under 1500 ms. */
    public static final double CHAT_P95_E2EL_MS = 1500;
    /** The serving playbook's batch summarization target: p95 E2E latency under 5000 ms. */
    public static final double SUMMARIZE_P95_E2EL_MS = 5000;
    /** An objective's summary key: {@code median_tpot_ms}, {@code p95_e2el_ms}, {@code p99.9_ttft_ms}. */
    private static final Pattern OBJECTIVE_KEY = Pattern.compile("(median|p(\\d+(?:\\.\\d+)?))_([a-z0-9]+)_ms");
    /** Percentile that stands for a per-request threshold. */
    static final double PER_REQUEST_PERCENTILE = 95;

    /**
     * One objective: the {@code percentile}-th percentile of {@code metric} at most {@code thresholdMs}.
     *
     * @param key         the summary.json key it reads, e.g. {@code p95_e2el_ms}
     */
    public record Objective(String key, SloMetric metric, double percentile, double thresholdMs) {
        public Objective {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(metric, "metric");
        }

        static Objective of(double percentile, SloMetric metric, double thresholdMs) {
            String p = percentile == 50 ? "median" : "p" + Distribution.percentileWord(percentile);
            return new Objective(p + "_" + metric.key() + "_ms", metric, percentile, thresholdMs);
        }

        /** {@code p95 E2E}, {@code median TPOT}. */
        public String label() {
            String p = percentile == 50 ? "median" : "p" + Distribution.percentileWord(percentile);
            return p + " " + (metric == SloMetric.E2EL ? "E2E" : metric.key().toUpperCase(Locale.ROOT));
        }
    }

    public SloChoice {
        objectives = List.copyOf(objectives);
        Objects.requireNonNull(source, "source");
        if (objectives.isEmpty()) throw new IllegalArgumentException("an SLO needs at least one objective");
    }

    /**
     * The SLO of a workload's group: {@code override} (the analyze {@code --slo}) when given, else the
     * {@code --slo} its sweep or run was given (sweep.json's {@code slo} with {@code slo_source: --slo}, or run.yaml's
     * {@code slo}), else the playbook's default for the workload's name.
     */
    public static SloChoice resolve(String workload, Slo override, Slo recorded) {
        if (override != null) return of(override, "--slo " + override.spec());
        if (recorded != null) return of(recorded, "the run's --slo " + recorded.spec());
        return playbook(workload);
    }

    /** The serving playbook's target: chat 1500 ms, summarize 5000 ms, anything else chat's (and says so). */
    public static SloChoice playbook(String workload) {
        String name = workload.toLowerCase(Locale.ROOT);
        if (name.equals("summarize")) {
            return new SloChoice(List.of(Objective.of(95, SloMetric.E2EL, SUMMARIZE_P95_E2EL_MS)),
                    "playbook summarize default");
        }
        String source = name.equals("chat") ? "playbook chat default"
                : "playbook chat default (the playbook has no target for workload '" + workload + "')";
        return new SloChoice(List.of(Objective.of(95, SloMetric.E2EL, CHAT_P95_E2EL_MS)), source);
    }

    /**
     * The SLO analysis.json recorded: each objective's summary key ({@code p95_e2el_ms}, {@code median_tpot_ms}) and
     * threshold in ms. A key that names no percentile of a known metric is bad input naming it.
     */
    public static SloChoice ofKeys(Map<String, Double> thresholdsMs, String source) {
        List<Objective> objectives = new ArrayList<>();
        thresholdsMs.forEach((key, ms) -> {
            Matcher m = OBJECTIVE_KEY.matcher(key);
            SloMetric metric = m.matches() ? Arrays.stream(SloMetric.values())
                    .filter(x -> x.key().equals(m.group(3))).findFirst().orElse(null) : null;
            if (metric == null) throw new IllegalArgumentException("analysis.json: slo key '" + key + "' names no percentile of ttft, tpot, itl or e2el");
            double percentile = m.group(2) == null ? 50 : Double.parseDouble(m.group(2));
            objectives.add(new Objective(key, metric, percentile, ms));
        });
        return new SloChoice(objectives, source);
    }

    /** The objectives of a parsed {@code --slo}; per-request thresholds become p95 objectives. */
    static SloChoice of(Slo slo, String source) {
        List<Objective> objectives = new ArrayList<>();
        slo.perRequestNanos().forEach((metric, nanos) ->
                objectives.add(Objective.of(PER_REQUEST_PERCENTILE, metric, nanos / 1e6)));
        for (Slo.PercentileTarget t : slo.percentileTargets()) {
            objectives.add(Objective.of(t.percentile(), t.metric(), t.thresholdNanos() / 1e6));
        }
        return new SloChoice(objectives, source);
    }

    /**
     * How far a point is from the SLO: the largest value/threshold over the objectives (≤ 1 meets it), or null
     * when a value is missing.
     */
    public Double ratio(Function<String, Double> values) {
        double worst = 0;
        for (Objective o : objectives) {
            Double v = values.apply(o.key());
            if (v == null) return null;
            worst = Math.max(worst, v / o.thresholdMs());
        }
        return worst;
    }

    /** The objective with the largest value/threshold at these values: the one that binds. */
    public Objective binding(Function<String, Double> values) {
        Objective worst = objectives.get(0);
        double worstRatio = -1;
        for (Objective o : objectives) {
            Double v = values.apply(o.key());
            double r = v == null ? Double.POSITIVE_INFINITY : v / o.thresholdMs();
            if (r > worstRatio) {
                worst = o;
                worstRatio = r;
            }
        }
        return worst;
    }

    /** analysis.json's {@code slo}: each objective's key and threshold, e.g. {@code {"p95_e2el_ms": 1500.0}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Objective o : objectives) m.put(o.key(), o.thresholdMs());
        return m;
    }

    /** {@code p95 E2E ≤ 1.50 s}, for sentences. */
    public String describe() {
        return objectives.stream().map(o -> o.label() + " ≤ " + Text.latency(o.thresholdMs()))
                .collect(Collectors.joining(", "));
    }
}
