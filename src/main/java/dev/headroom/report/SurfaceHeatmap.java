package dev.headroom.report;

import dev.headroom.plan.Surface;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.jfree.svg.SVGGraphics2D;

/**
 * Draws the OOM surface as a heatmap: columns are {@code --max-model-len}, rows {@code --gpu-memory-utilization},
 * one panel per ({@code --max-num-seqs}, {@code --max-num-batched-tokens}). A cell shows the maximum concurrency
 * at that length (greener is more) or a cross where vLLM refuses to start.
 */
public final class SurfaceHeatmap {

    private static final int CELL_W = 76;
    private static final int CELL_H = 26;
    private static final int LEFT = 70;
    private static final int TOP = 46;
    private static final int PANEL_GAP = 30;
    private static final Color FAIL = new Color(0xE8, 0x9A, 0x9A);

    private SurfaceHeatmap() {}

    /** Writes {@code <stem>.png} and {@code <stem>.svg} into {@code dir}. */
    public static void write(Path dir, String stem, String title, List<Surface.Cell> cells) throws IOException {
        Layout layout = new Layout(cells);
        BufferedImage png = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = png.createGraphics();
        draw(g, title, layout);
        g.dispose();
        ImageIO.write(png, "png", dir.resolve(stem + ".png").toFile());
        SVGGraphics2D svg = new SVGGraphics2D(layout.width(), layout.height());
        draw(svg, title, layout);
        Files.writeString(dir.resolve(stem + ".svg"), svg.getSVGDocument());
    }

    /** Axis values and panels of the grid. */
    private record Layout(List<Integer> lens, List<Double> utils, Map<String, List<Surface.Cell>> panels) {
        Layout(List<Surface.Cell> cells) {
            this(new ArrayList<>(new TreeSet<>(cells.stream().map(c -> c.serve().maxModelLen()).toList())),
                    new ArrayList<>(new TreeSet<>(cells.stream().map(c -> c.serve().gpuMemoryUtilization()).toList())),
                    group(cells));
        }

        private static Map<String, List<Surface.Cell>> group(List<Surface.Cell> cells) {
            Map<String, List<Surface.Cell>> out = new LinkedHashMap<>();
            for (Surface.Cell c : cells) {
                String key = "max_num_seqs " + c.serve().maxNumSeqs() + ", max_num_batched_tokens " + c.serve().maxNumBatchedTokens();
                out.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
            }
            return out;
        }

        int panelHeight() {
            return TOP + utils.size() * CELL_H + PANEL_GAP;
        }

        int width() {
            return LEFT + lens.size() * CELL_W + 20;
        }

        int height() {
            return 30 + panels.size() * panelHeight();
        }
    }

    private static void draw(Graphics2D g, String title, Layout layout) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, layout.width(), layout.height());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, 10, 20);
        double maxConcurrency = layout.panels().values().stream().flatMap(List::stream)
                .filter(c -> c.plan().fits()).mapToDouble(c -> c.plan().maxConcurrency()).max().orElse(1);
        int y0 = 30;
        for (Map.Entry<String, List<Surface.Cell>> panel : layout.panels().entrySet()) {
            drawPanel(g, layout, panel.getKey(), panel.getValue(), y0, maxConcurrency);
            y0 += layout.panelHeight();
        }
    }

    private static void drawPanel(Graphics2D g, Layout layout, String name, List<Surface.Cell> cells, int y0, double max) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.DARK_GRAY);
        g.drawString(name + "  (x: max_model_len, y: gpu_memory_utilization)", 10, y0 + 14);
        for (int i = 0; i < layout.lens().size(); i++) {
            g.drawString(Integer.toString(layout.lens().get(i)), LEFT + i * CELL_W + 8, y0 + TOP - 8);
        }
        for (int j = 0; j < layout.utils().size(); j++) {
            g.drawString(String.format(Locale.ROOT, "%.2f", layout.utils().get(j)), 20, y0 + TOP + j * CELL_H + 17);
        }
        for (Surface.Cell c : cells) {
            int x = LEFT + layout.lens().indexOf(c.serve().maxModelLen()) * CELL_W;
            int y = y0 + TOP + layout.utils().indexOf(c.serve().gpuMemoryUtilization()) * CELL_H;
            g.setColor(c.plan().fits() ? shade(c.plan().maxConcurrency(), max) : FAIL);
            g.fillRect(x, y, CELL_W, CELL_H);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(1));
            g.drawRect(x, y, CELL_W, CELL_H);
            g.setColor(Color.BLACK);
            String label = c.plan().fits() ? String.format(Locale.ROOT, "%.1fx", c.plan().maxConcurrency()) : "✗";
            g.drawString(label, x + 8, y + 17);
        }
    }

    /** Green, darker for more concurrency (log scale). */
    private static Color shade(double concurrency, double max) {
        double t = Math.log1p(concurrency) / Math.log1p(Math.max(max, 1));
        int light = (int) Math.round(225 - 120 * Math.min(1, Math.max(0, t)));
        return new Color(light - 40, 235 - (225 - light) / 3, light - 40);
    }
}
