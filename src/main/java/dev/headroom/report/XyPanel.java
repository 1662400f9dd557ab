package dev.headroom.report;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.annotations.XYPointerAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * One XY plot of lines (measured solid, predicted dashed), threshold lines such as the SLO, and labelled marks such
 * as the best point and the knee. Points whose x or y is NaN are left out; the y axis always shows the thresholds.
 */
final class XyPanel {

    private final String yLabel;
    private final XYSeriesCollection data = new XYSeriesCollection();
    private final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    private final List<ValueMarker> thresholds = new ArrayList<>();
    private final List<XYPointerAnnotation> marks = new ArrayList<>();
    private final List<XYTextAnnotation> notes = new ArrayList<>();
    private double maxY = 0;

    XyPanel(String yLabel) {
        this.yLabel = yLabel;
    }

    /** Adds a line; a name already used gets a suffix so every series shows in the legend. */
    XyPanel line(String name, double[] xs, double[] ys, Color color, boolean predicted) {
        String key = name;
        for (int n = 2; data.getSeriesIndex(key) >= 0; n++) key = name + " #" + n;
        XYSeries s = new XYSeries(key, true, true);
        for (int i = 0; i < xs.length; i++) {
            if (Double.isNaN(xs[i]) || Double.isNaN(ys[i]) || Double.isInfinite(ys[i])) continue;
            s.add(xs[i], ys[i]);
            maxY = Math.max(maxY, ys[i]);
        }
        if (s.isEmpty()) return this;
        data.addSeries(s);
        int i = data.getSeriesCount() - 1;
        renderer.setSeriesPaint(i, color);
        renderer.setSeriesStroke(i, ChartStyle.line(predicted));
        renderer.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        renderer.setSeriesShapesFilled(i, !predicted);
        renderer.setSeriesShapesVisible(i, s.getItemCount() <= 40);
        return this;
    }

    /** A horizontal threshold line with its label (e.g. the SLO). */
    XyPanel threshold(double y, String label) {
        if (Double.isNaN(y) || thresholds.stream().anyMatch(t -> t.getValue() == y)) return this;
        ValueMarker m = new ValueMarker(y, ChartStyle.SLO, ChartStyle.threshold());
        m.setLabel(label);
        m.setLabelFont(ChartStyle.NOTE);
        m.setLabelPaint(ChartStyle.SLO);
        m.setLabelBackgroundColor(new Color(255, 255, 255, 220));
        m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        thresholds.add(m);
        maxY = Math.max(maxY, y);
        return this;
    }

    /** An arrow pointing at (x, y) with a label, e.g. "best c=24". */
    XyPanel mark(double x, double y, String label, double angleRadians) {
        if (Double.isNaN(x) || Double.isNaN(y)) return this;
        XYPointerAnnotation a = new XYPointerAnnotation(label, x, y, angleRadians);
        a.setFont(ChartStyle.NOTE);
        a.setPaint(ChartStyle.INK);
        a.setArrowPaint(ChartStyle.INK);
        a.setTipRadius(5);
        a.setBaseRadius(38);
        a.setLabelOffset(4);
        marks.add(a);
        return this;
    }

    /** A small text beside a point, e.g. its load. */
    XyPanel note(double x, double y, String text) {
        if (Double.isNaN(x) || Double.isNaN(y)) return this;
        XYTextAnnotation t = new XYTextAnnotation(text, x, y);
        t.setFont(ChartStyle.TICK.deriveFont(10f));
        t.setPaint(Color.GRAY);
        t.setTextAnchor(TextAnchor.BOTTOM_LEFT);
        notes.add(t);
        return this;
    }

    /** Leaves this panel's lines out of the legend (a combined chart's other panel already names them). */
    XyPanel hideLegend() {
        renderer.setDefaultSeriesVisibleInLegend(false);
        return this;
    }

    /** Whether any line has a point. */
    boolean hasData() {
        return data.getSeriesCount() > 0;
    }

    /** The plot over {@code domain}; the y axis starts at zero and reaches above every threshold. */
    XYPlot plot(ValueAxis domain) {
        NumberAxis range = ChartStyle.axis(yLabel);
        range.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(data, domain, range, renderer);
        if (!thresholds.isEmpty()) range.setRange(0, Math.max(maxY, 1e-9) * 1.12);
        thresholds.forEach(m -> plot.addRangeMarker(m, Layer.FOREGROUND));
        marks.forEach(plot::addAnnotation);
        notes.forEach(plot::addAnnotation);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(ChartStyle.GRID);
        plot.setRangeGridlinePaint(ChartStyle.GRID);
        plot.setOutlineVisible(false);
        return plot;
    }
}
