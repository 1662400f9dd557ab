package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import java.util.ArrayList;
import java.util.List;

/** The appendix: every load point of every curve, the numbers the charts are drawn from. */
final class PointTables {

    /** The columns of a curve's table that hold predicted figures (TTFT's three share one error). */
    private static final List<PredictionRanges.Column> RANGED = List.of(
            new PredictionRanges.Column("Requests/s", "request_throughput"),
            new PredictionRanges.Column("Output tok/s", "output_throughput"),
            new PredictionRanges.Column("TTFT", "median_ttft_ms"),
            new PredictionRanges.Column("TPOT", "median_tpot_ms"),
            new PredictionRanges.Column("E2E", "p95_e2el_ms"));

    private PointTables() {}

    /** The points of the curve whose TTFT the server split (summary.json's TTFT split keys). */
    private static List<LoadPoint> split(Curve c) {
        return c.points().stream().filter(p -> !Double.isNaN(p.num("median_ttft_outside_engine_ms"))).toList();
    }

    /** What the TTFT split tables mean, said once above them all. */
    private static void splitExplained(Doc doc, Study study) {
        List<Curve> split = study.curves().stream().filter(c -> !split(c).isEmpty()).toList();
        if (split.isEmpty()) return;
        doc.p("Where TTFT went, for the curves whose server sent its own per-request metrics (vLLM "
                + "`--enable-per-request-metrics`): the engine's queue, the engine's time from scheduling to the first token, "
                + "and the rest of the TTFT the client measured, outside the engine (the server's front end, the network, the "
                + "client). Time outside the engine that grows with load points at the API server, not the GPU."
                + (split.stream().anyMatch(Curve::predicted) ? " Predicted curves run on a virtual clock with the API server in "
                + "front of the engine: its time to take in each request, fitted on published benchmarks, is the time "
                + "outside the engine there, and it grows when requests queue for it." : "")
                + (split.stream().anyMatch(Curve::simulated) ? " The simulated server models no front end: outside the engine "
                + "is only its HTTP round trip." : ""));
    }

    /** Where the curve's TTFT went, when the server sent its per-request metrics. */
    private static void ttftSplit(Doc doc, Curve c) {
        List<LoadPoint> split = split(c);
        if (split.isEmpty()) return;
        List<List<String>> rows = new ArrayList<>();
        for (LoadPoint p : split) {
            rows.add(List.of(c.loadText(p.load()), Fmt.num(p.num("median_ttft_ms")), Fmt.num(p.num("median_engine_queue_ms")),
                    Fmt.num(p.num("median_engine_ttft_ms")), Fmt.num(p.num("median_ttft_outside_engine_ms")),
                    Fmt.num(p.num("p95_ttft_outside_engine_ms"))));
        }
        doc.p("Where TTFT went (" + c.label() + "):");
        doc.table(List.of("Load", "p50 TTFT (ms)", "p50 engine queue (ms)", "p50 engine TTFT (ms)",
                "p50 outside engine (ms)", "p95 outside engine (ms)"), rows);
    }

    static void append(Doc doc, Study study) {
        doc.h2("All load points");
        splitExplained(doc, study);
        for (Curve c : study.curves()) {
            doc.h3(c.label());
            List<List<String>> rows = new ArrayList<>();
            for (LoadPoint p : c.points()) {
                rows.add(List.of(c.loadText(p.load()), p.status()
                                + (p.delivered() ? "" : " (load not delivered)"),
                        Fmt.count(p.num("completed")) + " / " + Fmt.count(p.num("failed")), Fmt.num(p.num("request_throughput")),
                        Fmt.num(p.num("output_throughput")), Fmt.num(p.num("median_ttft_ms")), Fmt.num(p.num("p95_ttft_ms")),
                        Fmt.num(p.num("p99_ttft_ms")), Fmt.num(p.num("median_tpot_ms")), Fmt.num(p.num("p95_e2el_ms")),
                        Fmt.pct(p.num("kv_cache_usage_max")), Fmt.count(p.num("server_preemptions"))));
            }
            doc.table(List.of("Load", "Status", "Completed / failed", "Requests/s", "Output tok/s", "p50 TTFT (ms)",
                    "p95 TTFT (ms)", "p99 TTFT (ms)", "median TPOT (ms)", "p95 E2E (ms)", "KV peak", "Preemptions"), rows);
            String ranges = PredictionRanges.tableNote(c, RANGED);
            if (!ranges.isEmpty()) doc.p(ranges);
            ttftSplit(doc, c);
            List<String> unusable = c.unusable().stream().map(r -> c.loadText(r.load())
                    + ": " + r.status() + " (no numbers)").toList();
            if (!unusable.isEmpty()) doc.p("Points without results: " + String.join("; ", unusable) + ".");
        }
    }
}
