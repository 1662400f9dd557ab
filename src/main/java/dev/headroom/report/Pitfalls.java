package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.results.ConfigRow;
import dev.headroom.results.ServedConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The lab playbook's common pitfalls, each shown with the user's own numbers or saying why it could not be. */
final class Pitfalls {

    private Pitfalls() {}

    static void append(Doc doc, Study study, List<Recipe> recipes) {
        doc.h2("Common pitfalls");
        ServerErrors errors = new ServerErrors();
        List<String> items = new ArrayList<>();
        items.add("**max_model_len too high** wastes KV cache and cuts concurrency. " + maxModelLen(study, recipes, errors));
        items.add("**Concurrency 1–2** misses continuous batching. " + singleStream(study));
        items.add("**No benchmark harness** means guessing. This playbook rests on "
                + study.curves().stream().mapToInt(c -> c.points().size()).sum() + " load points in "
                + study.sweeps().size() + " sweeps.");
        items.add("**gpu_memory_utilization 0.95** leaves no margin for traffic spikes and other processes. " + highUtilization(study, errors));
        doc.numbered(items);
        errors.appendTo(doc);
    }

    private static String maxModelLen(Study study, List<Recipe> recipes, ServerErrors errors) {
        List<String> found = new ArrayList<>();
        for (Recipe r : recipes) {
            ServedConfig s = r.serve();
            Optional<ConfigRow> longer = Evidence.longerContext(study, r.gpu(), s.num("gpu_memory_utilization"), s.num("max_model_len"));
            Optional<ConfigRow> mine = Evidence.configs(study, r.gpu()).stream()
                    .filter(c -> c.num("max_model_len") == s.num("max_model_len")
                            && c.num("gpu_memory_utilization") == s.num("gpu_memory_utilization") && !Evidence.failed(c))
                    .findFirst();
            if (longer.isEmpty() || mine.isEmpty()) continue;
            ConfigRow l = longer.get();
            found.add("On " + r.gpu().label() + ", max_model_len " + l.text("max_model_len") + " "
                    + (Evidence.failed(l) ? "failed to start (" + ReportFigures.orWhy(l.text("failure"), "planned failure") + ")"
                    : "fits " + Fmt.num(Evidence.concurrency(l)) + " full-length requests")
                    + " against " + Fmt.num(Evidence.concurrency(mine.get())) + " at " + s.text("max_model_len")
                    + " (sweep `" + r.curve().sweep().label() + "`).");
        }
        found.addAll(study.sweeps().stream().flatMap(s -> s.configs().stream())
                .filter(c -> c.text("failure").equals("kv_cache_too_small"))
                .map(c -> "Config `" + c.text("config") + "` (max_model_len " + c.text("max_model_len")
                        + ") failed to start: " + errors.cite(c.text("config"), c.text("failure"), c.text("message"))).toList());
        return found.isEmpty() ? "Not swept: no sweep tried a second max_model_len at the same memory fraction "
                + "(add one to the config grid to see its cost)." : String.join(" ", found);
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

    private static String highUtilization(Study study, ServerErrors errors) {
        List<String> found = study.sweeps().stream().flatMap(s -> s.configs().stream())
                .filter(c -> c.num("gpu_memory_utilization") >= 0.95)
                .map(c -> "Config `" + c.text("config") + "` (" + GpuClass.of(c.text("gpu")).label() + ", "
                        + c.text("gpu_memory_utilization") + ", max_model_len " + c.text("max_model_len") + "): "
                        + (Evidence.failed(c) ? "failed to start. " + (c.has("failure") || c.has("message")
                        ? errors.cite(c.text("config"), c.text("failure"), c.text("message")) : "The planner predicts a failure.")
                        + (c.has("disagreement") ? " Planner and server: " + c.text("disagreement") + "." : "")
                        : "started with " + Fmt.num(Evidence.concurrency(c)) + "x max concurrency, little margin left"
                        + (c.has("disagreement") ? "; " + c.text("disagreement") : "") + ".")).toList();
        return found.isEmpty() ? "Not swept: no config at 0.95 or above was tried." : String.join(" ", found);
    }
}
