package dev.headroom.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.results.Point;
import dev.headroom.results.PredictionBlock;
import dev.headroom.results.ConfigRow;
import java.util.ArrayList;
import dev.headroom.results.ImportedFrom;
import java.util.List;
import java.util.Locale;

/**
 * The console form of an analysis: per group the verdict, a table of the points (the errors column is the server's
 * share) with the points headroom itself failed below it, and the findings; then the configs' start-up surface and
 * measured-vs-predicted differences.
 */
public final class ConsoleReport {

    private ConsoleReport() {
    }

    /** The lines to print, without trailing newlines. */
    public static List<String> lines(Analysis analysis) {
        List<String> out = new ArrayList<>();
        if (analysis.groups().isEmpty()) out.add(analysis.verdict());
        for (GroupResult g : analysis.groups()) {
            if (!out.isEmpty()) out.add("");
            group(g, out);
        }
        if (!analysis.configs().isEmpty()) configs(analysis.configs(), out);
        if (!analysis.comparison().isEmpty()) comparison(analysis.comparison(), out);
        return out;
    }

    private static void group(GroupResult g, List<String> out) {
        String where = g.model() == null ? "" : " (" + g.model() + (g.gpu() == null ? "" : " on " + g.gpu()) + ")";
        out.add("== " + g.key().label() + where + ": SLO " + g.slo().describe() + " [" + g.slo().source() + "]");
        String imported = ImportedFrom.describe(g.points().stream().flatMap(p -> p.repeats().stream()).toList());
        if (imported != null) out.add("imported from " + imported);
        out.add(g.verdict());
        if (g.points().isEmpty()) return;
        out.add(String.format(Locale.US, "  %12s %5s %12s %10s %10s %10s %7s  %s", g.axis().key(), "runs",
                "out tok/s", "p95 TTFT", "med TPOT", "p95 E2E", "errors", "SLO"));
        for (LoadPoint p : g.points()) {
            out.add(String.format(Locale.US, "  %12s %5d %12s %10s %10s %10s %7s  %s", Text.number(p.load()),
                    p.repeats().size(), orDash(p.mean("output_throughput"), "%,.1f"), latency(p.mean("p95_ttft_ms")),
                    latency(p.mean("median_tpot_ms")), latency(p.mean("p95_e2el_ms")), Text.percent(p.errorRate()),
                    slo(g.judge(), p)));
        }
        for (Point p : g.toolErrors()) out.add("  " + Verdict.toolError(g.axis(), p));
        findings(g, out);
    }

    private static void findings(GroupResult g, List<String> out) {
        Recommendation r = g.recommendation();
        out.add("  objective: " + r.objective().objective().key() + " (" + r.objective().source() + ")");
        out.add("  recommended: " + (r.load() == null ? "none" : g.axis().describe(r.load().load())));
        if (r.load() != null) predictedRange(r.load(), "  ", out);
        if (r.toConfirm() != null) {
            out.add("  to confirm: " + g.axis().describe(r.toConfirm().load()) + " (meets the SLO on its central prediction, "
                    + "within the prediction's error of it)");
            predictedRange(r.toConfirm(), "    ", out);
            out.add("    measure it: " + MeasureCommand.of(r.toConfirm(), g.axis(), g.slo()));
        }
        LoadPoint knee = g.knee();
        out.add("  knee: " + (knee == null ? "none (throughput has not levelled off)"
                : g.axis().describe(knee.load()) + ", " + Text.throughput(knee.mean("output_throughput"))
                        + " (Kneedle on throughput against load)"));
        MaxLoad m = g.maxLoad();
        if (m != null) {
            String load = m.load() == null ? "none" : (m.interpolated() ? "≈ " : "") + g.axis().describe(m.load());
            out.add("  max load under the SLO: " + load + " (" + m.confidence() + ")");
            if (m.suggestion() != null) out.add("  next: " + m.suggestion());
        }
        out.add("  limiting factor: " + g.limit().factor().key());
        for (String e : g.limit().evidence()) out.add("    - " + e);
    }

    /**
     * The recommended point's figures as ranges, from its summary.json's prediction block (only a run the simulator
     * gave has one), and its coverage notes.
     */
    private static void predictedRange(LoadPoint p, String indent, List<String> out) {
        JsonNode summary = PredictionBlock.summary(p.first().dir());
        List<String> ranges = new ArrayList<>();
        for (String key : List.of("output_throughput", "p95_ttft_ms", "p95_e2el_ms")) {
            Double v = p.mean(key);
            if (v == null) continue;
            PredictionBlock.band(summary, key).ifPresent(b -> {
                double[] r = b.around(v);
                boolean tps = key.equals("output_throughput");
                ranges.add((tps ? "out tok/s " : key.startsWith("p95_ttft") ? "p95 TTFT " : "p95 E2E ")
                        + String.format(Locale.US, tps ? "%,.0f-%,.0f" : "%,.0f-%,.0f ms", r[0], r[1])
                        + String.format(Locale.US, " (±%.0f%%)", b.p90AbsPct()));
            });
        }
        if (ranges.isEmpty()) return;
        out.add(indent + "predicted range: " + String.join(", ", ranges) + " (9 of 10 held-out predictions of the error corpus fell within)");
        for (String note : PredictionBlock.notes(summary)) out.add(indent + "  coverage: " + note);
    }

    private static void configs(List<ConfigRow> configs, List<String> out) {
        out.add("");
        out.add("Server configs (configs.csv): planner against server");
        out.add(String.format(Locale.US, "  %-16s %-16s %-18s %-9s %s", "config", "status", "failure", "planner", "what happened"));
        for (ConfigRow c : configs) {
            String planner = c.predictedStarts() == null ? "?" : c.predictedStarts() ? "starts" : "fails";
            List<String> said = new ArrayList<>();
            if (c.message() != null) said.add("server: " + c.message());
            if (c.predictedError() != null) said.add("planner: " + c.predictedError());
            if (c.disagreement() != null) said.add("DISAGREE: " + c.disagreement());
            out.add(String.format(Locale.US, "  %-16s %-16s %-18s %-9s %s", c.config(), orEmpty(c.status()),
                    orEmpty(c.failure()), planner, String.join("; ", said)));
        }
    }

    private static void comparison(List<Difference> differences, List<String> out) {
        out.add("");
        out.add("Measured against predicted (error = (predicted - measured) / measured)");
        out.add(String.format(Locale.US, "  %-12s %-10s %-10s %8s %-18s %12s %12s %9s", "config", "workload", "gpu",
                "load", "metric", "measured", "predicted", "error"));
        for (Difference d : differences) {
            String load = d.rate() != null ? Text.number(d.rate()) + "/s" : Text.number(d.concurrency());
            out.add(String.format(Locale.US, "  %-12s %-10s %-10s %8s %-18s %12.2f %12.2f %9s", d.key().config(),
                    d.key().workload(), d.key().gpu() == null ? "-" : d.key().gpu(), load, d.metric(), d.measured(), d.predicted(),
                    d.errorPct() == null ? "-" : String.format(Locale.US, "%+.1f%%", d.errorPct())));
        }
    }

    /**
     * {@code pass}, {@code fail (server_died)}, {@code pass (not delivered: client_failed)}; a predicted load whose
     * range crosses the SLO {@code uncertain (pass)} or {@code uncertain (fail)} by its central prediction.
     */
    private static String slo(Judge judge, LoadPoint p) {
        String central = judge.passes(p) ? "pass" : "fail" + (p.broken() ? " (" + p.status() + ")" : "");
        String verdict = judge.judgement(p) == SloJudgement.UNCERTAIN ? "uncertain (" + central + ")" : central;
        Judge.Shortfall s = judge.shortfall(p);
        return s == null ? verdict : verdict + " (not delivered: " + s.sign().key() + ")";
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    private static String latency(Double ms) {
        return ms == null ? "-" : Text.latency(ms);
    }

    private static String orDash(Double v, String format) {
        return v == null ? "-" : String.format(Locale.US, format, v);
    }
}
