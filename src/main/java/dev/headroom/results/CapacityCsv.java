package dev.headroom.results;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * capacity.csv (docs/formats.md): one row per load point, appended and flushed as each point ends, so an
 * interrupted sweep loses no finished point; read back as {@link Point}s. A file an older headroom wrote (fewer
 * columns) reads with the missing cells empty, and {@link #resume} rewrites it under the current header.
 */
public final class CapacityCsv implements AutoCloseable {

    /** Identity columns. */
    public static final List<String> IDENTITY = List.of("config", "workload", "concurrency", "rate", "repeat",
            "predicted", "status", "dir");
    /** summary.json's telemetry keys. */
    public static final List<String> TELEMETRY = List.of("kv_cache_usage_max", "kv_cache_usage_mean",
            "num_requests_running_max", "num_requests_running_mean", "num_requests_waiting_max",
            "num_requests_waiting_mean", "server_preemptions", "server_prefix_cache_hit_rate");
    /** What a point's traffic reused, and how the client fared (issue 8's truthful outcomes; issue 15's failures). */
    public static final List<String> EXTRAS = List.of("prefix_hit_target", "prefix_hit_expected", "usage_cached_hit_rate",
            "cancelled", "short_outputs", "client_failed", "slo_attainment_from_scheduled_pct", "connections_opened");
    /** Where TTFT went, from the server's per-request metrics (empty when the server sent none). */
    public static final List<String> TTFT_SPLIT = List.of("median_engine_queue_ms", "median_engine_ttft_ms",
            "median_ttft_outside_engine_ms", "p95_ttft_outside_engine_ms", "mean_engine_queue_ms", "mean_engine_prefill_ms",
            "server_mean_queue_time_ms");
    /** The GPU's power and energy (measured: nvidia-smi or DCGM; predicted: the upper bound at full board power). */
    public static final List<String> GPU = List.of("gpu_power_mean_w", "gpu_util_mean_perc", "energy_per_output_token_j",
            "energy_per_output_token_j_upper_bound");
    /** The requests' lengths in tokens: prompts as sent, outputs as received (what the workload was). */
    public static final List<String> LENGTHS = List.of("mean_input_tokens", "median_input_tokens", "p90_input_tokens",
            "mean_output_tokens", "median_output_tokens", "p90_output_tokens");
    /** The summary.json keys that are columns, in order (the flags {@code client_limited} and {@code valid} among them). */
    public static final List<String> SUMMARY = summaryColumns();
    /** Why a point failed: for {@code tool_error}, headroom's own exception (its class and first line). */
    public static final String ERROR = "error";
    /** Every column, in order. */
    public static final List<String> COLUMNS = columns();

    private static final String CLIENT_LIMITED = "client_limited";
    private static final String VALID = "valid";

    private final Path root;
    private final BufferedWriter out;
    private final Set<String> dirs;

    private CapacityCsv(Path root, BufferedWriter out, Set<String> dirs) {
        this.root = root;
        this.out = out;
        this.dirs = dirs;
    }

    private static List<String> summaryColumns() {
        List<String> c = new ArrayList<>(List.of("completed", "failed", "duration", "request_throughput",
                "output_throughput", "total_token_throughput"));
        for (String metric : List.of("ttft", "tpot", "itl", "e2el")) {
            for (String stat : List.of("mean", "median", "p90", "p95", "p99")) c.add(stat + "_" + metric + "_ms");
        }
        c.addAll(List.of("slo_attainment_pct", "request_goodput", "max_concurrent_requests", "mean_client_queue_time_ms",
                CLIENT_LIMITED, VALID));
        c.addAll(TELEMETRY);
        c.addAll(EXTRAS);
        c.addAll(LENGTHS);
        c.addAll(GPU);
        c.addAll(TTFT_SPLIT);
        return List.copyOf(c);
    }

    private static List<String> columns() {
        List<String> c = new ArrayList<>(IDENTITY);
        c.addAll(ServedConfig.KEYS);
        c.addAll(SUMMARY);
        c.add(ERROR);
        return List.copyOf(c);
    }

    /** Starts a new capacity.csv with its header; point folders are written relative to {@code root}. */
    public static CapacityCsv create(Path file, Path root) throws IOException {
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        w.write(CsvTable.line(COLUMNS));
        w.flush();
        return new CapacityCsv(root, w, new LinkedHashSet<>());
    }

    /**
     * Reopens capacity.csv to continue a sweep: keeps the rows whose {@code dir} passes {@code keep} (finished
     * points), drops the others (they run again), rewrites the kept ones under the current header (cells of
     * columns an older file lacks stay empty), and appends from there.
     */
    public static CapacityCsv resume(Path file, Path root, Predicate<String> keep) throws IOException {
        if (!Files.exists(file)) return create(file, root);
        List<List<String>> kept = new ArrayList<>();
        Set<String> dirs = new LinkedHashSet<>();
        for (Map<String, String> row : CsvTable.read(file)) {
            String dir = row.getOrDefault("dir", "");
            if (keep.test(dir) && dirs.add(dir)) kept.add(COLUMNS.stream().map(c -> row.getOrDefault(c, "")).toList());
        }
        CsvTable.write(file, COLUMNS, kept);
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        return new CapacityCsv(root, w, dirs);
    }

    /** Whether a row for the point folder {@code dir} (relative to the sweep folder) is already there. */
    public boolean has(String dir) {
        return dirs.contains(dir);
    }

    /** Appends the point's row and flushes it to disk. */
    public synchronized void append(Point p) throws IOException {
        List<String> cells = cells(p, root);
        out.write(CsvTable.line(cells));
        out.flush();
        dirs.add(cells.get(IDENTITY.indexOf("dir")));
    }

    /** The point's cells in column order; the flags are empty for a point that did not run. */
    static List<String> cells(Point p, Path root) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("config", p.config());
        m.put("workload", p.workload());
        m.put("concurrency", Cells.of(p.concurrency()));
        m.put("rate", Cells.of(p.rate()));
        m.put("repeat", Cells.of(p.repeat()));
        m.put("predicted", Cells.of(p.predicted()));
        m.put("status", p.status());
        m.put("dir", p.dir() == null ? "" : relative(root, p.dir()));
        List<String> served = p.served().cells();
        for (int i = 0; i < ServedConfig.KEYS.size(); i++) m.put(ServedConfig.KEYS.get(i), served.get(i));
        for (String k : SUMMARY) m.put(k, Cells.of(p.values().get(k)));
        m.put(CLIENT_LIMITED, p.ran() ? Cells.of(p.clientLimited()) : "");
        m.put(VALID, p.ran() ? Cells.of(p.delivered()) : "");
        m.put(ERROR, p.error() == null ? "" : p.error());
        return COLUMNS.stream().map(m::get).toList();
    }

    private static String relative(Path root, Path dir) {
        Path rel = dir.isAbsolute() || root.isAbsolute() ? root.toAbsolutePath().normalize().relativize(dir.toAbsolutePath().normalize())
                : root.normalize().relativize(dir.normalize());
        return rel.toString().replace('\\', '/');
    }

    /**
     * Reads capacity.csv as points, in file order; point folders resolve against the file's folder. A row without
     * a workload, or with a malformed load, is bad input naming its line.
     */
    public static List<Point> read(Path file) throws IOException {
        Path root = file.toAbsolutePath().getParent();
        List<Point> points = new ArrayList<>();
        int line = 1;
        for (Map<String, String> row : CsvTable.read(file)) {
            line++;
            points.add(point(row, root, file + " line " + line));
        }
        return points;
    }

    private static Point point(Map<String, String> row, Path root, String where) {
        String workload = Cells.text(row.get("workload"));
        if (workload == null) throw new IllegalArgumentException(where + " has no workload");
        Map<String, Number> values = new LinkedHashMap<>();
        row.forEach((column, cell) -> {
            if (SUMMARY.contains(column) || !COLUMNS.contains(column)) {
                Number v = Cells.value(cell);
                if (v != null) values.put(column, v);
            }
        });
        values.remove(CLIENT_LIMITED);
        values.remove(VALID);
        Integer concurrency = Cells.whole(row.get("concurrency"), where + ": concurrency", 1);
        Double rate = Cells.number(row.get("rate"));
        if (Cells.text(row.get("rate")) != null && (rate == null || !(rate > 0))) {
            throw new IllegalArgumentException(where + ": rate '" + row.get("rate") + "' is not a number > 0");
        }
        Integer repeat = Cells.whole(row.get("repeat"), where + ": repeat", 0);
        String status = Cells.text(row.get("status"));
        String dir = Cells.text(row.get("dir"));
        try {
            return new Point(Cells.text(row.get("config")) == null ? "default" : row.get("config").strip(), workload,
                    Boolean.TRUE.equals(Cells.flag(row.get("predicted"))), concurrency, rate, repeat == null ? 0 : repeat,
                    status == null ? "ok" : status, dir == null ? null : root.resolve(dir).normalize(),
                    ServedConfig.of(row), values, Boolean.TRUE.equals(Cells.flag(row.get(CLIENT_LIMITED))),
                    !Boolean.FALSE.equals(Cells.flag(row.get(VALID))), null, Cells.text(row.get(ERROR)), where);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith(where) ? e.getMessage() : where + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
