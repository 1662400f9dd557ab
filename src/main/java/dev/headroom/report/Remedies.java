package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.results.ServedConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lab's remedies for frequent preemptions, measured on the worst cell of the study: the config and load that
 * started but preempted most. A remedy is measured by a config of the same workload, GPU and source that differs from
 * the worst cell's in that one setting, moved the lab's way, run at the same load.
 */
final class Remedies {

    /** The lab's list, in its order: a setting and the way it moves. */
    enum Remedy {
        RAISE_MEMORY("gpu_memory_utilization", true, "Raise"),
        LOWER_SEQS("max_num_seqs", false, "Lower"),
        LOWER_BUDGET("max_num_batched_tokens", false, "Lower"),
        LOWER_LENGTH("max_model_len", false, "Lower");

        final String setting;
        final boolean up;
        final String verb;

        Remedy(String setting, boolean up, String verb) {
            this.setting = setting;
            this.up = up;
            this.verb = verb;
        }

        String title() {
            return verb + " `" + setting + "`";
        }
    }

    /** A curve at a load. */
    record Cell(Curve curve, LoadPoint point) {
        ServedConfig served() {
            return KnobSweep.served(curve);
        }

        double preemptions() {
            return point.num("server_preemptions");
        }
    }

    /** One remedy tried: the setting moved and what the same load did then. */
    record Tried(Remedy remedy, Cell cell) {}

    private Remedies() {}

    /** The closed-loop cell with the most preemptions (the first such on a tie), if any cell preempted. */
    static Optional<Cell> worst(Study study) {
        Cell worst = null;
        for (Curve c : study.curves()) {
            if (c.byRate()) continue;
            for (LoadPoint p : c.points()) {
                double n = p.num("server_preemptions");
                if (n > 0 && (worst == null || n > worst.preemptions())) worst = new Cell(c, p);
            }
        }
        return Optional.ofNullable(worst);
    }

    /** Every remedy the study ran on the worst cell, one per remedy and value, in the lab's order. */
    static List<Tried> tried(Study study, Cell worst) {
        List<Tried> out = new ArrayList<>();
        Curve w = worst.curve();
        for (Curve c : study.curves()) {
            // Only a curve run at the same loads as the worst cell's is the same experiment with one setting moved.
            if (c == w || c.byRate() || !c.workload().equals(w.workload()) || !c.gpu().equals(w.gpu())
                    || !c.model().equals(w.model()) || c.predicted() != w.predicted() || !loads(c).equals(loads(w))) continue;
            Optional<LoadPoint> p = c.at(worst.point().load());
            Optional<Remedy> r = remedy(worst.served(), KnobSweep.served(c));
            if (p.isEmpty() || r.isEmpty() || !sameRequests(worst.point(), p.get())) continue;
            String value = KnobSweep.served(c).text(r.get().setting);
            if (out.stream().noneMatch(t -> t.remedy() == r.get() && t.cell().served().text(r.get().setting).equals(value))) {
                out.add(new Tried(r.get(), new Cell(c, p.get())));
            }
        }
        out.sort(Comparator.comparing(Tried::remedy).thenComparingDouble(t -> t.cell().served().num(t.remedy().setting)));
        return out;
    }

    /**
     * Whether two points served requests of the same shape: mean prompt and output tokens per request within 10%
     * (one workload name covers prompts of any length, a shared system prompt or none).
     */
    static boolean sameRequests(LoadPoint a, LoadPoint b) {
        return close(promptTokens(a), promptTokens(b)) && close(outputTokens(a), outputTokens(b));
    }

    private static double promptTokens(LoadPoint p) {
        return (p.num("total_token_throughput") - p.num("output_throughput")) / p.num("request_throughput");
    }

    private static double outputTokens(LoadPoint p) {
        return p.num("output_throughput") / p.num("request_throughput");
    }

    private static boolean close(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || Math.abs(a - b) <= 0.1 * Math.max(Math.abs(a), Math.abs(b));
    }

    private static List<Double> loads(Curve c) {
        return c.points().stream().map(LoadPoint::load).toList();
    }

    /** The remedy that turns {@code from} into {@code to}: exactly one setting differs, moved the lab's way. */
    private static Optional<Remedy> remedy(ServedConfig from, ServedConfig to) {
        List<String> differ = KnobSweep.SETTINGS.stream().filter(k -> !from.text(k).equals(to.text(k))).toList();
        if (differ.size() != 1) return Optional.empty();
        for (Remedy r : Remedy.values()) {
            if (!r.setting.equals(differ.get(0))) continue;
            double a = from.num(r.setting);
            double b = to.num(r.setting);
            if (r.up ? b > a : b < a) return Optional.of(r);
        }
        return Optional.empty();
    }

    /** Appends the remedy table on the worst cell; false when no config both started and preempted. */
    static boolean section(Doc doc, Study study) {
        Optional<Cell> found = worst(study);
        if (found.isEmpty()) return false;
        Cell worst = found.get();
        Curve w = worst.curve();
        String load = w.loadText(worst.point().load());
        doc.h3("Preemption remedies on the worst cell");
        doc.p("The worst cell of this study is " + settings(worst.served()) + " (" + w.workload() + " · " + w.gpuClass().label()
                + ", " + w.source() + ", sweep `" + w.sweep().label() + "`): it starts, but at " + load + " it preempted "
                + Fmt.count(worst.preemptions()) + " times. The lab's remedies, each as one setting changed from it and run at "
                + load + ":");
        List<Tried> tried = tried(study, worst);
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("none (the worst cell)", settings(worst.served()), worst));
        for (Tried t : tried) {
            rows.add(row(t.remedy().title(), t.remedy().setting + " " + worst.served().text(t.remedy().setting) + " → "
                    + t.cell().served().text(t.remedy().setting), t.cell()));
        }
        doc.table(List.of("Remedy", "Settings", "Preemptions at " + load, "Peak KV-cache usage", "Output throughput",
                "p95 TTFT", "p95 E2E latency", "Sweep"), rows);
        List<String> sentences = new ArrayList<>();
        for (Tried t : mildest(tried, worst)) sentences.add(sentence(worst, t));
        List<String> missing = java.util.Arrays.stream(Remedy.values()).filter(r -> tried.stream().noneMatch(t -> t.remedy() == r))
                .map(r -> r.title().toLowerCase(java.util.Locale.ROOT).charAt(0) + r.title().substring(1)).toList();
        if (!missing.isEmpty()) sentences.add("Not measured on this cell: " + String.join(", ", missing) + ".");
        sentences.add("Tensor parallelism, the lab's last remedy, spreads the model over several GPUs: outside a single-GPU study.");
        doc.bullets(sentences);
        return true;
    }

    /** One finding per setting a remedy moved, for the knobs section; empty when no remedy was run. */
    static Map<String, String> findings(Study study) {
        Map<String, String> out = new LinkedHashMap<>();
        Optional<Cell> worst = worst(study);
        if (worst.isEmpty()) return out;
        for (Tried t : mildest(tried(study, worst.get()), worst.get())) {
            out.put(t.remedy().setting, "on the worst cell of sweep `" + worst.get().curve().sweep().label() + "`, "
                    + KnobSweep.clause(sentence(worst.get(), t)));
        }
        return out;
    }

    /** Per remedy, the value tried closest to the worst cell's: the smallest change the lab's advice asks for. */
    private static List<Tried> mildest(List<Tried> tried, Cell worst) {
        List<Tried> out = new ArrayList<>();
        for (Remedy r : Remedy.values()) {
            double from = worst.served().num(r.setting);
            tried.stream().filter(t -> t.remedy() == r)
                    .min(Comparator.comparingDouble(t -> Math.abs(t.cell().served().num(r.setting) - from))).ifPresent(out::add);
        }
        return out;
    }

    private static String sentence(Cell worst, Tried t) {
        double before = worst.preemptions();
        double after = t.cell().preemptions();
        String s = (t.remedy().up ? "Raising" : "Lowering") + " `" + t.remedy().setting + "` from " + worst.served().text(t.remedy().setting)
                + " to " + t.cell().served().text(t.remedy().setting) + " at " + worst.curve().loadText(worst.point().load())
                + ": preemptions " + Fmt.count(before) + " → " + Fmt.count(after) + ", output throughput "
                + Fmt.tps(worst.point().num("output_throughput")) + " → " + Fmt.tps(t.cell().point().num("output_throughput"));
        return s + (after == 0 ? " (it removed them)." : after < before ? " (fewer)." : " (it did not help).");
    }

    private static List<String> row(String remedy, String settings, Cell c) {
        LoadPoint p = c.point();
        return List.of(remedy, settings, Fmt.count(c.preemptions()), Fmt.pct(p.num("kv_cache_usage_max")),
                Fmt.tps(p.num("output_throughput")), Fmt.ms(p.num("p95_ttft_ms")), Fmt.ms(p.num("p95_e2el_ms")),
                "`" + c.curve().sweep().label() + "`");
    }

    static String settings(ServedConfig s) {
        List<String> parts = new ArrayList<>();
        for (Remedy r : Remedy.values()) parts.add(r.setting + " " + ReportFigures.orWhy(s.text(r.setting), "default"));
        return String.join(", ", parts);
    }
}
