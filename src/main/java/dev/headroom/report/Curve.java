package dev.headroom.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One (sweep, config, workload, measured or predicted, GPU) group of load points, ordered by load: the unit a
 * chart draws as one line and analysis.json judges as one group.
 */
public record Curve(SweepResults sweep, String config, String workload, boolean predicted, boolean simulated, String gpu,
                    String model, boolean byRate, List<Point> points, List<Row> unusable, Verdict verdict) {

    public Curve {
        points = List.copyOf(points);
        unusable = List.copyOf(unusable);
    }

    /** The verdict analysis.json gives this group, if analysis.json exists and judged it. */
    public Optional<Verdict> verdictIfAny() {
        return Optional.ofNullable(verdict);
    }

    /**
     * "predicted" (the simulator on a virtual clock), "simulated" (the simulator served over HTTP, run.yaml's
     * {@code simulated_target}) or "measured" (a real server).
     */
    public String source() {
        return predicted ? "predicted" : simulated ? "simulated" : "measured";
    }

    /** The GPU class this curve ran on. */
    public GpuClass gpuClass() {
        return GpuClass.of(gpu);
    }

    /** The panel it shares with its measured or predicted twin: config, workload and GPU. */
    public String panel() {
        return workload + " · " + gpuClass().label() + (config.equals("default") ? "" : " · " + config);
    }

    /** A series name: the panel and whether it was measured or predicted. */
    public String label() {
        return panel() + " (" + source() + ")";
    }

    /** A file-name stem for this curve's charts. */
    public String stem() {
        return (workload + "-" + gpuClass().id() + "-" + config + "-" + source()).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** The load axis in words with its unit. */
    public String loadAxis() {
        return byRate ? "Request rate (req/s)" : "Concurrency (requests in flight)";
    }

    /** A load value as text: "c=24" or "3.5 req/s". */
    public String loadText(double load) {
        return byRate ? Fmt.num(load) + " req/s" : "c=" + Fmt.count(load);
    }

    /** The folder of a point's first repeat. */
    public Path folder(Point p) {
        String dir = p.first().text("dir");
        return dir.isEmpty() ? sweep.dir() : sweep.dir().resolve(dir);
    }

    /** The point at {@code load}, if swept. */
    public Optional<Point> at(double load) {
        return points.stream().filter(p -> p.load() == load).findFirst();
    }

    /** The point of highest output throughput. */
    public Optional<Point> peak() {
        return points.stream().filter(p -> !Double.isNaN(p.num("output_throughput")))
                .max((a, b) -> Double.compare(a.num("output_throughput"), b.num("output_throughput")));
    }

    /** The point analysis.json names best, else the highest load swept: the run a report dissects. */
    public Optional<Point> typical() {
        if (verdict != null && verdict.best() != null) {
            Optional<Point> best = at(verdict.best().load());
            if (best.isPresent()) return best;
        }
        return points.isEmpty() ? Optional.empty() : Optional.of(points.get(points.size() - 1));
    }
}
