package dev.headroom.report;

import dev.headroom.plan.Surface;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Draws the OOM surface as a heatmap: columns are {@code max_model_len}, rows {@code gpu_memory_utilization}, one
 * panel per ({@code max_num_seqs}, {@code max_num_batched_tokens}), each named in the glossary's plain words, and, when the sweep ran loads, per load. A cell shows
 * the maximum concurrency at that length (greener is more), amber where the config starts but preempts at that load,
 * or a cross where vLLM refuses to start; a legend under the panels says so.
 */
public final class SurfaceHeatmap {

    /**
     * One cell: the server config, the load it shows ("c=64", "" for none), whether it starts, whether it preempts at
     * that load, its max concurrency, the text shown, and a warning mark.
     */
    public record Cell(int maxModelLen, double gpuMemoryUtilization, int maxNumSeqs, int maxNumBatchedTokens, String load,
                       boolean starts, boolean preempts, double maxConcurrency, String text, boolean flagged) {}

    private static final int CELL_W = 118;
    private static final int CELL_H = 28;
    private static final int LEFT = 220;
    private static final int TOP = 56;
    private static final int PANEL_GAP = 34;
    private static final int TITLE_H = 36;
    private static final int LEGEND_H = 84;
    private static final Color FAIL = new Color(0xE8, 0x9A, 0x9A);
    private static final Font TITLE = ChartStyle.TITLE.deriveFont(15f);
    private static final Font TEXT = ChartStyle.TICK;
    private static final Color PREEMPT = new Color(0xF5, 0xC9, 0x6B);
    private static final String FAIL_NOTE = "✗ vLLM refuses to start (out of memory or KV cache too small)";
    private static final String PREEMPT_NOTE = "starts, but preempts requests at that load (preemptions counted)";

    private SurfaceHeatmap() {}

    /** Writes {@code <stem>.png} and {@code <stem>.svg} of the planner's surface ({@code plan --surface}). */
    public static void write(Path dir, String stem, String title, List<Surface.Cell> cells) throws IOException {
        writeCells(dir, stem, title, cells.stream().map(c -> new Cell(c.serve().maxModelLen(),
                c.serve().gpuMemoryUtilization(), c.serve().maxNumSeqs(), c.serve().maxNumBatchedTokens(), "",
                c.plan().fits(), false, c.plan().fits() ? c.plan().maxConcurrency() : Double.NaN,
                c.plan().fits() ? String.format(Locale.ROOT, "%.1fx", c.plan().maxConcurrency()) : "✗", false)).toList(),
                "");
    }

    /** Writes the heatmap of arbitrary cells; {@code flagNote} explains flagged cells ("" when none are). */
    public static ChartFiles.Written writeCells(Path dir, String stem, String title, List<Cell> cells, String flagNote)
            throws IOException {
        Layout layout = new Layout(cells, title, flagNote);
        return ChartFiles.write(dir, stem, title + ". Each cell is one server config: greener holds more full-length "
                        + "requests at once; amber starts but preempts requests at the panel's load; a cross is a config vLLM refuses "
                        + "to start, so pick among the green cells.",
                layout.width(), layout.height(), g -> draw(g, title, layout, flagNote));
    }

    /** Axis values and panels of the grid. */
    private record Layout(List<Integer> lens, List<Double> utils, Map<String, List<Cell>> panels, int minWidth) {
        Layout(List<Cell> cells, String title, String flagNote) {
            this(new ArrayList<>(new TreeSet<>(cells.stream().map(Cell::maxModelLen).toList())),
                    new ArrayList<>(new TreeSet<>(cells.stream().map(Cell::gpuMemoryUtilization).toList())),
                    group(cells), Math.max(SurfaceHeatmap.textWidth(title, TITLE),
                            Math.max(SurfaceHeatmap.textWidth(flagNote, TEXT), SurfaceHeatmap.textWidth(FAIL_NOTE, TEXT) + 36)));
        }

        private static Map<String, List<Cell>> group(List<Cell> cells) {
            Map<String, List<Cell>> out = new LinkedHashMap<>();
            for (Cell c : cells) {
                out.computeIfAbsent("running-request limit " + c.maxNumSeqs() + ", per-step token budget " + c.maxNumBatchedTokens()
                        + (c.load().isEmpty() ? "" : ", at " + c.load()), k -> new ArrayList<>()).add(c);
            }
            return out;
        }

        int panelHeight() {
            return TOP + utils.size() * CELL_H + PANEL_GAP;
        }

        int width() {
            return Math.max(Math.max(LEFT + lens.size() * CELL_W + 24, minWidth + 40), 620);
        }

        int height() {
            return TITLE_H + panels.size() * panelHeight() + LEGEND_H;
        }
    }

    private static int textWidth(String text, Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        FontMetrics m = g.getFontMetrics(font);
        int w = m.stringWidth(text);
        g.dispose();
        return w;
    }

    private static void draw(Graphics2D g, String title, Layout layout, String flagNote) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, layout.width(), layout.height());
        g.setColor(ChartStyle.INK);
        g.setFont(TITLE);
        g.drawString(title, 16, 24);
        double max = layout.panels().values().stream().flatMap(List::stream)
                .filter(c -> c.starts() && !Double.isNaN(c.maxConcurrency())).mapToDouble(Cell::maxConcurrency).max().orElse(1);
        int y0 = TITLE_H;
        for (Map.Entry<String, List<Cell>> panel : layout.panels().entrySet()) {
            drawPanel(g, layout, panel.getKey(), panel.getValue(), y0, max);
            y0 += layout.panelHeight();
        }
        drawLegend(g, y0, max, flagNote);
    }

    private static void drawPanel(Graphics2D g, Layout layout, String name, List<Cell> cells, int y0, double max) {
        g.setFont(TEXT.deriveFont(Font.BOLD));
        g.setColor(ChartStyle.INK);
        g.drawString(name, 16, y0 + 14);
        g.setFont(TEXT);
        g.drawString("context-length limit (tokens) →", LEFT, y0 + 33);
        g.drawString("GPU memory fraction ↓", 16, y0 + TOP - 6);
        for (int i = 0; i < layout.lens().size(); i++) {
            g.drawString(String.format(Locale.ROOT, "%,d", layout.lens().get(i)), LEFT + i * CELL_W + 8, y0 + TOP - 6);
        }
        for (int j = 0; j < layout.utils().size(); j++) {
            g.drawString(String.format(Locale.ROOT, "%.2f", layout.utils().get(j)), LEFT - 44, y0 + TOP + j * CELL_H + 19);
        }
        for (int i = 0; i < layout.lens().size(); i++) {
            for (int j = 0; j < layout.utils().size(); j++) {
                int len = layout.lens().get(i);
                double util = layout.utils().get(j);
                // "not swept" only where no cell will be drawn: in the SVG, text under a filled cell is still there.
                if (cells.stream().anyMatch(c -> c.maxModelLen() == len && c.gpuMemoryUtilization() == util)) continue;
                g.setColor(new Color(0xF2, 0xF2, 0xF2));
                g.fillRect(LEFT + i * CELL_W, y0 + TOP + j * CELL_H, CELL_W, CELL_H);
                g.setColor(Color.GRAY);
                g.drawString("not swept", LEFT + i * CELL_W + 8, y0 + TOP + j * CELL_H + 19);
            }
        }
        for (Cell c : cells) {
            int x = LEFT + layout.lens().indexOf(c.maxModelLen()) * CELL_W;
            int y = y0 + TOP + layout.utils().indexOf(c.gpuMemoryUtilization()) * CELL_H;
            g.setColor(!c.starts() ? FAIL : c.preempts() ? PREEMPT : shade(c.maxConcurrency(), max));
            g.fillRect(x, y, CELL_W, CELL_H);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(1));
            g.drawRect(x, y, CELL_W, CELL_H);
            g.setColor(Color.BLACK);
            g.drawString(c.text() + (c.flagged() ? " !" : ""), x + 8, y + 19);
        }
    }

    private static void drawLegend(Graphics2D g, int y, double max, String flagNote) {
        g.setFont(TEXT);
        int x = 16;
        g.setColor(ChartStyle.INK);
        g.drawString("Max concurrency (full-length requests):", x, y + 14);
        x += textWidth("Max concurrency (full-length requests):", TEXT) + 10;
        for (double v : new double[] {1, Math.sqrt(Math.max(max, 1)), max}) {
            g.setColor(shade(v, max));
            g.fillRect(x, y + 2, 28, 16);
            g.setColor(ChartStyle.INK);
            String label = String.format(Locale.ROOT, "%.1fx", v);
            g.drawString(label, x + 32, y + 14);
            x += 40 + textWidth(label, TEXT);
        }
        g.setColor(FAIL);
        g.fillRect(16, y + 24, 28, 16);
        g.setColor(ChartStyle.INK);
        g.drawString(FAIL_NOTE, 52, y + 37);
        g.setColor(PREEMPT);
        g.fillRect(16, y + 46, 28, 16);
        g.setColor(ChartStyle.INK);
        g.drawString(PREEMPT_NOTE, 52, y + 59);
        if (!flagNote.isEmpty()) g.drawString(flagNote, 16, y + 80);
    }

    /** Green, darker for more concurrency (log scale). */
    private static Color shade(double concurrency, double max) {
        if (Double.isNaN(concurrency)) return new Color(0xEE, 0xEE, 0xEE);
        double t = Math.log1p(concurrency) / Math.log1p(Math.max(max, 1));
        int light = (int) Math.round(225 - 120 * Math.min(1, Math.max(0, t)));
        return new Color(light - 40, 235 - (225 - light) / 3, light - 40);
    }
}
