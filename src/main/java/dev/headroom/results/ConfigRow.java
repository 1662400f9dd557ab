package dev.headroom.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of {@code configs.csv} (and one entry of sweep.json's {@code configs}): a server config, what the planner
 * predicted for it and what the server did. Unknown or not-applicable values are null.
 *
 * @param config                  the config's label
 * @param served                  its server config under vLLM's names
 * @param predictedStarts         whether the planner predicted a start
 * @param predictedKvCacheTokens  the planner's KV cache size in tokens
 * @param predictedMaxConcurrency the planner's full-length requests that fit in the KV cache
 * @param predictedError          vLLM's refusal as the planner predicts it
 * @param status                  {@code ran}, {@code failed_to_start} or {@code died_under_load}
 * @param failure                 why it failed: {@code out_of_memory}, {@code kv_cache_too_small}, {@code bad_config},
 *                                {@code health_timeout}, {@code exited}
 * @param message                 the server's own words, quoted from its log
 * @param reportedKvCacheTokens   vLLM's {@code GPU KV cache size} log line
 * @param reportedMaxConcurrency  vLLM's {@code Maximum concurrency} log line
 * @param disagreement            a sentence where planner and server disagree
 * @param command                 the exact command line that started the server, or null when headroom started none
 */
public record ConfigRow(String config, ServedConfig served, Boolean predictedStarts, Long predictedKvCacheTokens,
                        Double predictedMaxConcurrency, String predictedError, String status, String failure,
                        String message, Long reportedKvCacheTokens, Double reportedMaxConcurrency, String disagreement,
                        String command) {

    /** configs.csv's columns, in order. */
    public static final List<String> COLUMNS = columns();

    public ConfigRow {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(served, "served");
    }

    private static List<String> columns() {
        List<String> c = new ArrayList<>();
        c.add("config");
        c.addAll(ServedConfig.KEYS);
        c.addAll(List.of("predicted_starts", "predicted_kv_cache_tokens", "predicted_max_concurrency", "predicted_error",
                "status", "failure", "message", "reported_kv_cache_tokens", "reported_max_concurrency", "disagreement",
                "command"));
        return List.copyOf(c);
    }

    /** A row from its columns' values (of any type, as a config's outcome or a file gives them; absent ones null). */
    public static ConfigRow of(Map<String, ?> m) {
        String config = value(m, "config");
        if (config == null) throw new IllegalArgumentException("a configs.csv row needs its config label");
        return new ConfigRow(config, ServedConfig.of(m), Cells.flag(value(m, "predicted_starts")),
                Cells.count(value(m, "predicted_kv_cache_tokens")), Cells.number(value(m, "predicted_max_concurrency")),
                value(m, "predicted_error"), value(m, "status"), value(m, "failure"), value(m, "message"),
                Cells.count(value(m, "reported_kv_cache_tokens")), Cells.number(value(m, "reported_max_concurrency")),
                value(m, "disagreement"), value(m, "command"));
    }

    private static String value(Map<String, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : Cells.text(v instanceof Double || v instanceof Float ? Cells.of(v) : String.valueOf(v));
    }

    /** The row with configs.csv's columns as keys (null for empty cells), for sweep.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", config);
        m.putAll(served.toMap());
        m.put("predicted_starts", predictedStarts);
        m.put("predicted_kv_cache_tokens", predictedKvCacheTokens);
        m.put("predicted_max_concurrency", predictedMaxConcurrency);
        m.put("predicted_error", predictedError);
        m.put("status", status);
        m.put("failure", failure);
        m.put("message", message);
        m.put("reported_kv_cache_tokens", reportedKvCacheTokens);
        m.put("reported_max_concurrency", reportedMaxConcurrency);
        m.put("disagreement", disagreement);
        m.put("command", command);
        return m;
    }

    /** A cell by column name as configs.csv writes it, "" when empty: for tables that list columns by name. */
    public String text(String column) {
        if (!COLUMNS.contains(column)) throw new IllegalArgumentException("no configs.csv column '" + column + "'; one of " + COLUMNS);
        return Cells.of(toMap().get(column));
    }

    /** A numeric cell by column name, NaN when empty or not a number. */
    public double num(String column) {
        Double v = Cells.number(text(column));
        return v == null ? Double.NaN : v;
    }

    /** Whether the cell of {@code column} holds a value. */
    public boolean has(String column) {
        return !text(column).isEmpty();
    }

    /** Whether the server started and served load (it ran, or died only under load). */
    public boolean started() {
        return "ran".equals(status) || "died_under_load".equals(status);
    }

    /** Whether it failed to start, or (never started) the planner predicts it would not. */
    public boolean failedToStart() {
        return "failed_to_start".equals(status) || status == null && Boolean.FALSE.equals(predictedStarts);
    }

    /** Full-length requests that fit in the KV cache: what the server reported, else what the planner predicted. */
    public Double maxConcurrency() {
        return reportedMaxConcurrency != null ? reportedMaxConcurrency : predictedMaxConcurrency;
    }
}
