package dev.headroom.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A load point that {@code analyze} singled out ({@code best} or {@code knee} in analysis.json). Missing numbers are
 * NaN; {@code concurrency} or {@code rate} says where the point sits on the load axis.
 */
public record OperatingPoint(double concurrency, double rate, double outputThroughput, double p95E2elMs,
                             double p95TtftMs, double medianTpotMs) {

    /** The point in {@code node}, or null when the node is null, missing or JSON null. */
    static OperatingPoint of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        return new OperatingPoint(num(node, "concurrency"), num(node, "rate"), num(node, "output_throughput"),
                num(node, "p95_e2el_ms"), num(node, "p95_ttft_ms"), num(node, "median_tpot_ms"));
    }

    static double num(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    /** Where the point sits on the load axis: its rate in an open loop, else its concurrency. */
    public double load() {
        return Double.isNaN(rate) ? concurrency : rate;
    }

    /** "concurrency 24" or "rate 3.5 req/s". */
    public String loadText() {
        return Double.isNaN(rate) ? "concurrency " + Fmt.count(concurrency) : "rate " + Fmt.num(rate) + " req/s";
    }
}
