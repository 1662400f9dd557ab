package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab's tuning items, each answered by what this study ran: the per-step token budget (chunked prefill) and
 * prefix caching where a sweep varied them with all else equal, the OOM surface with its load axis, the lab's
 * preemption remedies on the worst cell, and one GPU against another. An item the study did not run is named once.
 */
public final class TuningStudy {

    static final String BATCHED_TOKENS = "max_num_batched_tokens";
    static final String PREFIX_CACHING = "enable_prefix_caching";

    private TuningStudy() {}

    /** Appends the "Tuning study" section; charts go to {@code out}. */
    public static void append(Doc doc, Study study, Path out, Costs costs) throws IOException {
        doc.h2("Tuning study");
        doc.p("Each part below holds what this study ran for one of the lab's tuning items: the values tried, the metric "
                + "the lab says the setting moves, and a one-sentence finding from those numbers. Curves marked predicted "
                + "come from headroom's simulator of vLLM, not from a GPU.");
        List<String> notSwept = new ArrayList<>();
        if (!batchedTokens(doc, study)) notSwept.add("the per-step token budget (`max_num_batched_tokens`)");
        if (!prefixCaching(doc, study)) notSwept.add("prefix caching on against off");
        if (!OomSurface.section(doc, study, out)) notSwept.add("an OOM surface over server configs");
        if (!Remedies.section(doc, study)) notSwept.add("the preemption remedies (no config both started and preempted)");
        if (!GpuComparison.section(doc, study, costs)) notSwept.add("one GPU against another on the same workload");
        if (!notSwept.isEmpty()) {
            doc.p("Not swept in this study: " + String.join("; ", notSwept) + ". A sweep that varies one of them with "
                    + "everything else held (`headroom sweep --serve-grid`) fills its part.");
        }
    }

    /** Findings per server setting, in the lab's order of its knobs table; a setting not swept has none. */
    static Map<String, List<String>> findings(Study study) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String k : KnobSweep.SETTINGS) out.put(k, new ArrayList<>());
        for (KnobSweep ks : KnobSweep.of(study, BATCHED_TOKENS)) out.get(BATCHED_TOKENS).add(ks.scope() + ": " + batchedTokensFinding(ks));
        for (KnobSweep ks : KnobSweep.of(study, PREFIX_CACHING)) out.get(PREFIX_CACHING).add(ks.scope() + ": " + prefixFinding(ks));
        Remedies.findings(study).forEach((k, v) -> out.get(k).add(v));
        for (SweepResults s : study.sweeps()) {
            List<dev.headroom.results.ConfigRow> rows = OomSurface.surfaceRows(s);
            if (!OomSurface.isSurface(rows)) continue;
            for (String k : KnobSweep.SETTINGS) {
                List<String> values = rows.stream().map(r -> r.text(k)).distinct().toList();
                if (values.size() > 1 && out.get(k).isEmpty()) {
                    out.get(k).add("sweep `" + s.label() + "` varied it (" + String.join(", ", values)
                            + ") in its OOM surface under load, where each cell says what it did.");
                }
            }
        }
        return out;
    }

    private static boolean batchedTokens(Doc doc, Study study) {
        List<KnobSweep> sweeps = KnobSweep.of(study, BATCHED_TOKENS);
        if (sweeps.isEmpty()) return false;
        doc.h3("Chunked prefill: the per-step token budget");
        doc.p("The lab: 2,048 for better inter-token latency in chat (smaller prefill chunks, fewer stalls), 8,192–16,384 "
                + "for better TTFT and throughput in batch work.");
        for (KnobSweep ks : sweeps) {
            doc.p("**" + ks.scope() + "**: " + batchedTokensFinding(ks));
            table(doc, ks, List.of("output_throughput", "median_ttft_ms", "p95_ttft_ms", "median_itl_ms", "p99_itl_ms"));
        }
        return true;
    }

    /**
     * Chat-like work is judged on stalls (p99 ITL) and median TTFT, batch summarization on TTFT and throughput, as the
     * lab does; the lab prefers 2,048 for chat's stalls and the largest budget for TTFT.
     */
    static String batchedTokensFinding(KnobSweep ks) {
        if (ks.first().workload().equals("summarize")) {
            return ks.compare("p95_ttft_ms", true, ks.value(ks.last())) + " " + ks.compare("output_throughput", false, ks.value(ks.last()));
        }
        boolean has2048 = ks.curves().stream().anyMatch(c -> KnobSweep.served(c).num(BATCHED_TOKENS) == 2048);
        String prefers = has2048 ? Fmt.count(2048) : ks.value(ks.first());
        // TTFT beside the stalls: a large budget stalls fewer steps, each for longer, and new requests wait for it.
        return ks.compare("p99_itl_ms", true, prefers) + " " + ks.compare("median_ttft_ms", true, ks.value(ks.last()));
    }

    private static boolean prefixCaching(Doc doc, Study study) {
        List<KnobSweep> sweeps = KnobSweep.of(study, PREFIX_CACHING);
        if (sweeps.isEmpty()) return false;
        doc.h3("Prefix caching");
        doc.p("The lab: turn prefix caching on for chat with a shared system prompt, so requests skip recomputing it.");
        for (KnobSweep ks : sweeps) {
            doc.p("**" + ks.scope() + "**: " + prefixFinding(ks));
            table(doc, ks, List.of("server_prefix_cache_hit_rate", "median_ttft_ms", "p95_ttft_ms", "output_throughput"));
        }
        return true;
    }

    static String prefixFinding(KnobSweep ks) {
        String ttft = ks.compare("median_ttft_ms", true, "on");
        double load = ks.topLoad();
        double hit = Double.isNaN(load) ? Double.NaN : ks.first().at(load).orElseThrow().num("server_prefix_cache_hit_rate");
        return ttft + (Double.isNaN(hit) ? "" : " With caching on, " + Fmt.pct(hit) + " of prompt tokens came from the cache.");
    }

    /** One row per load both settings ran and per value: the knob, the load, then each metric. */
    private static void table(Doc doc, KnobSweep ks, List<String> metrics) {
        List<String> header = new ArrayList<>(List.of("`" + ks.knob() + "`", "Load"));
        metrics.forEach(m -> header.add(KnobSweep.metricWords(m)));
        List<List<String>> rows = new ArrayList<>();
        for (double load : ks.commonLoads()) {
            for (Curve c : ks.curves()) {
                LoadPoint p = c.at(load).orElseThrow();
                List<String> row = new ArrayList<>(List.of(ks.value(c), c.loadText(load)));
                for (String m : metrics) row.add(cell(ks, c, p, m));
                rows.add(row);
            }
        }
        doc.table(header, rows);
    }

    private static String cell(KnobSweep ks, Curve c, LoadPoint p, String metric) {
        if (metric.equals("server_prefix_cache_hit_rate") && KnobSweep.served(c).text(PREFIX_CACHING).equals("false")) return "off";
        return KnobSweep.format(metric, p.num(metric));
    }
}
