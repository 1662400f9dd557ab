package dev.headroom.report;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.text.TextUtils;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/** Writes a drawing as {@code <stem>.png} (at {@link ChartStyle#PNG_SCALE}× for print) and {@code <stem>.svg}. */
public final class ChartFiles {

    static {
        System.setProperty("java.awt.headless", "true");
        // JFreeChart draws rotated text (the y-axis labels) as glyph outlines unless told otherwise; as text it stays
        // searchable and selectable in the SVG.
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    private ChartFiles() {}

    /** A chart written to disk: the file stem and the title a document shows under it. */
    public record Written(String stem, String caption) {}

    /** Draws {@code chart} into both files at the house size. */
    public static Written write(JFreeChart chart, Path dir, String stem, String caption) throws IOException {
        return write(dir, stem, caption, ChartStyle.WIDTH, ChartStyle.HEIGHT,
                g -> chart.draw(g, new Rectangle2D.Double(0, 0, ChartStyle.WIDTH, ChartStyle.HEIGHT)));
    }

    /** Runs {@code draw} on a PNG canvas and on an SVG canvas of {@code width}×{@code height} CSS pixels. */
    public static Written write(Path dir, String stem, String caption, int width, int height,
                                Consumer<Graphics2D> draw) throws IOException {
        Files.createDirectories(dir);
        int scale = ChartStyle.PNG_SCALE;
        BufferedImage png = new BufferedImage(width * scale, height * scale, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = png.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.scale(scale, scale);
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, width, height);
        draw.accept(g);
        g.dispose();
        ImageIO.write(png, "png", dir.resolve(stem + ".png").toFile());
        SVGGraphics2D svg = new SVGGraphics2D(width, height);
        // Unique ids per chart: several SVGs are inlined in one HTML page and must not share clip-path ids.
        svg.setDefsKeyPrefix(stem.replaceAll("[^A-Za-z0-9_-]", "_") + "_");
        draw.accept(svg);
        String element = svg.getSVGElement(null, true, new ViewBox(0, 0, width, height), null, null);
        Files.writeString(dir.resolve(stem + ".svg"),
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + element + "\n");
        return new Written(stem, caption);
    }
}
