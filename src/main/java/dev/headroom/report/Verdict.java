package dev.headroom.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code analyze} concluded for one (config, workload, predicted) group of analysis.json: the SLO, best
 * point, knee, the highest load under the SLO, the limiting factor with the load it first showed at (NaN when none
 * did) and its evidence, and the verdict sentence.
 */
public record Verdict(String config, String workload, boolean predicted, String gpu, Map<String, Double> slo, String sloSource,
                      OperatingPoint best, OperatingPoint knee, String maxLoadUnderSlo, String limitingFactor,
                      double limitOnset, List<String> evidence, String sentence) {

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
        return new Verdict(g.path("config").asText("default"), g.path("workload").asText(""),
                g.path("predicted").asBoolean(false), g.path("gpu").asText(""), slo,
                g.has("slo_source") ? g.path("slo_source").asText() : top.path("slo_source").asText(""),
                OperatingPoint.of(g.get("best")), OperatingPoint.of(g.get("knee")), maxLoad(g.path("max_load_under_slo")),
                factor.path("factor").asText(""), factor.path("onset").isNumber() ? factor.path("onset").asDouble() : Double.NaN,
                evidence, g.path("verdict").asText(""));
    }

    private static String maxLoad(JsonNode m) {
        if (m.isMissingNode() || m.isNull()) return "";
        boolean rate = m.hasNonNull("rate");
        double v = rate ? m.path("rate").asDouble() : m.path("concurrency").asDouble(Double.NaN);
        if (Double.isNaN(v)) return "";
        String text = rate ? Fmt.num(v) + " req/s" : "concurrency " + Fmt.num(v);
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
