package dev.headroom.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Stroke;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;

/**
 * The one look every headroom chart shares: white ground, light grid, sans-serif type sized to read in print and
 * on screen, the Okabe–Ito palette (safe for colour-blind readers), measured series solid and predicted dashed.
 */
public final class ChartStyle {

    /** Chart size in CSS pixels; PNGs are rendered at {@link #PNG_SCALE} times this for print. */
    public static final int WIDTH = 900;
    public static final int HEIGHT = 520;
    public static final int PNG_SCALE = 2;
    /** Pixels between stacked panels: more than one tick label, which each panel's end tick puts half into the gap. */
    public static final int PANEL_GAP = 20;

    public static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 17);
    public static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    public static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    public static final Font NOTE = new Font(Font.SANS_SERIF, Font.BOLD, 12);
    public static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
    public static final Color INK = new Color(0x22, 0x22, 0x22);
    public static final Color SLO = new Color(0xC0, 0x1C, 0x28);

    private static final Color[] PALETTE = {
        new Color(0x00, 0x72, 0xB2), new Color(0xD5, 0x5E, 0x00), new Color(0x00, 0x9E, 0x73),
        new Color(0xCC, 0x79, 0xA7), new Color(0xE6, 0x9F, 0x00), new Color(0x56, 0xB4, 0xE9), Color.BLACK};

    private ChartStyle() {}

    /** The i-th colour of the palette (cycling). */
    public static Color color(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /** A solid line for measured series, a dashed one for predicted. */
    public static Stroke line(boolean predicted) {
        return predicted
                ? new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {7f, 5f}, 0f)
                : new BasicStroke(2.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    /** A thin dashed line for thresholds (the SLO). */
    public static Stroke threshold() {
        return new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f);
    }

    /** Applies the title font, white ground and a frameless legend under the plot to a built chart. */
    public static JFreeChart apply(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(8, 8, 8, 16));
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(TITLE);
            chart.getTitle().setPaint(INK);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setPosition(RectangleEdge.BOTTOM);
            legend.setFrame(BlockBorder.NONE);
            legend.setItemFont(TICK);
            legend.setBackgroundPaint(Color.WHITE);
        }
        return chart;
    }

    /** A number axis with the house fonts. */
    public static NumberAxis axis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setLabelFont(LABEL);
        a.setTickLabelFont(TICK);
        a.setLabelPaint(INK);
        a.setTickLabelPaint(INK);
        return a;
    }
}
