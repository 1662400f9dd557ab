package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.results.ConfigRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The OOM surface of a sweep's configs with a load axis: each server config at each load it was run is one cell that
 * fails to start (with its reason), starts but preempts at that load, or runs fine there.
 */
public final class OomSurface {

    /** What one config did at one load. */
    enum Outcome { FAILS_TO_START, PREEMPTS, FINE, PREEMPTIONS_NOT_MEASURED, NOT_USABLE, NOT_RUN }

    /** One cell: a config at a load (NaN when the sweep ran no load), what it did and the preemptions counted. */
    record Cell(ConfigRow config, double load, Outcome outcome, double preemptions, String status) {}

    private OomSurface() {}

    /** Appends each surface of the study (table, finding and chart); false when no sweep spans two configs. */
    static boolean section(Doc doc, Study study, Path out) throws IOException {
        boolean any = false;
        for (SweepResults s : study.sweeps()) {
            List<ConfigRow> rows = surfaceRows(s);
            if (!isSurface(rows)) continue;
            if (!any) {
                doc.h3("OOM surface under load");
                doc.p("Each server config at each load it was run: it fails to start (and why), starts but preempts "
                        + "requests at that load, or runs there without preemptions.");
            }
            any = true;
            List<Cell> cells = cells(s, study);
            List<Double> loads = loads(s, study);
            Curve any1 = curves(s, study).stream().findFirst().orElse(null);
            List<String> varied = SETTINGS.stream().filter(k -> rows.stream().map(r -> r.text(k)).distinct().count() > 1).toList();
            List<String> fixed = SETTINGS.stream().filter(k -> !varied.contains(k))
                    .map(k -> "`" + k + "` " + ReportFigures.orWhy(rows.get(0).text(k), "default")).toList();
            doc.p("**Sweep `" + s.label() + "`**" + (any1 == null ? "" : " (" + any1.workload() + " · " + any1.gpuClass().label()
                    + ", " + any1.source() + ")") + ": " + finding(cells, rows.size(), any1)
                    + (fixed.isEmpty() ? "" : " Every config has " + String.join(", ", fixed) + "."));
            doc.table(header(varied, loads, any1), tableRows(varied, rows, loads, cells, any1));
            Optional<ChartFiles.Written> chart = chart(s, study, out, "oom-surface-" + s.label().replaceAll("[^A-Za-z0-9._-]", "_"));
            if (chart.isPresent()) doc.figure(chart.get());
        }
        return any;
    }

    /**
     * Whether the configs map a surface: two or more memory fractions or context lengths, and every pairing of them
     * run (a sweep of one other setting, or of remedies one at a time, is not a surface).
     */
    static boolean isSurface(List<ConfigRow> rows) {
        List<Double> utils = rows.stream().map(r -> r.num("gpu_memory_utilization")).distinct().toList();
        List<Double> lens = rows.stream().map(r -> r.num("max_model_len")).distinct().toList();
        if (utils.size() < 2 && lens.size() < 2) return false;
        return utils.stream().allMatch(u -> lens.stream().allMatch(l -> rows.stream()
                .anyMatch(r -> r.num("gpu_memory_utilization") == u && r.num("max_model_len") == l)));
    }

    /** The configs.csv rows with a context length and a memory fraction, ordered by their settings. */
    static List<ConfigRow> surfaceRows(SweepResults s) {
        return s.configs().stream()
                .filter(r -> !Double.isNaN(r.num("max_model_len")) && !Double.isNaN(r.num("gpu_memory_utilization")))
                .sorted(Comparator.comparingDouble((ConfigRow r) -> r.num("max_num_seqs"))
                        .thenComparingDouble(r -> r.num("max_num_batched_tokens"))
                        .thenComparingDouble(r -> r.num("max_model_len"))
                        .thenComparingDouble(r -> r.num("gpu_memory_utilization"))).toList();
    }

    /** The closed-loop curves of the sweep, of its first workload: the load axis of its surface. */
    private static List<Curve> curves(SweepResults s, Study study) {
        List<Curve> mine = study.curves().stream().filter(c -> c.sweep() == s && !c.byRate() && !c.points().isEmpty()).toList();
        return mine.isEmpty() ? mine : mine.stream().filter(c -> c.workload().equals(mine.get(0).workload())
                && c.predicted() == mine.get(0).predicted()).toList();
    }

    private static List<Double> loads(SweepResults s, Study study) {
        TreeSet<Double> loads = new TreeSet<>();
        for (Curve c : curves(s, study)) {
            c.points().forEach(p -> loads.add(p.load()));
            c.unusable().forEach(p -> loads.add(p.load()));
        }
        return new ArrayList<>(loads);
    }

    /** Every (config, load) cell of the sweep; a sweep that ran no load gives one cell per config, load NaN. */
    static List<Cell> cells(SweepResults s, Study study) {
        List<Double> loads = loads(s, study);
        List<Cell> out = new ArrayList<>();
        for (ConfigRow r : surfaceRows(s)) {
            if (loads.isEmpty()) out.add(cell(r, Double.NaN, null));
            for (double load : loads) {
                Curve c = curves(s, study).stream().filter(x -> x.config().equals(r.text("config"))).findFirst().orElse(null);
                out.add(cell(r, load, c));
            }
        }
        return out;
    }

    private static Cell cell(ConfigRow r, double load, Curve c) {
        if (Evidence.failed(r)) return new Cell(r, load, Outcome.FAILS_TO_START, Double.NaN, "");
        Optional<LoadPoint> p = c == null ? Optional.empty() : c.at(load);
        if (p.isEmpty()) {
            Optional<LoadPoint> bad = c == null ? Optional.empty() : c.unusable().stream().filter(u -> u.load() == load).findFirst();
            return bad.map(u -> new Cell(r, load, Outcome.NOT_USABLE, Double.NaN, u.status()))
                    .orElseGet(() -> new Cell(r, load, Outcome.NOT_RUN, Double.NaN, ""));
        }
        double n = p.get().num("server_preemptions");
        Outcome o = Double.isNaN(n) ? Outcome.PREEMPTIONS_NOT_MEASURED : n > 0 ? Outcome.PREEMPTS : Outcome.FINE;
        return new Cell(r, load, o, n, "");
    }

    /** The server settings a surface may vary, in the table's column order. */
    private static final List<String> SETTINGS = List.of("gpu_memory_utilization", "max_model_len", "max_num_seqs",
            "max_num_batched_tokens");

    /** The settings that vary among the configs (one the configs share is said once above the table), then the loads. */
    private static List<String> header(List<String> varied, List<Double> loads, Curve c) {
        List<String> h = new ArrayList<>(varied.stream().map(k -> "`" + k + "`").toList());
        h.add("Starts");
        for (double l : loads) h.add("At " + (c == null ? Fmt.num(l) : c.loadText(l)));
        return h;
    }

    private static List<List<String>> tableRows(List<String> varied, List<ConfigRow> rows, List<Double> loads, List<Cell> cells, Curve c) {
        List<List<String>> out = new ArrayList<>();
        for (ConfigRow r : rows) {
            List<String> row = new ArrayList<>();
            for (String k : varied) {
                row.add(k.equals("max_model_len") ? Fmt.count(r.num(k)) : ReportFigures.orWhy(r.text(k), "default"));
            }
            row.add(Evidence.failed(r) ? "no: " + reason(r) : "yes, " + Fmt.num(Evidence.concurrency(r)) + " full-length requests fit"
                    + (r.text("status").isEmpty() ? " (planned, not started)" : ""));
            for (double l : loads) {
                // A config that does not start has nothing to say at any load: the Starts column gives its reason.
                row.add(Evidence.failed(r) ? "–" : cells.stream().filter(x -> x.config() == r && x.load() == l).findFirst()
                        .map(OomSurface::words).orElse("not run"));
            }
            out.add(row);
        }
        return out;
    }

    /** A cell in words: "fails to start (out of GPU memory)", "preempts (12)", "fine". */
    static String words(Cell x) {
        return switch (x.outcome()) {
            case FAILS_TO_START -> "fails to start (" + reason(x.config()) + ")";
            case PREEMPTS -> "starts, preempts (" + Fmt.count(x.preemptions()) + ")";
            case FINE -> "fine";
            case PREEMPTIONS_NOT_MEASURED -> "ran; preemptions not measured";
            case NOT_USABLE -> "not usable (" + x.status() + ")";
            case NOT_RUN -> "not run";
        };
    }

    private static String reason(ConfigRow r) {
        String f = r.text("failure");
        return f.isEmpty() ? (r.text("status").isEmpty() ? "the planner predicts a failure" : "failed") : "`" + f + "`";
    }

    private static String finding(List<Cell> cells, int configs, Curve c) {
        long fail = cells.stream().filter(x -> x.outcome() == Outcome.FAILS_TO_START).map(Cell::config).distinct().count();
        List<Cell> preempting = cells.stream().filter(x -> x.outcome() == Outcome.PREEMPTS).toList();
        long fine = cells.stream().map(Cell::config).distinct()
                .filter(r -> cells.stream().filter(x -> x.config() == r).allMatch(x -> x.outcome() == Outcome.FINE)).count();
        String first = preempting.stream().map(Cell::load).min(Double::compare)
                .map(l -> "; preemptions first appear at " + (c == null ? Fmt.num(l) : c.loadText(l))).orElse("");
        long preempts = preempting.stream().map(Cell::config).distinct().count();
        return configs + " configs: " + fail + (fail == 1 ? " fails" : " fail") + " to start, " + preempts
                + (preempts == 1 ? " starts but preempts" : " start but preempt") + " at some load swept" + first + ", " + fine
                + (fine == 1 ? " runs" : " run") + " every load without preemptions.";
    }

    /** Draws the surface (a panel per running-request limit, token budget and load) when it spans two configs. */
    public static Optional<ChartFiles.Written> chart(SweepResults sweep, Study study, Path dir, String stem) throws IOException {
        List<SurfaceHeatmap.Cell> cells = cells(sweep, study).stream().map(OomSurface::heatCell).toList();
        if (!isSurface(surfaceRows(sweep))) return Optional.empty();
        String gpu = sweep.configs().get(0).text("gpu");
        String title = "OOM surface of " + sweep.label() + (gpu.isEmpty() ? "" : " on " + GpuClass.of(gpu).label());
        return Optional.of(SurfaceHeatmap.writeCells(dir, stem, title, cells,
                "* predicted by the planner (never started)   ! the planner and the server disagree (see the configs table)"));
    }

    private static SurfaceHeatmap.Cell heatCell(Cell x) {
        ConfigRow r = x.config();
        boolean ran = r.text("status").equals("ran") || r.text("status").equals("died_under_load");
        boolean starts = x.outcome() != Outcome.FAILS_TO_START;
        double concurrency = Evidence.concurrency(r);
        String mark = ran || r.text("status").equals("failed_to_start") ? "" : "*";
        String text = switch (x.outcome()) {
            case FAILS_TO_START -> "✗ " + failure(r);
            case PREEMPTS -> "preempts (" + Fmt.count(x.preemptions()) + ")";
            case FINE -> "fine, " + String.format(Locale.ROOT, "%.1fx", concurrency);
            case NOT_RUN -> String.format(Locale.ROOT, "%.1fx", concurrency);
            case PREEMPTIONS_NOT_MEASURED -> "ran, " + String.format(Locale.ROOT, "%.1fx", concurrency);
            case NOT_USABLE -> "not usable";
        } + mark;
        String load = Double.isNaN(x.load()) ? "" : "c=" + Fmt.count(x.load());
        return new SurfaceHeatmap.Cell((int) r.num("max_model_len"), r.num("gpu_memory_utilization"),
                (int) orZero(r.num("max_num_seqs")), (int) orZero(r.num("max_num_batched_tokens")), load, starts,
                x.outcome() == Outcome.PREEMPTS, starts ? concurrency : Double.NaN, text, r.has("disagreement"));
    }

    /** A short name of why a config fails: OOM, KV, config, … */
    static String failure(ConfigRow r) {
        return switch (r.text("failure")) {
            case "out_of_memory" -> "OOM";
            case "kv_cache_too_small" -> "KV";
            case "bad_config" -> "config";
            case "health_timeout" -> "timeout";
            case "exited" -> "exited";
            default -> r.text("status").equals("failed_to_start") ? "failed" : "plan";
        };
    }

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
