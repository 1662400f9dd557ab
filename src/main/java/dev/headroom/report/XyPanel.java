package dev.headroom.report;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.List;
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
 * as the best point and the knee. Points whose x or y is NaN are left out; the y axis starts at zero and shows the
 * thresholds. A line equal to one already drawn is not drawn again: the drawn one's legend entry names both. Marks
 * and notes are placed once the chart is laid out ({@link ChartLabels}), so that no two overlap.
 */
final class XyPanel {

    /** A labelled arrow at a data point; {@code angle} is the preferred direction of the label (radians, y down). */
    record Mark(double x, double y, String label, double angle, Color color) {}

    /** A small text beside a data point, e.g. its load. */
    record Note(double x, double y, String text) {}

    private final String yLabel;
    private final boolean counts;
    private final XYSeriesCollection data = new XYSeriesCollection();
    private final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    private final List<ValueMarker> thresholds = new ArrayList<>();
    private final List<Mark> marks = new ArrayList<>();
    private final List<Note> notes = new ArrayList<>();
    private boolean merged;
    private XyPanel legendShownBy;
    private double maxY = 0;

    private XyPanel(String yLabel, boolean counts) {
        this.yLabel = yLabel;
        this.counts = counts;
    }

    /** A panel of measured quantities (latency, throughput, percentages). */
    XyPanel(String yLabel) {
        this(yLabel, false);
    }

    /** A panel of counts (preemptions, requests): the axis starts at 0 with integer ticks, even when all are 0. */
    static XyPanel counts(String yLabel) {
        return new XyPanel(yLabel, true);
    }

    /**
     * Adds a line. A line with the same points as one already here is merged into it (its legend entry then reads
     * "first = second"); a name already used gets a suffix so every series shows in the legend.
     */
    XyPanel line(String name, double[] xs, double[] ys, Color color, boolean predicted) {
        XYSeries s = new XYSeries(name, true, true);
        for (int i = 0; i < xs.length; i++) {
            if (Double.isNaN(xs[i]) || Double.isNaN(ys[i]) || Double.isInfinite(ys[i])) continue;
            s.add(xs[i], ys[i]);
        }
        if (s.isEmpty()) return this;
        for (int i = 0; i < data.getSeriesCount(); i++) {
            XYSeries twin = data.getSeries(i);
            if (samePoints(twin, s)) {
                twin.setKey(twin.getKey() + " = " + afterCommonPrefix(twin.getKey().toString(), name));
                merged = true;
                return this;
            }
        }
        String key = name;
        for (int n = 2; data.getSeriesIndex(key) >= 0; n++) key = name + " #" + n;
        s.setKey(key);
        data.addSeries(s);
        maxY = Math.max(maxY, s.getMaxY());
        int i = data.getSeriesCount() - 1;
        renderer.setSeriesPaint(i, color);
        renderer.setSeriesStroke(i, ChartStyle.line(predicted));
        renderer.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        renderer.setSeriesShapesFilled(i, !predicted);
        renderer.setSeriesShapesVisible(i, s.getItemCount() <= 40);
        return this;
    }

    /**
     * {@code name} without the words it shares with {@code shown} (cut after a space or comma, marked "…"), so that
     * a merged legend entry stays short: "chat · T4 · max_model_len=4096 = …max_model_len=32768".
     */
    static String afterCommonPrefix(String shown, String name) {
        int same = 0;
        while (same < Math.min(shown.length(), name.length()) && shown.charAt(same) == name.charAt(same)) same++;
        int cut = Math.max(name.lastIndexOf(' ', same - 1), name.lastIndexOf(',', same - 1)) + 1;
        return cut <= 0 ? name : "…" + name.substring(cut);
    }

    private static boolean samePoints(XYSeries a, XYSeries b) {
        if (a.getItemCount() != b.getItemCount()) return false;
        for (int i = 0; i < a.getItemCount(); i++) {
            if (!close(a.getX(i).doubleValue(), b.getX(i).doubleValue())
                    || !close(a.getY(i).doubleValue(), b.getY(i).doubleValue())) return false;
        }
        return true;
    }

    // Equal to one part in a million: two lines that close are one line at any size a chart can show.
    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
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

    /** An arrow pointing at (x, y) with a label, e.g. "best c=24", in the colour of the line it marks. */
    XyPanel mark(double x, double y, String label, double angleRadians, Color color) {
        if (Double.isNaN(x) || Double.isNaN(y)) return this;
        boolean again = marks.stream().anyMatch(m -> m.label().equals(label) && close(m.x(), x) && close(m.y(), y));
        if (!again) marks.add(new Mark(x, y, label, angleRadians, color));
        return this;
    }

    /** A small text beside a point, e.g. its load. */
    XyPanel note(double x, double y, String text) {
        if (!Double.isNaN(x) && !Double.isNaN(y)) notes.add(new Note(x, y, text));
        return this;
    }

    /**
     * Leaves out of the legend the lines that {@code other} (a combined chart's other panel) already names with the
     * same name; a line merged differently here than there keeps its own entry.
     */
    XyPanel legendShownBy(XyPanel other) {
        this.legendShownBy = other;
        return this;
    }

    /** Whether any line has a point. */
    boolean hasData() {
        return data.getSeriesCount() > 0;
    }

    /** Whether a line was merged into an equal one. */
    boolean merged() {
        return merged;
    }

    List<Mark> marks() {
        return List.copyOf(marks);
    }

    List<Note> notes() {
        return List.copyOf(notes);
    }

    List<ValueMarker> thresholds() {
        return List.copyOf(thresholds);
    }

    /** The plot over {@code domain}; the y axis starts at zero and reaches above every threshold. */
    XYPlot plot(ValueAxis domain) {
        NumberAxis range = ChartStyle.axis(yLabel);
        if (counts) range.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        // An explicit range: JFreeChart centres an all-zero series on 0 (an axis from -5E-9 to 5E-9).
        double top = maxY > 0 ? maxY * (thresholds.isEmpty() ? 1.05 : 1.12) : 1;
        range.setRange(0, counts ? Math.max(1, Math.ceil(top)) : top);
        if (legendShownBy != null) {
            for (int i = 0; i < data.getSeriesCount(); i++) {
                renderer.setSeriesVisibleInLegend(i, legendShownBy.data.getSeriesIndex(data.getSeriesKey(i)) < 0);
            }
        }
        XYPlot plot = new XYPlot(data, domain, range, renderer);
        thresholds.forEach(m -> plot.addRangeMarker(m, Layer.FOREGROUND));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(ChartStyle.GRID);
        plot.setRangeGridlinePaint(ChartStyle.GRID);
        plot.setOutlineVisible(false);
        return plot;
    }
}
