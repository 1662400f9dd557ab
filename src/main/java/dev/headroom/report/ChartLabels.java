package dev.headroom.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYPointerAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * Places the marks and notes of a chart's panels once JFreeChart has laid the chart out: each label goes where its
 * box lies inside its plot's data area and clear of every box placed before it (threshold labels first, then marks,
 * then notes), trying other directions when its preferred one does not fit. A mark with no free place is left out
 * and named in the caption; notes left out are counted there.
 */
final class ChartLabels {

    /** From the marked point to the label's centre, in CSS pixels (the arrow's base radius plus the label offset). */
    private static final double MARK_DISTANCE = 42;
    private static final double NOTE_GAP = 3;
    private static final Font NOTE_FONT = ChartStyle.TICK.deriveFont(10f);
    /**
     * Room kept around each label, in CSS pixels: a browser draws the SVG's text with its own font, whose boxes
     * differ from Java's metrics by a pixel or two (the layout check in Chromium measures them).
     */
    private static final double CLEARANCE = 3;

    private ChartLabels() {}

    /**
     * Adds the panels' labels to {@code chart} (whose plot is the first panel's, or a combined plot of all panels in
     * order) and returns the caption's note on what was merged or left out ("" when nothing was).
     */
    static String place(JFreeChart chart, List<XyPanel> panels, int width, int height) {
        ChartRenderingInfo info = new ChartRenderingInfo();
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        chart.draw(g, new Rectangle2D.Double(0, 0, width, height), info);
        List<String> droppedMarks = new ArrayList<>();
        int droppedNotes = 0;
        boolean merged = false;
        for (int i = 0; i < panels.size(); i++) {
            XYPlot plot = chart.getPlot() instanceof CombinedDomainXYPlot c ? c.getSubplots().get(i) : chart.getXYPlot();
            PlotRenderingInfo plotInfo = chart.getPlot() instanceof CombinedDomainXYPlot
                    ? info.getPlotInfo().getSubplotInfo(i) : info.getPlotInfo();
            Area p = new Area(plot, plotInfo.getDataArea(), g);
            XyPanel panel = panels.get(i);
            panel.thresholds().forEach(p::reserveThreshold);
            for (XyPanel.Mark m : panel.marks()) if (!p.mark(m)) droppedMarks.add(m.label());
            for (XyPanel.Note n : panel.notes()) if (!p.note(n)) droppedNotes++;
            merged |= panel.merged();
        }
        g.dispose();
        List<String> said = new ArrayList<>();
        if (merged) said.add("Lines with equal values are drawn once; the legend names them together (a = b).");
        if (!droppedMarks.isEmpty()) said.add("Left out where there was no room: " + String.join(", ", droppedMarks) + ".");
        if (droppedNotes > 0) said.add(droppedNotes + " point label" + (droppedNotes == 1 ? "" : "s")
                + " left out where they would overlap other text.");
        return String.join(" ", said);
    }

    /** One plot's data area (CSS pixels) and the label boxes already placed in it. */
    private static final class Area {
        private final XYPlot plot;
        private final Rectangle2D area;
        private final Graphics2D g;
        private final List<Rectangle2D> taken = new ArrayList<>();

        Area(XYPlot plot, Rectangle2D area, Graphics2D g) {
            this.plot = plot;
            this.area = area;
            this.g = g;
        }

        /** A threshold's label sits just above its line at the left of the data area (TOP_LEFT, BOTTOM_LEFT). */
        void reserveThreshold(ValueMarker m) {
            Point2D at = toJava2D(plot.getDomainAxis().getLowerBound(), m.getValue());
            Rectangle2D text = size(m.getLabel(), m.getLabelFont());
            taken.add(new Rectangle2D.Double(area.getMinX(), at.getY() - text.getHeight() - 6, text.getWidth() + 10,
                    text.getHeight() + 6));
        }

        boolean mark(XyPanel.Mark m) {
            Point2D at = toJava2D(m.x(), m.y());
            Rectangle2D text = size(m.label(), ChartStyle.NOTE);
            for (int k = 0; k < 8; k++) {
                double angle = m.angle() + Math.PI / 4 * (k % 2 == 0 ? k / 2 : -(k + 1) / 2);
                double cx = at.getX() + Math.cos(angle) * MARK_DISTANCE;
                double cy = at.getY() + Math.sin(angle) * MARK_DISTANCE;
                Rectangle2D box = new Rectangle2D.Double(cx - text.getWidth() / 2, cy - text.getHeight() / 2,
                        text.getWidth(), text.getHeight());
                if (!free(box) || box.contains(at)) continue;
                XYPointerAnnotation a = new XYPointerAnnotation(m.label(), m.x(), m.y(), angle);
                a.setFont(ChartStyle.NOTE);
                a.setPaint(m.color());
                a.setArrowPaint(m.color());
                a.setTipRadius(5);
                a.setBaseRadius(MARK_DISTANCE - 4);
                a.setLabelOffset(4);
                a.setTextAnchor(TextAnchor.CENTER);
                plot.addAnnotation(a);
                taken.add(box);
                return true;
            }
            return false;
        }

        boolean note(XyPanel.Note n) {
            Point2D at = toJava2D(n.x(), n.y());
            Rectangle2D text = size(n.text(), NOTE_FONT);
            double w = text.getWidth();
            double h = text.getHeight();
            double[][] corners = {{NOTE_GAP, -h - NOTE_GAP}, {-w - NOTE_GAP, -h - NOTE_GAP}, {NOTE_GAP, NOTE_GAP},
                    {-w - NOTE_GAP, NOTE_GAP}};
            for (double[] c : corners) {
                Rectangle2D box = new Rectangle2D.Double(at.getX() + c[0], at.getY() + c[1], w, h);
                if (!free(box)) continue;
                XYTextAnnotation t = new XYTextAnnotation(n.text(), n.x(), n.y());
                t.setFont(NOTE_FONT);
                t.setPaint(Color.GRAY);
                // The box is drawn from the annotation's point; TOP_LEFT with a data point shifted in pixels.
                Point2D corner = toData(box.getMinX(), box.getMinY());
                t.setX(corner.getX());
                t.setY(corner.getY());
                t.setTextAnchor(TextAnchor.TOP_LEFT);
                plot.addAnnotation(t);
                taken.add(box);
                return true;
            }
            return false;
        }

        private boolean free(Rectangle2D box) {
            Rectangle2D room = new Rectangle2D.Double(box.getMinX() - CLEARANCE, box.getMinY() - CLEARANCE,
                    box.getWidth() + 2 * CLEARANCE, box.getHeight() + 2 * CLEARANCE);
            return area.contains(box) && taken.stream().noneMatch(room::intersects);
        }

        private Rectangle2D size(String text, Font font) {
            FontMetrics fm = g.getFontMetrics(font);
            return new Rectangle2D.Double(0, 0, fm.stringWidth(text), fm.getAscent() + fm.getDescent());
        }

        private Point2D toJava2D(double x, double y) {
            return new Point2D.Double(plot.getDomainAxis().valueToJava2D(x, area, RectangleEdge.BOTTOM),
                    plot.getRangeAxis().valueToJava2D(y, area, RectangleEdge.LEFT));
        }

        private Point2D toData(double x, double y) {
            return new Point2D.Double(plot.getDomainAxis().java2DToValue(x, area, RectangleEdge.BOTTOM),
                    plot.getRangeAxis().java2DToValue(y, area, RectangleEdge.LEFT));
        }
    }
}
