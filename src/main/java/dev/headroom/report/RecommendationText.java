package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.analysis.SloChoice;
import dev.headroom.analysis.SloJudgement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The recommendation of a recipe in a client's words, the same in the executive summary and the recipe: the objective,
 * what crossing to the next load costs, for a throughput objective what the latency target alone would cost, and the
 * trade-off table (load → throughput, p95 E2E, within the target, preemptions, cost per million tokens). A predicted
 * load whose error range crosses the target is said to be within the prediction's error of it, never to meet it.
 */
final class RecommendationText {

    private RecommendationText() {}

    /**
     * "Going to c=8 would give 499 tok/s (+83%) at p95 E2E 1.54 s, over the target.", or that no higher load was
     * swept or delivered.
     */
    static String nextLoad(Curve c, Verdict.Recommended r) {
        OperatingPoint next = r.next();
        if (next == null) {
            boolean higher = c.points().stream().anyMatch(p -> p.load() > r.point().load());
            return higher ? "No higher load was delivered by the load generator, so the target may allow more."
                    : "No higher load was swept.";
        }
        double gain = next.outputThroughput() / r.point().outputThroughput() - 1;
        Double sloMs = c.verdict().sloMs("p95_e2el_ms");
        String against = Double.isNaN(sloMs) ? "" : uncertain(c, next.load())
                ? ", within the prediction's error of the " + Fmt.ms(sloMs) + " target" + measureIt(c, next.load())
                : next.p95E2elMs() > sloMs ? ", over the target" : ", within the target";
        PredictionRanges ranges = PredictionRanges.at(c, next.load());
        return "Going to " + c.loadText(next.load()) + " would give " + ranges.figure("output_throughput", next.outputThroughput(), Fmt::tps)
                + (Double.isNaN(gain) ? "" : " (" + String.format(java.util.Locale.US, "%+.0f%%", 100 * gain) + ")")
                + " at p95 E2E " + ranges.figure("p95_e2el_ms", next.p95E2elMs(), Fmt::ms) + against + ".";
    }

    /** " — measure it before relying on it: `headroom sweep …`" where analyze names {@code load} to confirm; else "". */
    private static String measureIt(Curve c, double load) {
        Verdict.Confirm k = c.verdict().toConfirm();
        if (k == null || k.point().load() != load) return "";
        return " — measure it before relying on it" + (k.command().isEmpty() ? "" : ": `" + k.command() + "`");
    }

    /** Whether the curve's load at {@code load} is predicted with a range that crosses the SLO. */
    static boolean uncertain(Curve c, double load) {
        return c.at(load).map(p -> c.judge().judgement(p) == SloJudgement.UNCERTAIN).orElse(false);
    }

    /**
     * The predicted load to confirm by measurement: "c=8 is predicted at p95 E2E latency 1,372 ms (range 929–1,815 ms)
     * against the 1,500 ms target: within the prediction's error of the target — measure it before relying on it:
     * `headroom sweep …`."; "" when analyze named none, or when it is the recommended load's next one, whose
     * sentence ({@link #nextLoad}) already says so.
     */
    static String confirm(Curve c) {
        Verdict.Confirm k = c.verdict() == null ? null : c.verdict().toConfirm();
        Optional<LoadPoint> p = k == null ? Optional.empty() : c.at(k.point().load());
        if (p.isEmpty()) return "";
        Verdict.Recommended rec = c.verdict().recommendation();
        if (rec != null && rec.next() != null && rec.next().load() == k.point().load()) return "";
        SloChoice.Objective o = c.judge().binding(p.get());
        LoadPoint.Range r = p.get().range(o.key());
        if (r == null) return "";
        return c.loadText(p.get().load()) + " is predicted at " + Fmt.metricName(o.key()) + " " + Fmt.ms(p.get().num(o.key()))
                + " (range " + Fmt.num(r.low()) + "–" + Fmt.ms(r.high()) + ") against the " + Fmt.ms(o.thresholdMs())
                + " target: within the prediction's error of the target" + measureIt(c, k.point().load()) + ".";
    }

    /**
     * For a throughput objective whose load misses the latency target: "The latency target (p95 E2E ≤ 5,000 ms) is
     * shown, not applied: it alone would hold the load to c=4 at 242 tok/s, 4.6× less throughput."; "" otherwise.
     */
    static String sloShown(Curve c, Verdict.Recommended r) {
        Verdict v = c.verdict();
        if (!r.throughput()) return "";
        double sloMs = v.sloMs("p95_e2el_ms");
        if (uncertain(c, r.point().load())) {
            return "Its p95 E2E, " + PredictionRanges.at(c, r.point().load()).figure("p95_e2el_ms", r.point().p95E2elMs(), Fmt::ms)
                    + ", is within the prediction's error of the latency target (" + v.sloText() + "): the target is shown, not applied.";
        }
        if (!Double.isNaN(sloMs) && r.point().p95E2elMs() <= sloMs) return "It also meets the latency target (" + v.sloText() + ").";
        OperatingPoint best = v.best();
        if (best == null) return "No load met the latency target (" + v.sloText() + "); it is shown, not applied.";
        return "The latency target (" + v.sloText() + ") is shown, not applied: it alone would hold the load to "
                + c.loadText(best.load()) + " at "
                + PredictionRanges.at(c, best.load()).figure("output_throughput", best.outputThroughput(), Fmt::tps) + ", "
                + String.format(java.util.Locale.US, "%.1f×", r.point().outputThroughput() / best.outputThroughput())
                + " less throughput at as many times the cost per million tokens.";
    }

    /** The trade-off table of a curve: every load's throughput, p95 E2E, target, preemptions and cost; the recommended row marked. */
    static void tradeOff(Doc doc, Curve c, Costs costs) {
        double price = costs.pricePerHour(c.gpuClass());
        OperatingPoint rec = c.verdict() == null || c.verdict().recommendation() == null ? null : c.verdict().recommendation().point();
        List<List<String>> rows = new ArrayList<>();
        for (LoadPoint p : c.points()) {
            double preemptions = p.num("server_preemptions");
            rows.add(List.of(Costs.marked(c, p, rec), Fmt.tps(p.num("output_throughput")), Fmt.ms(p.num("p95_e2el_ms")),
                    Costs.meetsSlo(c, p), Double.isNaN(preemptions) ? "not measured" : Fmt.count(preemptions),
                    Double.isNaN(price) ? "no price" : Fmt.usd(Costs.perMillionTokens(price, p.num("output_throughput")))));
        }
        doc.table(List.of("Load", "Output throughput", "p95 E2E", "Within the latency target", "Preemptions",
                "USD per 1M output tokens" + (Double.isNaN(price) ? "" : " at " + Fmt.usd(price) + "/h")), rows);
        String ranges = PredictionRanges.tableNote(c, List.of(
                new PredictionRanges.Column("Output throughput", "output_throughput"),
                new PredictionRanges.Column("p95 E2E", "p95_e2el_ms")));
        if (!ranges.isEmpty()) doc.p(ranges);
    }
}
