package dev.headroom.sweep;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * capacity.csv (docs/formats.md): one row per load point, appended and flushed as each point ends, so an
 * interrupted sweep loses no finished point. Fields holding a comma or a quote are quoted as RFC 4180 says.
 */
public final class CapacityCsv implements AutoCloseable {

    /** Identity columns. */
    public static final List<String> IDENTITY = List.of("config", "workload", "concurrency", "rate", "repeat",
            "predicted", "status", "dir");
    /** The server config under vLLM's names. */
    public static final List<String> CONFIG = List.of("model", "gpu", "gpu_memory_utilization", "max_model_len",
            "max_num_seqs", "max_num_batched_tokens", "enable_prefix_caching", "enable_chunked_prefill");
    /** summary.json's telemetry keys. */
    public static final List<String> TELEMETRY = List.of("kv_cache_usage_max", "kv_cache_usage_mean",
            "num_requests_running_max", "num_requests_running_mean", "num_requests_waiting_max",
            "num_requests_waiting_mean", "server_preemptions", "server_prefix_cache_hit_rate");
    /** What a point's traffic reused, and how the client fared (issue 8's truthful outcomes). */
    public static final List<String> EXTRAS = List.of("prefix_hit_target", "prefix_hit_expected", "usage_cached_hit_rate",
            "cancelled", "slo_attainment_from_scheduled_pct", "connections_opened");
    /** Where TTFT went, from the server's per-request metrics (empty when the server sent none). */
    public static final List<String> TTFT_SPLIT = List.of("median_engine_queue_ms", "median_engine_ttft_ms",
            "median_ttft_outside_engine_ms", "p95_ttft_outside_engine_ms");
    /** Every column, in order. */
    public static final List<String> COLUMNS = columns();

    private final BufferedWriter out;
    private final Set<String> dirs;

    private CapacityCsv(BufferedWriter out, Set<String> dirs) {
        this.out = out;
        this.dirs = dirs;
    }

    private static List<String> columns() {
        List<String> c = new ArrayList<>(IDENTITY);
        c.addAll(CONFIG);
        c.addAll(List.of("completed", "failed", "duration", "request_throughput", "output_throughput", "total_token_throughput"));
        for (String metric : List.of("ttft", "tpot", "itl", "e2el")) {
            for (String stat : List.of("mean", "median", "p90", "p95", "p99")) c.add(stat + "_" + metric + "_ms");
        }
        c.addAll(List.of("slo_attainment_pct", "request_goodput", "max_concurrent_requests", "mean_client_queue_time_ms",
                "client_limited", "valid"));
        c.addAll(TELEMETRY);
        c.addAll(EXTRAS);
        c.addAll(TTFT_SPLIT);
        c.add("error");
        return List.copyOf(c);
    }

    /** Starts a new capacity.csv with its header. */
    static CapacityCsv create(Path file) throws IOException {
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        w.write(String.join(",", COLUMNS));
        w.newLine();
        w.flush();
        return new CapacityCsv(w, new LinkedHashSet<>());
    }

    /**
     * Reopens capacity.csv to continue a sweep: keeps the rows whose {@code dir} passes {@code keep} (finished
     * points), drops the others (they run again), and appends from there.
     */
    static CapacityCsv resume(Path file, Predicate<String> keep) throws IOException {
        if (!Files.exists(file)) return create(file);
        List<String> kept = new ArrayList<>();
        Set<String> dirs = new LinkedHashSet<>();
        int dirColumn = IDENTITY.indexOf("dir");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            List<String> fields = parse(line);
            if (fields.size() > dirColumn && keep.test(fields.get(dirColumn)) && dirs.add(fields.get(dirColumn))) kept.add(line);
        }
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        w.write(String.join(",", COLUMNS));
        w.newLine();
        for (String line : kept) {
            w.write(line);
            w.newLine();
        }
        w.flush();
        return new CapacityCsv(w, dirs);
    }

    /** Whether a row for the point folder {@code dir} is already there. */
    boolean has(String dir) {
        return dirs.contains(dir);
    }

    /** Appends one row (missing keys are empty cells) and flushes it to disk. */
    synchronized void append(Map<String, Object> row) throws IOException {
        List<String> cells = new ArrayList<>(COLUMNS.size());
        for (String c : COLUMNS) cells.add(cell(row.get(c)));
        out.write(String.join(",", cells));
        out.newLine();
        out.flush();
        dirs.add(String.valueOf(row.get("dir")));
    }

    /** A value as a CSV cell: numbers in full precision with a '.', empty for null and NaN. */
    static String cell(Object v) {
        if (v == null) return "";
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) return "";
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? BigDecimal.valueOf(d).setScale(1).toPlainString()
                    : BigDecimal.valueOf(d).toPlainString();
        }
        if (v instanceof Float f) return cell(f.doubleValue());
        String s = String.valueOf(v);
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) return "\"" + s.replace("\"", "\"\"") + "\"";
        return s;
    }

    /** Splits one CSV line (RFC 4180 quoting). */
    public static List<String> parse(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    b.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    b.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(b.toString());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        out.add(b.toString());
        return out;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
