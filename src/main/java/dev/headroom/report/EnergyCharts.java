package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.metrics.EnergyBound;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;

/**
 * The GPU's mean power and energy per output token against load, for one panel: measured where a run sampled the
 * GPU (nvidia-smi or the DCGM exporter), and for predicted points the upper bound at full board power, dashed.
 */
final class EnergyCharts {

    private static final String POWER = "gpu_power_mean_w";
    private static final String ENERGY = "energy_per_output_token_j";
    private static final String UPPER_BOUND = "energy_per_output_token_j_upper_bound";

    private EnergyCharts() {}

    /** The chart of {@code panel}; empty when no point of it measured the GPU's power. */
    static Optional<ChartFiles.Written> power(List<Curve> panel, Path dir, String stem) throws IOException {
        if (panel.stream().noneMatch(c -> any(LoadCharts.ys(c, POWER, 1)))) return Optional.empty();
        XyPanel power = new XyPanel("Mean GPU power (W)");
        XyPanel energy = new XyPanel("Energy per output token (J)");
        for (Curve c : panel) {
            String src = " (" + c.source() + ")";
            power.line("power" + src, LoadCharts.xs(c), LoadCharts.ys(c, POWER, 1), ChartStyle.color(0), c.predicted());
            energy.line("energy per token" + src, LoadCharts.xs(c), LoadCharts.ys(c, ENERGY, 1), ChartStyle.color(0), c.predicted());
            energy.line("upper bound at full board power" + src, LoadCharts.xs(c), LoadCharts.ys(c, UPPER_BOUND, 1),
                    ChartStyle.color(3), true);
        }
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(LoadCharts.loadAxis(panel));
        plot.setGap(ChartStyle.PANEL_GAP);
        plot.add(power.plot(null), 1);
        plot.add(energy.plot(null), 1);
        JFreeChart chart = ChartStyle.apply(new JFreeChart("GPU power and energy vs load: " + panel.get(0).panel(),
                ChartStyle.TITLE, plot, true));
        String caption = "Mean GPU power in W (top) and energy per output token in J (bottom) against load ("
                + panel.get(0).panel() + "), from the GPU's own power reading during each run" + range(panel)
                + ". Energy per token that falls as load rises means each joule serves more tokens in larger batches"
                + (panel.stream().anyMatch(c -> any(LoadCharts.ys(c, UPPER_BOUND, 1)))
                ? "; the dashed line is " + EnergyBound.BASIS + ", not a measurement." : ".");
        String placed = ChartLabels.place(chart, List.of(power, energy), ChartStyle.WIDTH, ChartStyle.HEIGHT);
        return Optional.of(ChartFiles.write(chart, dir, stem, placed.isEmpty() ? caption : caption + " " + placed));
    }

    /**
     * A sentence on the predicted upper bound of a panel where no run measured power; empty when no point has one.
     */
    static Optional<String> upperBoundOnly(List<Curve> panel) {
        double[] bounds = panel.stream().flatMap(c -> c.points().stream()).mapToDouble(p -> p.num(UPPER_BOUND))
                .filter(v -> !Double.isNaN(v)).toArray();
        if (bounds.length == 0) return Optional.empty();
        return Optional.of("GPU power: not measured. Energy per output token of the predicted points, "
                + EnergyBound.BASIS + ": " + Fmt.num(Arrays.stream(bounds).min().orElseThrow()) + " to "
                + Fmt.num(Arrays.stream(bounds).max().orElseThrow()) + " J.");
    }

    /** ", from A J per output token at the lightest load to B J at the heaviest" over the measured points. */
    private static String range(List<Curve> panel) {
        List<LoadPoint> measured = panel.stream().filter(c -> !c.predicted()).flatMap(c -> c.points().stream())
                .filter(p -> !Double.isNaN(p.num(ENERGY))).sorted((a, b) -> Double.compare(a.load(), b.load())).toList();
        if (measured.isEmpty()) return "";
        return String.format(", from %s J per output token at the lightest load to %s J at the heaviest",
                Fmt.num(measured.get(0).num(ENERGY)), Fmt.num(measured.get(measured.size() - 1).num(ENERGY)));
    }

    private static boolean any(double[] values) {
        return Arrays.stream(values).anyMatch(v -> !Double.isNaN(v));
    }
}
