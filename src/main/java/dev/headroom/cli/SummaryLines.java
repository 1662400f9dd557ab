package dev.headroom.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The console lines after the results table, from summary.json: prefix-cache reuse (shared prefixes, traces,
 * sessions), TTFT per turn, whether the run delivered its load, and where TTFT went when the server reported its
 * per-request timing, and for a predicted run the ranges of its main figures.
 */
final class SummaryLines {

    private SummaryLines() {}

    static void print(PrintWriter out, Map<String, Object> summary) {
        Object target = summary.get("prefix_hit_target");
        Object expected = summary.get("prefix_hit_expected");
        if (target != null || expected != null || summary.containsKey("turns")) {
            out.println(String.format(Locale.ROOT, "%-41s%s", "Prefix cache hit rate (server /metrics):",
                    pct(summary.get("server_prefix_cache_hit_rate"))));
            out.println(String.format(Locale.ROOT, "%-41s%s", "Prefix cache hit rate (usage cached):",
                    pct(summary.get("usage_cached_hit_rate"))));
            if (target != null) out.println(String.format(Locale.ROOT, "%-41s%s", "Prefix cache hit target:", pct(target)));
            if (expected != null) out.println(String.format(Locale.ROOT, "%-41s%s", "Prefix cache hit planned:", pct(expected)));
        }
        if (summary.get("turns") instanceof List<?> turns) {
            out.println("Per turn:   turn  completed  median TTFT ms  p95 TTFT ms  mean prompt tokens");
            for (Object o : turns) {
                Map<?, ?> t = (Map<?, ?>) o;
                out.println(String.format(Locale.ROOT, "%16s %10s %15s %12s %19s", t.get("turn"), t.get("completed"),
                        num(t.get("median_ttft_ms")), num(t.get("p95_ttft_ms")), num(t.get("mean_prompt_tokens"))));
            }
        }
        if (summary.get("valid") instanceof Boolean valid) {
            out.println(String.format(Locale.ROOT, "%-41s%s", "Delivered the load it names:", valid ? "yes"
                    : "NO (see the warnings; summary.json's validity has each check)"));
        }
        if (summary.get("gpu_metrics_source") instanceof String source) {
            out.println(String.format(Locale.ROOT, "%-41s%s", "GPU power mean (W, " + source + "):",
                    measured(summary.get("gpu_power_mean_w"), "%.1f")));
            out.println(String.format(Locale.ROOT, "%-41s%s", "Energy per output token (J):",
                    measured(summary.get("energy_per_output_token_j"), "%.4f")));
        }
        if (summary.get("energy_per_output_token_j_upper_bound") instanceof Number bound) {
            out.println(String.format(Locale.ROOT, "%-41s%.4f (%s)", "Energy per output token (J):", bound.doubleValue(),
                    summary.get("energy_basis")));
        }
        if (summary.get("server_metrics_requests") instanceof Number n && n.intValue() > 0) {
            out.println("TTFT split per request, median / p95 ms (the server's own metrics on " + n + " requests;");
            out.println("outside the engine: the server's front end, the network and the client):");
            out.println(String.format(Locale.ROOT, "%-41s%s / %s", "  engine queue:", num(summary.get("median_engine_queue_ms")),
                    num(summary.get("p95_engine_queue_ms"))));
            out.println(String.format(Locale.ROOT, "%-41s%s / %s", "  engine, scheduled to first token:",
                    num(summary.get("median_engine_ttft_ms")), num(summary.get("p95_engine_ttft_ms"))));
            out.println(String.format(Locale.ROOT, "%-41s%s / %s", "  outside the engine:",
                    num(summary.get("median_ttft_outside_engine_ms")), num(summary.get("p95_ttft_outside_engine_ms"))));
        }
        if (summary.get("prediction") instanceof Map<?, ?> prediction) printRanges(out, prediction);
        out.flush();
    }

    /** The main predicted figures' ranges (summary.json's prediction block) and what lies outside the error corpus. */
    private static void printRanges(PrintWriter out, Map<?, ?> prediction) {
        out.println("Predicted ranges (9 of 10 of the simulator's held-out predictions fell within such a range):");
        range(out, prediction, "throughput", "output_throughput", "  output throughput (tok/s):");
        range(out, prediction, "ttft", "median_ttft_ms", "  median TTFT (ms):");
        range(out, prediction, "tpot", "median_tpot_ms", "  median TPOT (ms):");
        range(out, prediction, "e2e", "p99_e2el_ms", "  P99 E2EL (ms):");
        if (prediction.get("outside_coverage") instanceof List<?> notes) {
            for (Object note : notes) out.println("Outside the error corpus: " + note);
        }
    }

    private static void range(PrintWriter out, Map<?, ?> prediction, String metric, String figure, String label) {
        if (prediction.get("metrics") instanceof Map<?, ?> metrics && metrics.get(metric) instanceof Map<?, ?> m
                && m.get("ranges") instanceof Map<?, ?> ranges && ranges.get(figure) instanceof List<?> r && r.size() == 2) {
            out.println(String.format(Locale.ROOT, "%-41s%s - %s", label, num(r.get(0)), num(r.get(1))));
        }
    }

    private static String pct(Object rate) {
        return rate instanceof Number n ? String.format(Locale.ROOT, "%.1f%%", 100 * n.doubleValue()) : "not reported";
    }

    /** A GPU figure in {@code format}, or "not measured" (never 0) when the source gave none. */
    private static String measured(Object value, String format) {
        return value instanceof Number n ? String.format(Locale.ROOT, format, n.doubleValue()) : "not measured";
    }

    private static String num(Object value) {
        return value instanceof Number n ? String.format(Locale.ROOT, "%.1f", n.doubleValue()) : "-";
    }
}
