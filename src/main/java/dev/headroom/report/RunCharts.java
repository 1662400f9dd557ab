package dev.headroom.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** The charts of one run: its timeline, and the life of its median and p99 request. */
public final class RunCharts {

    private RunCharts() {}

    /** In-flight requests, output tokens/s and (where sampled) KV-cache usage over the run. */
    public static ChartFiles.Written timeline(Timeline t, String title, Path dir, String stem) throws IOException {
        XyPanel load = XyPanel.counts("Requests (count)");
        load.line("in flight (client)", t.tSec(), t.inFlight(), ChartStyle.color(0), false);
        load.line("running (server)", t.telemetryTSec(), t.running(), ChartStyle.color(2), false);
        load.line("waiting (server)", t.telemetryTSec(), t.waiting(), ChartStyle.color(1), false);
        XyPanel tokens = new XyPanel("Output tokens/s");
        tokens.line("output tokens/s", t.tSec(), t.tokensPerSec(), ChartStyle.color(4), false);
        NumberAxis time = ChartStyle.axis("Time since the run started (s)");
        // Whole seconds: a "0.0" at the left end is wide enough to run into the lowest panel's "0".
        if (t.tSec().length > 0 && t.tSec()[t.tSec().length - 1] >= 2) time.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.setGap(ChartStyle.PANEL_GAP);
        plot.add(load.plot(null), 1);
        plot.add(tokens.plot(null), 1);
        List<XyPanel> panels = new ArrayList<>(List.of(load, tokens));
        String caption = "Requests in flight (client) and running or waiting (server), and output tokens/s, over the run";
        if (t.hasKv()) {
            // Short axis labels: three stacked panels leave each about 140 px of height for its rotated label.
            XyPanel kv = new XyPanel("KV cache (%)");
            kv.line("KV cache usage", t.telemetryTSec(), t.kvUsagePct(), ChartStyle.color(3), false);
            plot.add(kv.plot(null), 1);
            panels.add(kv);
            caption += ", with the server's KV-cache usage";
        }
        caption += ". Waiting above 0 means the server queued requests; a dip in tokens/s with requests in flight "
                + "means the server stalled.";
        JFreeChart chart = ChartStyle.apply(new JFreeChart(title, ChartStyle.TITLE, plot, true));
        String placed = ChartLabels.place(chart, panels, ChartStyle.WIDTH, ChartStyle.HEIGHT);
        return ChartFiles.write(chart, dir, stem, placed.isEmpty() ? caption : caption + " " + placed);
    }

    /** The median and the p99 request as stacked bars of client queue, server queue, prefill and decode. */
    public static ChartFiles.Written life(RequestLife.Dissection d, String title, Path dir, String stem)
            throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (RequestLife r : new RequestLife[] {d.median(), d.p99()}) {
            double[] ms = r.phasesMs();
            for (int i = 0; i < ms.length; i++) data.addValue(ms[i], RequestLife.PHASES.get(i), r.which());
        }
        StackedBarRenderer bars = new StackedBarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setMaximumBarWidth(0.3);
        Color[] colors = {ChartStyle.color(6), ChartStyle.color(1), ChartStyle.color(4), ChartStyle.color(0)};
        for (int i = 0; i < colors.length; i++) bars.setSeriesPaint(i, colors[i]);
        CategoryAxis requests = new CategoryAxis(null);
        requests.setTickLabelFont(ChartStyle.LABEL);
        NumberAxis ms = ChartStyle.axis("Time from intended send to last token (ms)");
        CategoryPlot plot = new CategoryPlot(data, requests, ms, bars);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(ChartStyle.GRID);
        plot.setOutlineVisible(false);
        JFreeChart chart = ChartStyle.apply(new JFreeChart(title, ChartStyle.TITLE, plot, true));
        return ChartFiles.write(dir, stem, "Where the time of a median and a p99 request went, in ms from the moment it "
                        + "was meant to be sent: the longest bar segment is the phase to work on.", ChartStyle.WIDTH, 300,
                g -> chart.draw(g, new java.awt.geom.Rectangle2D.Double(0, 0, ChartStyle.WIDTH, 300)));
    }
}
