package dev.headroom.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.analysis.Judge;
import dev.headroom.analysis.SloChoice;
import dev.headroom.results.GroupKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code analyze} concluded for one group of analysis.json ({@link GroupKey}): the SLO and error ceiling it
 * judged by, best point, knee, the highest load under the SLO, the limiting factor with the load it first showed at
 * (NaN when none did) and its evidence, and the verdict sentence.
 *
 * @param axis    {@code concurrency} or {@code rate}
 * @param rateCap the concurrency cap of a rate group, or null
 * @param recommendation the load to serve at by the group's objective; from {@code best} as a latency objective
 *                       when analysis.json predates recommendations; null when analyze recommends none
 * @param toConfirm the predicted load that meets the SLO on its central figure but within the prediction's error of
 *                  it, to measure before relying on it; null when there is none (always for measured curves)
 */
public record Verdict(String config, String workload, boolean predicted, String gpu, String model, String axis,
                      Integer rateCap, Map<String, Double> slo, String sloSource, double maxErrorRate,
                      OperatingPoint best, OperatingPoint knee, String maxLoadUnderSlo, String limitingFactor,
                      double limitOnset, List<String> evidence, String sentence, Recommended recommendation,
                      Confirm toConfirm) {

    /**
     * analysis.json's {@code recommendation.to_confirm}: a load whose predicted range crosses the SLO while its central
     * figure meets it, and the command that measures it.
     *
     * @param point   the load and its central figures
     * @param command the {@code headroom sweep} command that measures it on the user's server
     */
    public record Confirm(OperatingPoint point, String command) {

        static Confirm of(JsonNode r) {
            OperatingPoint point = r == null ? null : OperatingPoint.of(r.get("to_confirm"));
            return point == null ? null : new Confirm(point, r.get("to_confirm").path("command").asText(""));
        }
    }

    /**
     * analysis.json's {@code recommendation}: the objective ({@code latency} or {@code throughput}), the load and its
     * figures, why, and the next load (null at the top).
     */
    public record Recommended(String objective, OperatingPoint point, String reason, OperatingPoint next) {

        /** Whether the load was chosen for throughput per GPU (a batch job) rather than latency. */
        public boolean throughput() {
            return objective.equals("throughput");
        }

        /** The objective in plain words, for a recipe. */
        public String objectiveText() {
            return throughput() ? "as much throughput per GPU as the server gives without preempting or failing requests, "
                    + "so the least cost per million tokens (a batch job is judged by when it completes, not by each request's latency)"
                    : "the highest load at which the latency target still holds (each request's wait is felt)";
        }

        static Recommended of(JsonNode r, OperatingPoint best) {
            if (r == null || r.isMissingNode() || r.isNull()) return best == null ? null : new Recommended("latency", best, "", null);
            OperatingPoint point = OperatingPoint.of(r);
            if (Double.isNaN(point.load())) return null;
            return new Recommended(r.path("objective").asText("latency"), point, r.path("reason").asText(""),
                    OperatingPoint.of(r.get("next_load")));
        }
    }

    /**
     * The thresholds of this verdict, each named once, in the words every part of a document uses: "serve at c=16;
     * the knee is at c=32; the limit is `decode_bandwidth` from c=32" ({@code loadText} writes each load).
     */
    public String thresholds(java.util.function.DoubleFunction<String> loadText) {
        List<String> parts = new ArrayList<>();
        if (recommendation != null) parts.add("serve at " + loadText.apply(recommendation.point().load()));
        parts.add(knee == null ? "throughput has not levelled off (no knee)" : "the knee is at " + loadText.apply(knee.load()));
        if (limitingFactor.isEmpty() || limitingFactor.equals("none_observed")) parts.add("no limit was observed within the loads swept");
        else parts.add("the limit is `" + limitingFactor + "`" + (Double.isNaN(limitOnset) ? "" : " from " + loadText.apply(limitOnset)));
        return String.join("; ", parts);
    }

    /** Whether this verdict is of the group {@code key}: equal in every part analysis.json names. */
    boolean judged(GroupKey key) {
        return config.equals(key.config()) && workload.equals(key.workload()) && predicted == key.predicted()
                && known(gpu, key.gpu()) && known(model, key.model())
                && (axis.isEmpty() || axis.equals(key.openLoop() ? "rate" : "concurrency"))
                && java.util.Objects.equals(rateCap, key.rateCap());
    }

    /** Equal where both name one (files of older headroom versions leave some out). */
    private static boolean known(String recorded, String actual) {
        return recorded.isEmpty() || actual == null || recorded.equals(actual);
    }

    /** analyze's Judge with the SLO and error ceiling of this verdict; {@code otherwise} when it records no SLO. */
    public Judge judge(Judge otherwise) {
        if (slo.isEmpty()) return otherwise;
        return new Judge(SloChoice.ofKeys(slo, sloSource), Double.isNaN(maxErrorRate) ? otherwise.maxErrorRate() : maxErrorRate);
    }

    /** Reads one group object (or the top level, whose keys are those of the first group). */
    static Verdict of(JsonNode g, JsonNode top) {
        JsonNode sloNode = g.has("slo") ? g.get("slo") : top.path("slo");
        Map<String, Double> slo = new LinkedHashMap<>();
        sloNode.fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) slo.put(e.getKey(), e.getValue().asDouble());
        });
        JsonNode factor = g.path("limiting_factor");
        List<String> evidence = new ArrayList<>();
        factor.path("evidence").forEach(e -> evidence.add(e.asText()));
        JsonNode cap = g.path("rate_cap");
        OperatingPoint best = OperatingPoint.of(g.get("best"));
        return new Verdict(g.path("config").asText("default"), g.path("workload").asText(""),
                g.path("predicted").asBoolean(false), dev.headroom.spec.Gpu.catalogId(g.path("gpu").asText("")),
                dev.headroom.spec.ModelSpec.huggingFaceId(g.path("model").asText("")),
                g.path("axis").asText(""), cap.canConvertToInt() ? cap.asInt() : null, slo,
                g.has("slo_source") ? g.path("slo_source").asText() : top.path("slo_source").asText(""),
                top.path("max_error_rate").isNumber() ? top.path("max_error_rate").asDouble() : Double.NaN,
                best, OperatingPoint.of(g.get("knee")), maxLoad(g.path("max_load_under_slo")),
                factor.path("factor").asText(""), factor.path("onset").isNumber() ? factor.path("onset").asDouble() : Double.NaN,
                evidence, g.path("verdict").asText(""), Recommended.of(g.get("recommendation"), best),
                Confirm.of(g.get("recommendation")));
    }

    private static String maxLoad(JsonNode m) {
        if (m.isMissingNode() || m.isNull()) return "";
        boolean rate = m.hasNonNull("rate");
        double v = rate ? m.path("rate").asDouble() : m.path("concurrency").asDouble(Double.NaN);
        if (Double.isNaN(v)) return "";
        String text = rate ? Fmt.num(v) + " req/s" : "concurrency " + Fmt.concurrency(v);
        if (m.path("interpolated").asBoolean(false)) text += " (interpolated)";
        return text;
    }

    /** The SLO in words, e.g. "p95 E2E ≤ 1,500 ms", or "" when analysis.json states none. */
    public String sloText() {
        List<String> parts = new ArrayList<>();
        slo.forEach((k, v) -> parts.add(Fmt.metricName(k) + " ≤ " + Fmt.ms(v)));
        return String.join(", ", parts);
    }

    /** The SLO bound on a percentile metric such as {@code p95_e2el_ms}, or NaN. */
    public double sloMs(String key) {
        return slo.getOrDefault(key, Double.NaN);
    }
}
