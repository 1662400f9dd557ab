package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The summary values of a point read from another tool's file, under headroom's (vLLM {@code bench serve}'s) names:
 * {@code mean_X_ms}, {@code median_X_ms}, {@code std_X_ms}, {@code p90_X_ms}, {@code p95_X_ms}, {@code p99_X_ms}
 * for each latency X, the request lengths, and the counts and throughputs by their summary.json keys. A value the file lacks stays absent
 * (not measured), never 0.
 */
final class ImportedValues {

    /** The percentiles headroom keeps (summary.json's). */
    private static final int[] PERCENTILES = {90, 95, 99};

    /**
     * How a tool names the statistics of one distribution.
     *
     * @param mean       the mean's key
     * @param median     the median's key
     * @param std        the (population) standard deviation's key, or null when the tool keeps none
     * @param percentile the key of percentile {@code %d}, a format such as {@code p%d}
     */
    record Names(String mean, String median, String std, String percentile) {
        static final Names GUIDELLM = new Names("mean", "median", "std_dev", "percentiles/p%d");
        static final Names AIPERF = new Names("avg", "p50", "std", "p%d");
        static final Names INFERENCE_PERF = new Names("mean", "median", null, "p%d");
        static final Names BENCHMARK_REPORT = new Names("mean", "p50", "stddev", "p%d");
    }

    private final Map<String, Number> values = new LinkedHashMap<>();

    /**
     * The distribution {@code stats} under latency {@code metric} ({@code ttft}, {@code tpot}, {@code itl},
     * {@code e2el}), each statistic times {@code toMs} (1000 for seconds, 1 for milliseconds); nothing for a
     * missing or null node.
     */
    ImportedValues latency(String metric, JsonNode stats, Names names, double toMs) {
        if (stats == null || !stats.isObject()) return this;
        put("mean_" + metric + "_ms", at(stats, names.mean()), toMs);
        put("median_" + metric + "_ms", at(stats, names.median()), toMs);
        if (names.std() != null) put("std_" + metric + "_ms", at(stats, names.std()), toMs);
        for (int p : PERCENTILES) put("p" + p + "_" + metric + "_ms", at(stats, names.percentile().formatted(p)), toMs);
        return this;
    }

    /**
     * Tokens per request of {@code kind} ({@code input} or {@code output}): {@code mean_X_tokens},
     * {@code median_X_tokens}, {@code p90_X_tokens}; nothing for a missing node.
     */
    ImportedValues lengths(String kind, JsonNode stats, Names names) {
        if (stats == null || !stats.isObject()) return this;
        put("mean_" + kind + "_tokens", at(stats, names.mean()), 1);
        put("median_" + kind + "_tokens", at(stats, names.median()), 1);
        put("p90_" + kind + "_tokens", at(stats, names.percentile().formatted(90)), 1);
        return this;
    }

    /** A count ({@code completed}, {@code failed}, ...) kept whole; nothing for a missing node. */
    ImportedValues count(String key, JsonNode n) {
        if (n != null && n.isNumber()) values.put(key, Math.round(n.asDouble()));
        return this;
    }

    /** A count known as a number. */
    ImportedValues count(String key, long n) {
        values.put(key, n);
        return this;
    }

    /** A plain number ({@code duration} in s, throughputs per s); nothing for a missing or non-finite one. */
    ImportedValues number(String key, Double v) {
        if (v != null && Double.isFinite(v)) values.put(key, v);
        return this;
    }

    /** A plain number from a node. */
    ImportedValues number(String key, JsonNode n) {
        return number(key, n != null && n.isNumber() ? n.asDouble() : null);
    }

    /** A number in the values so far, or null. */
    Double get(String key) {
        Number n = values.get(key);
        return n == null ? null : n.doubleValue();
    }

    Map<String, Number> values() {
        return values;
    }

    private void put(String key, JsonNode n, double factor) {
        if (n != null && n.isNumber() && Double.isFinite(n.asDouble())) values.put(key, n.asDouble() * factor);
    }

    /** A node's text, or null when it is missing, null or blank. */
    static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() || node.asText().isBlank() ? null : node.asText();
    }

    /** The node at a {@code /}-separated path, or null. */
    private static JsonNode at(JsonNode stats, String path) {
        JsonNode n = stats.at("/" + path);
        return n.isMissingNode() || n.isNull() ? null : n;
    }
}
