package dev.headroom.report;

import java.util.ArrayList;
import java.util.List;

/** The appendix: every load point of every curve, the numbers the charts are drawn from. */
final class PointTables {

    private PointTables() {}

    static void append(Doc doc, Study study) {
        doc.h2("All load points");
        for (Curve c : study.curves()) {
            doc.h3(c.label());
            List<List<String>> rows = new ArrayList<>();
            for (Point p : c.points()) {
                rows.add(List.of(c.loadText(p.load()), ReportFigures.orWhy(p.first().text("status"), "ok"),
                        Fmt.count(p.num("completed")) + " / " + Fmt.count(p.num("failed")), Fmt.num(p.num("request_throughput")),
                        Fmt.num(p.num("output_throughput")), Fmt.num(p.num("median_ttft_ms")), Fmt.num(p.num("p95_ttft_ms")),
                        Fmt.num(p.num("p99_ttft_ms")), Fmt.num(p.num("median_tpot_ms")), Fmt.num(p.num("p95_e2el_ms")),
                        Fmt.pct(p.num("kv_cache_usage_max")), Fmt.count(p.num("server_preemptions"))));
            }
            doc.table(List.of("Load", "Status", "Completed / failed", "Requests/s", "Output tok/s", "p50 TTFT (ms)",
                    "p95 TTFT (ms)", "p99 TTFT (ms)", "median TPOT (ms)", "p95 E2E (ms)", "KV peak", "Preemptions"), rows);
            List<String> unusable = c.unusable().stream().map(r -> c.loadText(r.num(c.byRate() ? "rate" : "concurrency"))
                    + ": " + ReportFigures.orWhy(r.text("status"), "no result") + " (no numbers)").toList();
            if (!unusable.isEmpty()) doc.p("Points without results: " + String.join("; ", unusable) + ".");
        }
    }
}
