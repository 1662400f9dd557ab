package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.results.ConfigRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lab playbook's common pitfalls, each stated with what this study measured, reworded where the study contradicts
 * it, or saying why it could not be measured.
 */
final class Pitfalls {

    private Pitfalls() {}

    static void append(Doc doc, Study study) {
        doc.h2("Common pitfalls");
        ServerErrors errors = new ServerErrors();
        List<String> items = new ArrayList<>();
        items.add(maxModelLen(study, errors));
        items.add("**Concurrency 1–2** misses continuous batching. " + singleStream(study));
        items.add("**No benchmark harness** means guessing. This playbook rests on "
                + study.curves().stream().mapToInt(c -> c.points().size()).sum() + " load points in "
                + study.sweeps().size() + " sweeps.");
        items.add(highUtilization(study, errors));
        doc.numbered(items);
        errors.appendTo(doc);
    }

    /**
     * Pitfall 1 as this study found it: pairs of started configs that differ only in max_model_len, compared on KV
     * capacity and on what their curves did at the highest load both ran. Reworded when no pair shows a cost.
     */
    private static String maxModelLen(Study study, ServerErrors errors) {
        List<String> same = new ArrayList<>();
        List<String> costly = new ArrayList<>();
        for (SweepResults s : study.sweeps()) {
            for (ConfigRow shortRow : s.configs()) {
                for (ConfigRow longRow : s.configs()) {
                    if (!(longRow.num("max_model_len") > shortRow.num("max_model_len")) || Evidence.failed(shortRow)
                            || Evidence.failed(longRow) || !sameBut(shortRow, longRow, "max_model_len")) continue;
                    Pair pair = new Pair(s, study, shortRow, longRow);
                    (pair.noDifference() ? same : costly).add(pair.text());
                }
            }
        }
        List<String> failures = study.sweeps().stream().flatMap(s -> s.configs().stream())
                .filter(c -> c.text("failure").equals("kv_cache_too_small"))
                .limit(1).map(c -> "at gpu_memory_utilization " + c.text("gpu_memory_utilization") + ", max_model_len "
                        + c.text("max_model_len") + " failed to start: " + errors.cite(c.text("config"), c.text("failure"), c.text("message"))).toList();
        if (!costly.isEmpty()) {
            return "**max_model_len too high** wastes KV cache and cuts concurrency. " + costly.get(0)
                    + (failures.isEmpty() ? "" : " At startup, " + String.join(" ", failures));
        }
        if (!same.isEmpty()) {
            return "**max_model_len** is the longest request the server accepts. The lab warns that a high one cuts concurrency; "
                    + "this study found no difference at the loads swept: " + KnobSweep.clause(same.get(0)) + " vLLM's paged KV cache "
                    + "gives each request only the blocks it uses, so a high limit costs capacity only when requests really are "
                    + "that long, or at startup, where the KV cache must hold one full-length request"
                    + (failures.isEmpty() ? "." : ": " + String.join(" ", failures));
        }
        return "**max_model_len too high** wastes KV cache and cuts concurrency. Not swept: no sweep started two context-length "
                + "limits with every other setting equal (add one to the config grid to see its cost)."
                + (failures.isEmpty() ? "" : " At startup, " + String.join(" ", failures));
    }

    /** Whether two configs of a sweep agree on every compared setting but {@code knob}. */
    static boolean sameBut(ConfigRow a, ConfigRow b, String knob) {
        return KnobSweep.SETTINGS.stream().filter(k -> !k.equals(knob)).allMatch(k -> a.text(k).equals(b.text(k)))
                && a.text("gpu").equals(b.text("gpu"));
    }

    /** Two started configs of one sweep, a shorter and a longer context-length limit, and their curves' top common load. */
    private record Pair(SweepResults sweep, ConfigRow shorter, ConfigRow longer, Curve a, Curve b, double load) {
        Pair(SweepResults sweep, Study study, ConfigRow shorter, ConfigRow longer) {
            this(sweep, shorter, longer, curve(study, sweep, shorter), curve(study, sweep, longer), top(study, sweep, shorter, longer));
        }

        private static Curve curve(Study study, SweepResults sweep, ConfigRow r) {
            return study.curves().stream().filter(c -> c.sweep() == sweep && c.config().equals(r.text("config")) && !c.byRate()
                    && !c.points().isEmpty()).findFirst().orElse(null);
        }

        private static double top(Study study, SweepResults sweep, ConfigRow shorter, ConfigRow longer) {
            Curve a = curve(study, sweep, shorter);
            Curve b = curve(study, sweep, longer);
            if (a == null || b == null) return Double.NaN;
            return a.points().stream().mapToDouble(LoadPoint::load).filter(l -> b.at(l).isPresent()).max().orElse(Double.NaN);
        }

        double kv(ConfigRow r) {
            double reported = r.num("reported_kv_cache_tokens");
            return Double.isNaN(reported) ? r.num("predicted_kv_cache_tokens") : reported;
        }

        double at(Curve c, String metric) {
            return c.at(load).orElseThrow().num(metric);
        }

        boolean noDifference() {
            boolean kvSame = Math.abs(kv(shorter) - kv(longer)) <= 0.01 * Math.max(kv(shorter), kv(longer));
            if (Double.isNaN(load)) return kvSame;
            double ta = at(a, "output_throughput");
            double tb = at(b, "output_throughput");
            return kvSame && Math.abs(ta - tb) <= KnobSweep.NO_DIFFERENCE * Math.max(ta, tb)
                    && at(a, "server_preemptions") == at(b, "server_preemptions");
        }

        String text() {
            String head = "On " + GpuClass.of(shorter.text("gpu")).label() + " at gpu_memory_utilization "
                    + shorter.text("gpu_memory_utilization") + " (max_num_seqs " + ReportFigures.orWhy(shorter.text("max_num_seqs"), "default")
                    + ", sweep `" + sweep.label() + "`), max_model_len " + Fmt.count(shorter.num("max_model_len")) + " and "
                    + Fmt.count(longer.num("max_model_len")) + " gave KV caches of " + Fmt.count(kv(shorter)) + " and "
                    + Fmt.count(kv(longer)) + " tokens";
            if (Double.isNaN(load)) return head + " (no load ran on both).";
            return head + "; at " + a.loadText(load) + ", output throughput " + Fmt.tps(at(a, "output_throughput")) + " against "
                    + Fmt.tps(at(b, "output_throughput")) + ", preemptions " + Fmt.count(at(a, "server_preemptions")) + " against "
                    + Fmt.count(at(b, "server_preemptions")) + ".";
        }
    }

    private static String singleStream(Study study) {
        List<String> found = new ArrayList<>();
        Evidence.withSingleStream(study).forEach(c -> {
            LoadPoint one = c.at(1).orElseThrow();
            LoadPoint peak = c.peak().orElseThrow();
            double t1 = one.num("output_throughput");
            double tp = peak.num("output_throughput");
            found.add(c.label() + ": c=1 gives " + Fmt.tps(t1) + ", " + Fmt.pct(t1 / tp) + " of the "
                    + Fmt.tps(tp) + " at " + c.loadText(peak.load()) + " (" + Fmt.num(tp / t1) + "× more at the peak)"
                    + c.at(2).map(two -> "; c=2 gives " + Fmt.tps(two.num("output_throughput"))).orElse("") + ".");
        });
        return found.isEmpty() ? "Not swept: no closed-loop sweep ran concurrency 1." : String.join(" ", found);
    }

    /**
     * Pitfall 4 as this study found it: every config at 0.95 or above, whether it started and what it did under load.
     * Reworded when all started and none preempted, naming what the simulator leaves out.
     */
    private static String highUtilization(Study study, ServerErrors errors) {
        List<String> found = new ArrayList<>();
        boolean trouble = false;
        for (SweepResults s : study.sweeps()) {
            for (ConfigRow c : s.configs()) {
                if (!(c.num("gpu_memory_utilization") >= 0.95)) continue;
                String name = "Config `" + c.text("config") + "` (" + GpuClass.of(c.text("gpu")).label() + ", "
                        + c.text("gpu_memory_utilization") + ", max_model_len " + c.text("max_model_len") + ")";
                if (Evidence.failed(c)) {
                    trouble = true;
                    found.add(name + ": failed to start. " + (c.has("failure") || c.has("message")
                            ? errors.cite(c.text("config"), c.text("failure"), c.text("message")) : "The planner predicts a failure.")
                            + (c.has("disagreement") ? " Planner and server: " + c.text("disagreement") + "." : ""));
                    continue;
                }
                Optional<Curve> curve = study.curves().stream().filter(x -> x.sweep() == s && x.config().equals(c.text("config"))
                        && !x.points().isEmpty()).findFirst();
                String underLoad = curve.map(x -> {
                    LoadPoint top = x.points().get(x.points().size() - 1);
                    double n = top.num("server_preemptions");
                    return "; at " + x.loadText(top.load()) + ", " + (Double.isNaN(n) ? "preemptions not measured" : Fmt.count(n) + " preemptions");
                }).orElse("");
                trouble |= curve.isPresent() && curve.get().points().stream().anyMatch(p -> p.num("server_preemptions") > 0 || p.broken());
                found.add(name + ": started, " + Fmt.num(Evidence.concurrency(c)) + " full-length requests fit" + underLoad
                        + (c.has("disagreement") ? "; " + c.text("disagreement") : "") + ".");
            }
        }
        if (found.isEmpty()) {
            return "**gpu_memory_utilization 0.95** leaves no margin for traffic spikes and other processes. Not swept: no config "
                    + "at 0.95 or above was tried.";
        }
        if (trouble) {
            return "**gpu_memory_utilization 0.95** leaves no margin for traffic spikes and other processes. " + String.join(" ", found);
        }
        return "**gpu_memory_utilization 0.95**: the lab warns it runs out of memory under traffic spikes; this study found no "
                + "failure at 0.95: " + (found.size() == 1 ? found.get(0) : found.size() + " configs at 0.95 or above started "
                + "and none preempted; for one, " + KnobSweep.clause(found.get(0))) + " The simulator does not model other processes on the GPU or "
                + "memory fragmentation, which is what the lab's margin is for: measure on the real GPU before serving at 0.95.";
    }
}
