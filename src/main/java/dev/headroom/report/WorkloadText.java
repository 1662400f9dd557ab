package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.results.ImportedFrom;
import dev.headroom.results.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What each curve's requests were, from the lengths its runs recorded (prompt tokens as sent, output tokens as
 * received: mean, median, 90th percentile), and how repeatable its recommended point is ({@link RepeatText}).
 */
final class WorkloadText {

    private WorkloadText() {}

    /** One curve's request lengths in tokens, pooled over its loads and repeats. */
    record Lengths(double mean, double median, double p90) {

        /** "243 (median 240, 90th percentile 410)". */
        String text() {
            return Fmt.count(Math.round(mean)) + " (" + spread() + ")";
        }

        /** "243 tokens on average (median 240, 90th percentile 410)". */
        String sentence() {
            return Fmt.count(Math.round(mean)) + " tokens on average (" + spread() + ")";
        }

        private String spread() {
            return "median " + Fmt.count(Math.round(median)) + ", 90th percentile " + Fmt.count(Math.round(p90));
        }
    }

    /**
     * The lengths of {@code kind} ({@code input} or {@code output}) over every run of the curve, each run weighted by its
     * completed requests: the mean is exact, the median and 90th percentile are the runs' own, averaged. Empty when no
     * run recorded them (results of a headroom before these keys).
     */
    static Optional<Lengths> of(Curve c, String kind) {
        double weight = 0;
        double mean = 0;
        double median = 0;
        double p90 = 0;
        for (LoadPoint p : c.points()) {
            for (Point run : p.repeats()) {
                Double completed = run.value("completed");
                Double m = run.value("mean_" + kind + "_tokens");
                Double q50 = run.value("median_" + kind + "_tokens");
                Double q90 = run.value("p90_" + kind + "_tokens");
                if (completed == null || completed <= 0 || m == null || q50 == null || q90 == null) continue;
                weight += completed;
                mean += completed * m;
                median += completed * q50;
                p90 += completed * q90;
            }
        }
        if (weight == 0) return Optional.empty();
        return Optional.of(new Lengths(mean / weight, median / weight, p90 / weight));
    }

    /** The report's and the playbook's section: each curve's request lengths, then each recommended point's repeats. */
    static void section(Doc doc, Study study) {
        doc.h2("The workload, and how repeatable the numbers are");
        doc.p("Each curve's requests as they were sent and answered, in tokens per request over all its loads: the "
                + "average, the median (half the requests were shorter) and the 90th percentile (nine in ten were shorter).");
        List<List<String>> rows = new ArrayList<>();
        for (Curve c : study.curves()) {
            rows.add(List.of(c.label(), of(c, "input").map(Lengths::text).orElse(notRecorded(c)),
                    of(c, "output").map(Lengths::text).orElse(notRecorded(c)), Fmt.count(requests(c))));
        }
        doc.table(List.of("Curve", "Prompt tokens", "Output tokens", "Requests"), rows);
        List<String> repeats = new ArrayList<>();
        for (Curve c : study.curves()) recommended(c).ifPresent(p -> repeats.add(c.label() + ": " + RepeatText.of(c, p)));
        if (repeats.isEmpty()) return;
        doc.p("The recommended point of each curve, over its runs. " + RepeatText.METHOD);
        doc.bullets(repeats);
    }

    /** One line for a recipe: the workload's lengths and its recommended point's repeats. */
    static String recipeLine(Curve c) {
        return recipeLine(c, recommended(c).orElse(null));
    }

    /** As {@link #recipeLine(Curve)} for the point {@code recommended} (null: no recommended point, no repeats). */
    static String recipeLine(Curve c, LoadPoint recommended) {
        String line = "**Workload**: " + lengths(c) + ".";
        if (recommended != null) line += " **Repeats**: " + RepeatText.of(c, recommended);
        return line;
    }

    /** "prompts of 243 tokens on average (median 240, ...), answers of 95 tokens on average (median 96, ...)". */
    static String lengths(Curve c) {
        Optional<Lengths> in = of(c, "input");
        Optional<Lengths> out = of(c, "output");
        if (in.isEmpty() && out.isEmpty()) return "request lengths " + notRecorded(c);
        return "prompts of " + in.map(Lengths::sentence).orElse(notRecorded(c)) + ", answers of "
                + out.map(Lengths::sentence).orElse(notRecorded(c));
    }

    /** The point analysis.json recommends for the curve (by its objective), if it has one among the curve's loads. */
    static Optional<LoadPoint> recommended(Curve c) {
        if (c.verdict() == null || c.verdict().recommendation() == null) return Optional.empty();
        return c.at(c.verdict().recommendation().point().load());
    }

    private static final String NOT_RECORDED = "not recorded (results of an older headroom)";

    /** A length the curve's results lack: the other tool that did not record it, or an older headroom. */
    private static String notRecorded(Curve c) {
        String tools = ImportedFrom.describe(c.points().stream().flatMap(p -> p.repeats().stream()).toList());
        return tools == null ? NOT_RECORDED : "not recorded by " + tools;
    }

    private static long requests(Curve c) {
        long n = 0;
        for (LoadPoint p : c.points()) {
            for (Point run : p.repeats()) {
                Double completed = run.value("completed");
                if (completed != null) n += Math.round(completed);
            }
        }
        return n;
    }
}
