package dev.headroom.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
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
        XyPanel load = new XyPanel("Requests");
        load.line("in flight (client)", t.tSec(), t.inFlight(), ChartStyle.color(0), false);
        load.line("running (server)", t.telemetryTSec(), t.running(), ChartStyle.color(2), false);
        load.line("waiting (server)", t.telemetryTSec(), t.waiting(), ChartStyle.color(1), false);
        XyPanel tokens = new XyPanel("Output tokens/s");
        tokens.line("output tokens/s", t.tSec(), t.tokensPerSec(), ChartStyle.color(4), false);
        NumberAxis time = ChartStyle.axis("Time since the run started (s)");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.setGap(12);
        plot.add(load.plot(null), 1);
        plot.add(tokens.plot(null), 1);
        String caption = "Requests in flight and output tokens/s over the run";
        if (t.hasKv()) {
            XyPanel kv = new XyPanel("KV cache in use (%)");
            kv.line("KV cache usage", t.telemetryTSec(), t.kvUsagePct(), ChartStyle.color(3), false);
            plot.add(kv.plot(null), 1);
            caption += ", with the server's KV-cache usage";
        }
        JFreeChart chart = ChartStyle.apply(new JFreeChart(title, ChartStyle.TITLE, plot, true));
        return ChartFiles.write(chart, dir, stem, caption + ".");
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
        return ChartFiles.write(dir, stem, "Where the time of a median and a p99 request went.", ChartStyle.WIDTH, 300,
                g -> chart.draw(g, new java.awt.geom.Rectangle2D.Double(0, 0, ChartStyle.WIDTH, 300)));
    }
}
