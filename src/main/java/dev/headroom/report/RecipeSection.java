package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.results.ServedConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The playbook's quick-reference table and one recipe per workload and GPU class, every value from the results. */
final class RecipeSection {

    private RecipeSection() {}

    static void quickReference(Doc doc, List<Recipe> recipes) {
        doc.h2("Quick reference");
        List<List<String>> rows = new ArrayList<>();
        for (Recipe r : recipes) {
            Curve c = r.curve();
            OperatingPoint best = r.recommended();
            String load;
            String tps;
            String p95;
            if (best != null) {
                load = c.loadText(best.load());
                PredictionRanges ranges = PredictionRanges.at(c, best.load());
                tps = ranges.figure("output_throughput", best.outputThroughput(), Fmt::tps);
                p95 = ranges.figure("p95_e2el_ms", best.p95E2elMs(), Fmt::ms) + " E2E, "
                        + ranges.figure("p95_ttft_ms", best.p95TtftMs(), Fmt::ms) + " TTFT";
            } else {
                load = c.verdict() == null ? "not analyzed (run `headroom analyze`)" : noneWithin(c);
                Optional<LoadPoint> peak = c.peak();
                tps = peak.map(p -> "peak " + Fmt.tps(p.num("output_throughput")) + " at " + c.loadText(p.load())
                        + " (no SLO applied)").orElse("no usable point");
                p95 = peak.map(p -> Fmt.ms(p.num("p95_e2el_ms")) + " E2E at the peak").orElse("no usable point");
            }
            rows.add(List.of(r.workloadTitle(), r.gpu().label(), load, tps, p95,
                    c.verdict() == null || c.verdict().sloText().isEmpty() ? "none (not analyzed)" : c.verdict().sloText(),
                    c.source()));
        }
        doc.table(List.of("Workload", "GPU class", "Serve at", "Expected throughput", "p95 latency", "SLO", "Source"), rows);
    }

    /** "none within the SLO", or with a predicted load to confirm "none surely within the SLO; c=8 to measure". */
    private static String noneWithin(Curve c) {
        Verdict.Confirm k = c.verdict().toConfirm();
        return k == null ? "none within the SLO" : "none surely within the SLO; " + c.loadText(k.point().load()) + " to measure";
    }

    static void recipes(Doc doc, List<Recipe> recipes, Study study) {
        int n = 0;
        for (Recipe r : recipes) {
            doc.h2("Recipe " + (++n) + ": " + r.workloadTitle() + " on " + r.gpu().label());
            doc.p("**Use case**: " + r.useCase() + " **Source**: " + source(r.curve()));
            doc.p(WorkloadText.recipeLine(r.curve()));
            doc.table(List.of("Parameter", "Value", "Rationale"), rows(r, study));
            objective(doc, r);
            why(doc, r);
            if (ServeConfigText.known(r)) {
                String yaml = ServeConfigText.yaml(r);
                if (yaml == null) {
                    doc.p("On the command line (" + ServerKind.of(r.curve()).label() + " reads no config file):");
                } else {
                    String launch = ServerKind.of(r.curve()) == ServerKind.SGLANG ? "python -m sglang.launch_server" : "vllm serve";
                    doc.p("Config: `" + launch + " --config " + ServeConfigFiles.name(r, recipes) + "` (the file is written "
                            + "beside this playbook and holds these lines):");
                    doc.code("yaml", yaml);
                    doc.p("Or on the command line:");
                }
                doc.code("bash", ServeConfigText.command(r));
            } else {
                doc.p("No server flags to give: headroom did not start this server (`sweep --url`), so its settings are "
                        + "not known and no config file is written for it. The numbers above hold for the server as it ran; its own start-up log has its flags.");
            }
        }
    }

    /**
     * The recipe's objective in plain words, the chosen load with the next load's cost, and for a throughput
     * objective the latency target's cost and the trade-off table.
     */
    private static void objective(Doc doc, Recipe r) {
        Curve c = r.curve();
        Verdict.Recommended rec = c.verdict() == null ? null : c.verdict().recommendation();
        if (rec == null) return;
        PredictionRanges ranges = PredictionRanges.at(c, rec.point().load());
        doc.p("**Objective**: " + rec.objectiveText() + ". **Serve at " + c.loadText(rec.point().load()) + "**: "
                + ranges.figure("output_throughput", rec.point().outputThroughput(), Fmt::tps) + " at p95 E2E "
                + ranges.figure("p95_e2el_ms", rec.point().p95E2elMs(), Fmt::ms) + ". "
                + RecommendationText.nextLoad(c, rec) + (rec.throughput() ? " " + RecommendationText.sloShown(c, rec) : "")
                + (RecommendationText.confirm(c).isEmpty() ? "" : " " + RecommendationText.confirm(c))
                + " **Thresholds**: " + c.verdict().thresholds(c::loadText) + ".");
        if (rec.throughput()) {
            doc.p("The trade-off, load by load (cost at the GPU's assumed on-demand price; the report's cost section says which):");
            RecommendationText.tradeOff(doc, c, new Costs(java.util.OptionalDouble.empty()));
        }
    }

    /**
     * Why the thresholds fall where they do: with a recommendation (whose paragraph already names the load, the knee
     * and the limit) the limit's own evidence; without one, the verdict's sentence.
     */
    private static void why(Doc doc, Recipe r) {
        Verdict v = r.curve().verdict();
        if (v == null || v.sentence().isEmpty()) return;
        List<String> own = v.evidence().stream().filter(e -> !e.startsWith("also: ")).toList();
        if (v.recommendation() == null || own.isEmpty()) {
            doc.p("**Why**: " + v.sentence());
            return;
        }
        doc.p("**Why the limit**: " + String.join("; ", own) + ".");
    }

    static String source(Curve c) {
        String sweep = " (sweep `" + c.sweep().label() + "`)";
        String coverage = c.typical().map(p -> PredictionRanges.at(c, p).coverage()).map(t -> t.isEmpty() ? "" : " " + t).orElse("");
        if (c.predicted()) return "predicted by headroom's simulator of vLLM" + sweep + ", not measured on a GPU." + coverage;
        if (c.simulated()) return "timed over HTTP against headroom's simulated vLLM server" + sweep + ", not a real GPU." + coverage;
        return "measured on a real server" + sweep + ".";
    }

    /**
     * A server setting's row; a setting the sweep does not know (a server at {@code --url} that headroom did not
     * start) says so rather than leave the cell empty.
     */
    private static List<String> setting(ServedConfig serve, String key, String rationale) {
        return setting(serve, key, rationale, null);
    }

    /** As above; {@code measured}, when not null, is what the run saw of the setting even when its value is not known. */
    private static List<String> setting(ServedConfig serve, String key, String rationale, String measured) {
        if (serve.has(key)) return List.of(key, serve.text(key), rationale);
        return List.of(key, "not known", "headroom did not start this server (`sweep --url`)" + (measured == null ? "" : "; " + measured));
    }

    private static List<List<String>> rows(Recipe r, Study study) {
        ServedConfig s = r.serve();
        Curve c = r.curve();
        LoadPoint top = c.typical().orElseThrow();
        List<List<String>> rows = new ArrayList<>();
        rows.add(r.modelId() == null || r.modelId().isBlank()
                ? List.of("model", "not known", "the sweep did not record the served model (sweeps before model_id was kept)")
                : List.of("model", "`" + r.modelId() + "`", "the model swept"));
        // vLLM's memory fraction, token budget and prefill switches have no counterpart on a slot server: its
        // recipe lists the context and the slots, and its flags are in the command line below the table.
        boolean vllm = ServerKind.of(c) != ServerKind.LLAMA_CPP;
        if (vllm) rows.add(setting(s, "gpu_memory_utilization", Evidence.utilization(r, study)));
        rows.add(setting(s, "max_model_len", Evidence.maxModelLen(r, study)));
        rows.add(setting(s, "max_num_seqs", Evidence.maxNumSeqs(r, top), Evidence.maxNumSeqs(r, top)));
        if (vllm) rows.add(setting(s, "max_num_batched_tokens", Evidence.batchedTokens(r, study)));
        double hit = top.num("server_prefix_cache_hit_rate");
        String hitRate = "prefix-cache hit rate " + (Double.isNaN(hit) ? "not measured" : Fmt.pct(hit)) + " at " + c.loadText(top.load());
        if (vllm) {
            rows.add(setting(s, "enable_prefix_caching", Evidence.prefixCaching(r, study, hitRate), hitRate));
            rows.add(setting(s, "enable_chunked_prefill", "as swept (vLLM V1 default on)"));
        } else {
            rows.add(List.of("prompt cache", "on (llama-server reuses a slot's cached prompt)", hitRate));
        }
        OperatingPoint best = r.recommended();
        Verdict v = c.verdict();
        rows.add(List.of("Concurrency", best == null ? (v == null ? "not analyzed" : noneWithin(c)) : c.loadText(best.load()),
                best == null ? (v == null ? "`" + c.sweep().label() + "` was not analyzed: run `headroom analyze`"
                        : "the verdict below says why")
                        : (v.recommendation().throughput() ? "the most throughput without preemptions or errors: "
                        : "the highest load within the SLO: ") + Fmt.tps(best.outputThroughput()) + ", p95 E2E "
                        + Fmt.ms(best.p95E2elMs()) + " (the objective below says why)"));
        rows.add(List.of("Target p95", v == null || v.sloText().isEmpty() ? "no SLO (not analyzed)" : v.sloText(),
                v == null ? "set one with `headroom analyze --slo`" : "the SLO analyze applied"
                        + (v.sloSource().isEmpty() ? "" : " (" + v.sloSource() + ")")));
        return rows;
    }
}
