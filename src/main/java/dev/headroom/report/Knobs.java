package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lab's best-practice knobs, each with what this study measured of it (the tuning study's findings) and the knobs
 * it did not vary named once; then the OOM debugging checklist.
 */
final class Knobs {

    private Knobs() {}

    static void append(Doc doc, Study study, List<Recipe> recipes) {
        if (ServerKnobs.append(doc, recipes)) return;
        Map<String, List<String>> measured = TuningStudy.findings(study);
        doc.h2("Best-practice knobs");
        doc.h3("Chunked prefill and max_num_batched_tokens");
        doc.p("`max_num_batched_tokens` is the token budget of one engine step, so it sets the prefill chunk size: the lab "
                + "keeps it small for chat (better inter-token latency) and large for long-prompt batch work (better TTFT).");
        doc.h3("Preemption monitoring");
        doc.p("When the KV cache is full, vLLM preempts running requests and recomputes them later. vLLM V1 counts them in "
                + "`vllm:num_preemptions_total`; V0 logs `Sequence group X is preempted by PreemptionMode.RECOMPUTE`. "
                + "Frequent preemptions: raise gpu_memory_utilization, lower max_num_seqs or max_num_batched_tokens, or "
                + "move to a larger GPU or tensor parallelism.");
        preemptions(doc, study);
        doc.h3("Prefix caching");
        doc.p("With `enable_prefix_caching`, requests that share a prefix (a system prompt) skip recomputing its KV cache. "
                + "Hit rate at each recipe's point: " + String.join("; ", recipes.stream().map(Knobs::hitRate).toList()) + ".");
        doc.h3("Key config knobs of these recipes");
        List<String> header = new ArrayList<>(List.of("Parameter"));
        recipes.forEach(r -> header.add(r.workloadTitle() + " on " + r.gpu().label()));
        List<List<String>> rows = new ArrayList<>();
        for (String k : KnobSweep.SETTINGS) {
            List<String> row = new ArrayList<>(List.of("`" + k + "`"));
            recipes.forEach(r -> row.add(ReportFigures.orWhy(r.serve().text(k), "not recorded")));
            rows.add(row);
        }
        doc.table(header, rows);
        List<String> found = new ArrayList<>();
        List<String> notSwept = new ArrayList<>();
        measured.forEach((k, v) -> {
            // The tuning study names its own items not swept; this line names the other settings, once.
            boolean tuningItem = k.equals(TuningStudy.BATCHED_TOKENS) || k.equals(TuningStudy.PREFIX_CACHING);
            if (v.isEmpty()) {
                if (!tuningItem) notSwept.add("`" + k + "`");
            } else {
                found.add("**`" + k + "`**: " + v.get(0) + (v.size() == 1 ? "" : " (" + (v.size() - 1) + " more in the tuning study)"));
            }
        });
        if (!found.isEmpty()) {
            doc.p("What this study measured of each setting it varied with everything else held (the tables are in the tuning study):");
            doc.bullets(found);
        }
        if (!notSwept.isEmpty()) doc.p("Not swept in this study (each recipe ran one value): " + String.join(", ", notSwept) + ".");
    }

    /** The curves that preempted, each with its first load; the others in one sentence. */
    private static void preemptions(Doc doc, Study study) {
        List<String> preempted = new ArrayList<>();
        int quiet = 0;
        int unmeasured = 0;
        for (Curve c : study.curves()) {
            if (c.points().isEmpty()) continue;
            LoadPoint first = c.points().stream().filter(p -> p.num("server_preemptions") > 0).findFirst().orElse(null);
            if (first != null) {
                preempted.add(c.label() + ": first preemptions at " + c.loadText(first.load()) + " ("
                        + Fmt.count(first.num("server_preemptions")) + ", KV cache peak " + Fmt.pct(first.num("kv_cache_usage_max")) + ")");
            } else if (c.points().stream().anyMatch(p -> !Double.isNaN(p.num("server_preemptions")))) {
                quiet++;
            } else {
                unmeasured++;
            }
        }
        if (!preempted.isEmpty()) doc.bullets(preempted);
        doc.p(preempted.size() + " of " + (preempted.size() + quiet + unmeasured) + " curves preempted; " + quiet
                + " ran every load without a preemption" + (unmeasured == 0 ? "" : "; on " + unmeasured
                + " preemptions were not measured (the server exposes no counter)")
                + (preempted.isEmpty() ? "." : ". The remedies measured on the worst of them are in the tuning study."));
    }

    private static String hitRate(Recipe r) {
        LoadPoint p = r.curve().typical().orElse(r.curve().points().get(0));
        double rate = p.num("server_prefix_cache_hit_rate");
        return r.workloadTitle() + " on " + r.gpu().label() + " (prefix caching " + r.serve().text("enable_prefix_caching")
                + ") " + (Double.isNaN(rate) ? "not measured" : Fmt.pct(rate)) + " at " + r.curve().loadText(p.load());
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
