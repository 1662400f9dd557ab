package dev.headroom.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a run fared against an {@link Slo}.
 *
 * @param slo           the objective
 * @param goodRequests  successful requests meeting every per-request threshold, or -1 without per-request ones
 * @param goodFromScheduled the same with TTFT and E2EL measured from the scheduled send (client queueing
 *                      included; what an open loop's users saw), or -1 without per-request thresholds
 * @param sentRequests  every request sent in the run, failed ones included (the attainment denominator)
 * @param checks        one result per percentile target, in the order written
 */
public record SloResult(Slo slo, int goodRequests, int goodFromScheduled, int sentRequests, List<Check> checks) {

    /**
     * One percentile target's outcome.
     *
     * @param target     the target
     * @param measuredMs the measured percentile in ms (numpy linear, as the summary keys)
     * @param pass       measured ≤ threshold, and at least one value was measured
     */
    public record Check(Slo.PercentileTarget target, double measuredMs, boolean pass) {
        public Check {
            Objects.requireNonNull(target, "target");
        }

        public double thresholdMs() {
            return target.thresholdNanos() / 1e6;
        }
    }

    public SloResult {
        Objects.requireNonNull(slo, "slo");
        checks = List.copyOf(checks);
    }

    /**
     * Percent of all requests sent (failed ones count as not good) that met every per-request threshold; null
     * without per-request thresholds. vLLM reports only the goodput rate; attainment follows GuideLLM.
     */
    public Double attainmentPct() {
        if (goodRequests < 0) return null;
        return sentRequests == 0 ? 0.0 : 100.0 * goodRequests / sentRequests;
    }

    /** As {@link #attainmentPct} with TTFT and E2EL from the scheduled send; null without per-request thresholds. */
    public Double attainmentFromScheduledPct() {
        if (goodFromScheduled < 0) return null;
        return sentRequests == 0 ? 0.0 : 100.0 * goodFromScheduled / sentRequests;
    }

    /** Whether every percentile target passed; null when there are none. */
    public Boolean pass() {
        if (checks.isEmpty()) return null;
        return checks.stream().allMatch(Check::pass);
    }

    /** The {@code slo} block written to summary.json: spec, thresholds, attainment and each check. */
    public Map<String, Object> toMap() {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("spec", slo.spec());
        Map<String, Object> thresholds = new LinkedHashMap<>();
        slo.perRequestNanos().forEach((metric, nanos) -> thresholds.put(metric.key() + "_ms", nanos / 1e6));
        block.put("per_request_ms", thresholds);
        block.put("good_requests", goodRequests < 0 ? null : goodRequests);
        block.put("sent_requests", sentRequests);
        block.put("attainment_pct", attainmentPct());
        block.put("good_requests_from_scheduled", goodFromScheduled < 0 ? null : goodFromScheduled);
        block.put("attainment_from_scheduled_pct", attainmentFromScheduledPct());
        Map<String, Object> checkMap = new LinkedHashMap<>();
        for (Check c : checks) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("threshold_ms", c.thresholdMs());
            one.put("measured_ms", c.measuredMs());
            one.put("pass", c.pass());
            checkMap.put(c.target().key(), one);
        }
        block.put("checks", checkMap);
        block.put("pass", pass());
        return block;
    }
}
