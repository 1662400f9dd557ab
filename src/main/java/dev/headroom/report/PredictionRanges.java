package dev.headroom.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.headroom.analysis.LoadPoint;
import dev.headroom.plan.PredictionBands;
import dev.headroom.results.PredictionBlock;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoubleFunction;

/**
 * Figures from headroom's simulator (predicted, or timed against the simulator) with their ranges: the P90 held-out error of the figure's regime, as the point's summary.json
 * recorded it ({@link PredictionBlock}), drawn around the figure shown; a legend that says once per document what
 * a range means; and the coverage notes of a predicted curve. Measured figures are left as they are.
 */
final class PredictionRanges {

    /** The recorded prediction of one load point; a measured point's (or an old folder's) has no block. */
    private final JsonNode summary;

    private PredictionRanges(JsonNode summary) {
        this.summary = summary;
    }

    /**
     * The ranges of {@code c}'s point at {@code p}: none unless the simulator gave the curve (predicted, or served over
     * HTTP) and its summary.json has a block.
     */
    static PredictionRanges at(Curve c, LoadPoint p) {
        return new PredictionRanges(fromSimulator(c) ? PredictionBlock.summary(c.folder(p)) : MissingNode.getInstance());
    }

    private static boolean fromSimulator(Curve c) {
        return c.predicted() || c.simulated();
    }

    /** The ranges at {@code c}'s point at {@code load}; none when the load was not swept. */
    static PredictionRanges at(Curve c, double load) {
        return c.at(load).map(p -> at(c, p)).orElseGet(() -> new PredictionRanges(MissingNode.getInstance()));
    }

    private Optional<PredictionBlock.FigureBand> band(String key) {
        return PredictionBlock.band(summary, key);
    }

    /**
     * A figure of summary key {@code key} as text: "≈ 4,223 tok/s (2,085–6,360)" when predicted with a band,
     * else {@code fmt} of it alone. The range is drawn around {@code value} (which may be a mean of repeats).
     */
    String figure(String key, double value, DoubleFunction<String> fmt) {
        Optional<PredictionBlock.FigureBand> b = band(key);
        if (b.isEmpty() || Double.isNaN(value)) return fmt.apply(value);
        double[] range = b.get().around(value);
        return "≈ " + fmt.apply(value) + " (" + Fmt.num(range[0]) + "–" + Fmt.num(range[1]) + ")";
    }

    /** A table column of predicted figures: its header and the summary key of its figures. */
    record Column(String header, String key) {}

    /** The P90 error (percent) behind the band of {@code key}, or NaN when the figure has none. */
    double p90(String key) {
        return band(key).map(PredictionBlock.FigureBand::p90AbsPct).orElse(Double.NaN);
    }

    /**
     * The line under a predicted curve's table: each column's range as ± the P90 error, e.g. "Output tok/s ±52%,
     * TTFT ±87%"; a column whose error differs by load gives its lowest and highest. "" for a measured curve.
     *
     * @param columns the table's columns that hold predicted figures
     */
    static String tableNote(Curve c, List<Column> columns) {
        if (!fromSimulator(c)) return "";
        List<PredictionRanges> points = c.points().stream().map(p -> at(c, p)).toList();
        List<String> parts = new ArrayList<>();
        for (Column column : columns) {
            DoubleSummaryStatistics e = points.stream().mapToDouble(r -> r.p90(column.key())).filter(v -> !Double.isNaN(v))
                    .summaryStatistics();
            if (e.getCount() == 0) continue;
            parts.add(column.header() + " ±" + pct(e.getMin())
                    + (e.getMax() > e.getMin() ? " to ±" + pct(e.getMax()) + " by load" : ""));
        }
        if (parts.isEmpty()) return "";
        return "Ranges: each figure above is within ± the simulator's held-out error, which 9 of 10 predictions of "
                + "the error corpus did not exceed: " + String.join(", ", parts) + ".";
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f%%", v);
    }

    /** What of this point lies outside the error corpus, as one sentence; "" when nothing does or it is measured. */
    String coverage() {
        List<String> notes = PredictionBlock.notes(summary);
        return notes.isEmpty() ? "" : "Coverage: " + String.join("; ", notes) + ".";
    }

    /** Whether this point's summary.json recorded a prediction block. */
    boolean banded() {
        return summary.path(PredictionBlock.KEY).isObject();
    }

    /** Whether any curve of the study came from the simulator with recorded ranges. */
    static boolean any(Study study) {
        return study.curves().stream().filter(PredictionRanges::fromSimulator)
                .anyMatch(c -> c.typical().map(p -> at(c, p).banded()).orElse(false));
    }

    /**
     * For a curve the simulator gave, its recommended (else typical) figures' ranges and its coverage notes, as sentences
     * following a verdict (" Ranges at c=64: output throughput ≈ 4,223 tok/s (2,048–6,397), p95 E2E ≈ 1,178 ms
     * (727–1,629). Coverage: …"); "" for a measured curve or one without a recorded block.
     */
    static String verdictNote(Curve c) {
        if (!fromSimulator(c)) return "";
        Verdict v = c.verdict();
        Optional<LoadPoint> p = v != null && v.recommendation() != null ? c.at(v.recommendation().point().load()) : c.typical();
        if (p.isEmpty()) return "";
        PredictionRanges r = at(c, p.get());
        if (!r.banded()) return "";
        String coverage = r.coverage();
        return " Ranges at " + c.loadText(p.get().load()) + ": output throughput "
                + r.figure("output_throughput", p.get().num("output_throughput"), Fmt::tps) + ", p95 E2E "
                + r.figure("p95_e2el_ms", p.get().num("p95_e2el_ms"), Fmt::ms) + "." + (coverage.isEmpty() ? "" : " " + coverage);
    }

    /** Says once, above the first predicted figure, what a range means; nothing when no figure is predicted. */
    static void legend(Doc doc, Study study) {
        if (!any(study)) return;
        PredictionBands.Coverage corpus = PredictionBands.published().corpus();
        doc.p("**Ranges of predicted figures.** A figure from headroom's simulator (predicted, or timed against the "
                + "simulator) reads \"≈ 4,200 tok/s (2,100–6,300)\"; under a table of such points, a line gives each "
                + "column's range as ± a percentage. The range is the error "
                + "headroom's simulator made on " + corpus.points() + " published vLLM benchmarks on "
                + corpus.gpus().size() + " GPUs, each predicted with its own model (or its own GPU) left out of the fit: "
                + "9 of 10 of those predictions fell within that range of the published figure. It is wider for a GPU "
                + "with no published run in that corpus, and it depends on the model's size and the load. Where a "
                + "prediction lies outside what the corpus covers, its recipe or verdict says so. Measured figures carry "
                + "no range.");
    }
}
