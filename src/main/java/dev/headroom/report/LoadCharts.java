package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import java.awt.Color;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Optional;

/**
 * The charts of a capacity sweep against load: output throughput, TTFT and E2E percentiles with the SLO, TPOT and
 * ITL, KV-cache usage and preemptions, and the latency–throughput frontier. Measured and predicted curves of one
 * panel share a chart (predicted dashed); the recommended load and the knee from analysis.json are marked.
 */
public final class LoadCharts {

    private static final double UP_LEFT = -2.4;
    private static final double DOWN_LEFT = 2.3;

    private LoadCharts() {}

    /** Output throughput against load, every curve with the same kind of load axis on one chart. */
    public static ChartFiles.Written throughput(List<Curve> curves, List<String> panels, Path dir, String stem)
            throws IOException {
        XyPanel p = new XyPanel("Output throughput (tokens/s per GPU)");
        for (Curve c : curves) {
            p.line(c.label(), xs(c), ys(c, "output_throughput", 1), ChartStyle.color(panels.indexOf(c.panel())), c.predicted());
            if (marked(c, curves)) markBestAndKnee(p, c, "output_throughput", ChartStyle.color(panels.indexOf(c.panel())));
        }
        return write(p.plot(loadAxis(curves)), List.of(p), "Output throughput vs load", dir, stem,
                "Output tokens/s per GPU against load (solid measured, dashed predicted). Read where each curve "
                        + "flattens: past the knee more load adds latency, not throughput; \"serve\" marks the load "
                        + "recommended by the workload's objective.");
    }

    /** TTFT and E2E latency percentiles of one panel, with the SLO where it bounds them. */
    public static ChartFiles.Written latency(List<Curve> panel, Path dir, String stem) throws IOException {
        XyPanel ttft = new XyPanel("TTFT (ms)");
        XyPanel e2e = new XyPanel("E2E latency (ms)");
        for (Curve c : panel) {
            percentiles(ttft, c, "ttft");
            percentiles(e2e, c, "e2el");
            c.verdictIfAny().ifPresent(v -> v.slo().forEach((k, ms) -> {
                XyPanel target = k.contains("ttft") ? ttft : k.contains("e2el") ? e2e : null;
                if (target != null) target.threshold(ms, "SLO " + Fmt.metricName(k) + " ≤ " + Fmt.ms(ms));
            }));
            if (c == panel.get(0)) markBestAndKnee(e2e, c, "p95_e2el_ms", ChartStyle.INK);
        }
        e2e.legendShownBy(ttft);
        return write(combined(panel, ttft, e2e), List.of(ttft, e2e), "Latency vs load: " + panel.get(0).panel(), dir, stem,
                "p50/p95/p99 time to first token (top) and end-to-end latency (bottom) in ms against load ("
                        + panel.get(0).panel() + "). Read where a percentile crosses its red SLO line: loads to the "
                        + "right of it miss the target.");
    }

    /** TPOT and ITL of one panel (median and p99), with the SLO where it bounds them. */
    public static ChartFiles.Written tokenLatency(List<Curve> panel, Path dir, String stem) throws IOException {
        XyPanel tpot = new XyPanel("TPOT (ms per token)");
        XyPanel itl = new XyPanel("ITL (ms)");
        for (Curve c : panel) {
            String src = " (" + c.source() + ")";
            tpot.line("median" + src, xs(c), ys(c, "median_tpot_ms", 1), ChartStyle.color(0), c.predicted());
            tpot.line("p99" + src, xs(c), ys(c, "p99_tpot_ms", 1), ChartStyle.color(1), c.predicted());
            itl.line("median" + src, xs(c), ys(c, "median_itl_ms", 1), ChartStyle.color(0), c.predicted());
            itl.line("p99" + src, xs(c), ys(c, "p99_itl_ms", 1), ChartStyle.color(1), c.predicted());
            c.verdictIfAny().ifPresent(v -> v.slo().forEach((k, ms) -> {
                XyPanel target = k.contains("tpot") ? tpot : k.contains("itl") ? itl : null;
                if (target != null) target.threshold(ms, "SLO " + Fmt.metricName(k) + " ≤ " + Fmt.ms(ms));
            }));
        }
        itl.legendShownBy(tpot);
        return write(combined(panel, tpot, itl), List.of(tpot, itl), "Time per output token vs load: " + panel.get(0).panel(),
                dir, stem, "Median and p99 time per output token (top) and inter-token latency (bottom) in ms against load ("
                        + panel.get(0).panel() + "). A curve that rises with load means each decode step slows as "
                        + "the batch grows; a gap between median and p99 means some tokens wait behind prefills.");
    }

    /** KV-cache usage and preemptions of one panel; empty when no run sampled the KV gauge. */
    public static Optional<ChartFiles.Written> kvCache(List<Curve> panel, Path dir, String stem) throws IOException {
        XyPanel kv = new XyPanel("KV cache in use (%)");
        XyPanel preempt = XyPanel.counts("Preemptions (count)");
        for (Curve c : panel) {
            String src = " (" + c.source() + ")";
            kv.line("KV peak" + src, xs(c), ys(c, "kv_cache_usage_max", 100), ChartStyle.color(1), c.predicted());
            kv.line("KV mean" + src, xs(c), ys(c, "kv_cache_usage_mean", 100), ChartStyle.color(0), c.predicted());
            preempt.line("preemptions" + src, xs(c), ys(c, "server_preemptions", 1), ChartStyle.color(3), c.predicted());
        }
        if (!kv.hasData()) return Optional.empty();
        kv.threshold(100, "KV cache full");
        return Optional.of(write(combined(panel, kv, preempt), List.of(kv, preempt),
                "KV cache and preemptions vs load: " + panel.get(0).panel(), dir, stem,
                "Peak and mean KV-cache usage in % (top) and requests preempted (bottom) against load ("
                        + panel.get(0).panel() + "). A peak at the red line means the cache "
                        + "was full; preemptions above 0 mean requests were evicted and recomputed."));
    }

    /** Tokens/s per user (1000 / median TPOT) against output tokens/s per GPU, one line per curve. */
    public static ChartFiles.Written frontier(List<Curve> curves, List<String> panels, Path dir, String stem)
            throws IOException {
        XyPanel p = new XyPanel("Output tokens/s per user (1000 / median TPOT)");
        for (Curve c : curves) {
            double[] x = ys(c, "output_throughput", 1);
            double[] y = perUser(c);
            p.line(c.label(), x, y, ChartStyle.color(panels.indexOf(c.panel())), c.predicted());
            for (int i = 0; i < x.length; i++) p.note(x[i], y[i], c.loadText(c.points().get(i).load()));
            if (!marked(c, curves)) continue;
            c.verdictIfAny().map(Verdict::recommendation).flatMap(b -> c.at(b.point().load())).ifPresent(pt ->
                    p.mark(pt.num("output_throughput"), 1000 / pt.num("median_tpot_ms"), "serve " + c.loadText(pt.load()),
                            UP_LEFT, ChartStyle.color(panels.indexOf(c.panel()))));
        }
        NumberAxis x = ChartStyle.axis("Output throughput (tokens/s per GPU)");
        x.setAutoRangeIncludesZero(true);
        return write(p.plot(x), List.of(p), "Latency–throughput frontier", dir, stem,
                "Each point is one load level: up is faster for each user, right is more work per GPU. Read the "
                        + "trade-off: the point where the curve turns down steeply is where more throughput costs "
                        + "each user most.");
    }

    private static void percentiles(XyPanel p, Curve c, String metric) {
        String src = " (" + c.source() + ")";
        p.line("p50" + src, xs(c), ys(c, "median_" + metric + "_ms", 1), ChartStyle.color(0), c.predicted());
        p.line("p95" + src, xs(c), ys(c, "p95_" + metric + "_ms", 1), ChartStyle.color(4), c.predicted());
        p.line("p99" + src, xs(c), ys(c, "p99_" + metric + "_ms", 1), ChartStyle.color(1), c.predicted());
    }

    /** Marks go on measured curves, and on predicted ones without a measured twin, so labels do not pile up. */
    private static boolean marked(Curve c, List<Curve> all) {
        return !c.predicted() || all.stream().noneMatch(m -> !m.predicted() && m.panel().equals(c.panel()));
    }

    private static void markBestAndKnee(XyPanel p, Curve c, String column, Color color) {
        c.verdictIfAny().ifPresent(v -> {
            if (v.recommendation() != null) c.at(v.recommendation().point().load()).ifPresent(pt ->
                    p.mark(pt.load(), pt.num(column), "serve " + c.loadText(pt.load()), UP_LEFT, color));
            if (v.knee() != null) c.at(v.knee().load()).ifPresent(pt ->
                    p.mark(pt.load(), pt.num(column), "knee " + c.loadText(pt.load()), DOWN_LEFT, color));
        });
    }

    static double[] xs(Curve c) {
        return c.points().stream().mapToDouble(LoadPoint::load).toArray();
    }

    static double[] ys(Curve c, String column, double scale) {
        return c.points().stream().mapToDouble(p -> scale * p.num(column)).toArray();
    }

    private static double[] perUser(Curve c) {
        return c.points().stream().mapToDouble(p -> 1000 / p.num("median_tpot_ms")).toArray();
    }

    /** A log2 axis for doubling concurrency grids, else a linear one. */
    static ValueAxis loadAxis(List<Curve> curves) {
        String label = curves.get(0).loadAxis();
        double min = curves.stream().flatMap(c -> c.points().stream()).mapToDouble(LoadPoint::load).min().orElse(1);
        double max = curves.stream().flatMap(c -> c.points().stream()).mapToDouble(LoadPoint::load).max().orElse(1);
        if (curves.get(0).byRate() || min < 1 || max / min < 8) {
            NumberAxis a = ChartStyle.axis(label);
            a.setAutoRangeIncludesZero(true);
            return a;
        }
        LogAxis a = new LogAxis(label);
        a.setBase(2);
        a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        a.setNumberFormatOverride(new DecimalFormat("0"));
        a.setLabelFont(ChartStyle.LABEL);
        a.setTickLabelFont(ChartStyle.TICK);
        a.setLowerMargin(0.04);
        a.setUpperMargin(0.04);
        return a;
    }

    private static XYPlot combined(List<Curve> panel, XyPanel top, XyPanel bottom) {
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(loadAxis(panel));
        plot.setGap(ChartStyle.PANEL_GAP);
        plot.add(top.plot(null), 1);
        plot.add(bottom.plot(null), 1);
        return plot;
    }

    /** Lays the chart out, places the panels' labels (in subplot order), and writes it; the caption says what was merged or left out. */
    private static ChartFiles.Written write(XYPlot plot, List<XyPanel> panels, String title, Path dir, String stem,
                                            String caption) throws IOException {
        JFreeChart chart = ChartStyle.apply(new JFreeChart(title, ChartStyle.TITLE, plot, true));
        String placed = ChartLabels.place(chart, panels, ChartStyle.WIDTH, ChartStyle.HEIGHT);
        return ChartFiles.write(chart, dir, stem, placed.isEmpty() ? caption : caption + " " + placed);
    }
}
