package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import java.util.ArrayList;
import java.util.List;

/** Best-practice knobs with their measured effects where swept, and the OOM debugging checklist. */
final class Knobs {

    private Knobs() {}

    static void append(Doc doc, Study study, List<Recipe> recipes) {
        if (ServerKnobs.append(doc, recipes)) return;
        doc.h2("Best-practice knobs");
        doc.h3("Chunked prefill and max_num_batched_tokens");
        doc.p("`max_num_batched_tokens` is the token budget of one engine step, so it sets the prefill chunk size: smaller "
                + "chunks keep decode steps short (better ITL for chat), larger ones finish prompts sooner (better TTFT "
                + "for long-prompt batch work).");
        batchedTokens(doc, recipes);
        doc.h3("Preemption monitoring");
        doc.p("When the KV cache is full, vLLM preempts running requests and recomputes them later. vLLM V1 counts them in "
                + "`vllm:num_preemptions_total`; V0 logs `Sequence group X is preempted by PreemptionMode.RECOMPUTE`. "
                + "Frequent preemptions: raise gpu_memory_utilization, lower max_num_seqs or max_num_batched_tokens, or "
                + "move to a larger GPU or tensor parallelism.");
        doc.bullets(study.curves().stream().map(Knobs::preemptions).toList());
        doc.h3("Prefix caching");
        doc.p("With `enable_prefix_caching`, requests that share a prefix (a system prompt) skip recomputing its KV cache.");
        doc.bullets(recipes.stream().map(Knobs::prefix).toList());
        prefixCaching(doc, recipes);
        doc.h3("Key config knobs of these recipes");
        List<String> header = new ArrayList<>(List.of("Parameter"));
        recipes.forEach(r -> header.add(r.workloadTitle() + " on " + r.gpu().label()));
        List<List<String>> rows = new ArrayList<>();
        for (String k : List.of("gpu_memory_utilization", "max_model_len", "max_num_seqs", "max_num_batched_tokens",
                "enable_prefix_caching", "enable_chunked_prefill")) {
            List<String> row = new ArrayList<>(List.of("`" + k + "`"));
            recipes.forEach(r -> row.add(ReportFigures.orWhy(r.serve().text(k), "not recorded")));
            rows.add(row);
        }
        doc.table(header, rows);
    }

    private static void batchedTokens(Doc doc, List<Recipe> recipes) {
        List<List<String>> rows = new ArrayList<>();
        for (Recipe r : recipes) {
            if (!varies(r, "max_num_batched_tokens")) continue;
            for (Curve c : r.alternatives()) {
                for (LoadPoint p : c.points()) {
                    if (r.alternatives().stream().filter(o -> o.predicted() == c.predicted() && o.at(p.load()).isPresent()).count() < 2) continue;
                    rows.add(List.of(c.label(), Fmt.count(p.first().served().num("max_num_batched_tokens")), c.loadText(p.load()),
                            Fmt.tps(p.num("output_throughput")), Fmt.ms(p.num("p95_ttft_ms")), Fmt.ms(p.num("median_itl_ms"))));
                }
            }
        }
        if (rows.isEmpty()) {
            doc.p("Measured effect: not swept (every recipe ran one max_num_batched_tokens; add a config with another to compare).");
            return;
        }
        doc.p("Measured effect, at the loads both values were run:");
        doc.table(List.of("Curve", "max_num_batched_tokens", "Load", "Output throughput", "p95 TTFT", "median ITL"), rows);
    }

    private static String preemptions(Curve c) {
        LoadPoint first = c.points().stream().filter(p -> p.num("server_preemptions") > 0).findFirst().orElse(null);
        if (first == null) {
            boolean sampled = c.points().stream().anyMatch(p -> !Double.isNaN(p.num("server_preemptions")));
            return c.label() + ": " + (sampled ? "no preemptions up to " + c.loadText(c.points().get(c.points().size() - 1).load())
                    : "preemptions not measured (no /metrics)") + ".";
        }
        return c.label() + ": first preemptions at " + c.loadText(first.load()) + " (" + Fmt.count(first.num("server_preemptions"))
                + ", KV cache peak " + Fmt.pct(first.num("kv_cache_usage_max")) + ").";
    }

    private static String prefix(Recipe r) {
        LoadPoint p = r.curve().typical().orElse(r.curve().points().get(0));
        double rate = p.num("server_prefix_cache_hit_rate");
        return r.workloadTitle() + " on " + r.gpu().label() + " (enable_prefix_caching " + r.serve().text("enable_prefix_caching")
                + "): hit rate " + (Double.isNaN(rate) ? "not measured" : Fmt.pct(rate)) + " at " + r.curve().loadText(p.load())
                + (toggled(r) ? "; measured effect below." : "; its effect on TTFT and throughput: not swept (no config toggled it).");
    }

    private static boolean toggled(Recipe r) {
        return varies(r, "enable_prefix_caching");
    }

    /** True when the recipe's alternative configs ran more than one value of {@code knob}. */
    private static boolean varies(Recipe r, String knob) {
        return r.alternatives().stream().map(c -> c.points().get(0).first().served().text(knob)).distinct().count() > 1;
    }

    /** Configs of one recipe that differ in enable_prefix_caching, side by side at the loads both ran. */
    private static void prefixCaching(Doc doc, List<Recipe> recipes) {
        List<List<String>> rows = new ArrayList<>();
        for (Recipe r : recipes) {
            if (!toggled(r)) continue;
            for (Curve c : r.alternatives()) {
                for (LoadPoint p : c.points()) {
                    if (r.alternatives().stream().filter(o -> o.predicted() == c.predicted() && o.at(p.load()).isPresent()).count() < 2) continue;
                    rows.add(List.of(c.label(), p.first().served().text("enable_prefix_caching"), c.loadText(p.load()),
                            "false".equals(p.first().served().text("enable_prefix_caching")) ? "off"
                                    : Fmt.pct(p.num("server_prefix_cache_hit_rate")), Fmt.ms(p.num("median_ttft_ms")),
                            Fmt.ms(p.num("p95_ttft_ms")), Fmt.tps(p.num("output_throughput"))));
                }
            }
        }
        if (rows.isEmpty()) return;
        doc.p("Measured effect of prefix caching, at the loads both settings were run (hit rate from the server's prefix-cache counters):");
        doc.table(List.of("Curve", "enable_prefix_caching", "Load", "Prefix-cache hit rate", "median TTFT", "p95 TTFT",
                "Output throughput"), rows);
    }

    static void checklist(Doc doc, Study study, List<Recipe> recipes) {
        if (ServerKnobs.checklist(doc, recipes)) return;
        doc.h2("OOM debugging checklist");
        long failed = study.sweeps().stream().flatMap(s -> s.configs().stream()).filter(Evidence::failed).count();
        long preempting = study.curves().stream().filter(c -> c.points().stream().anyMatch(p -> p.num("server_preemptions") > 0)).count();
        doc.numbered(List.of(
                "Check the preemption count (`vllm:num_preemptions_total`, or the V0 log warning): " + preempting
                        + " of " + study.curves().size() + " curves here preempted at their highest loads.",
                "Lower `gpu_memory_utilization` (0.7 to start) if the server dies under load or other processes share the GPU.",
                "Reduce `max_model_len` to what requests need: it sizes the worst case each sequence may claim.",
                "Reduce `max_num_seqs` so fewer sequences compete for KV blocks.",
                "Monitor memory while it runs: `nvidia-smi -l 1`.",
                "Predict before you start: `headroom plan --surface` maps which configs start; " + failed
                        + " config(s) in these sweeps failed to start (see the configs table of the report)."));
    }
}
