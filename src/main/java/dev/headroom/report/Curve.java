package dev.headroom.report;

import dev.headroom.analysis.Judge;
import dev.headroom.analysis.LoadPoint;
import dev.headroom.results.ConfigRow;
import dev.headroom.results.GroupKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One group of load points ({@link GroupKey}: GPU, model, config, workload, load axis, measured or predicted),
 * ordered by load: the unit a chart draws as one line and analysis.json judges as one group.
 *
 * @param sweep     the results folder its first point came from
 * @param key       the group
 * @param simulated whether the simulator served its measured points over HTTP
 * @param judge     the SLO and error ceiling its points are judged by (analyze's Judge)
 * @param points    the loads with numbers, repeats combined
 * @param unusable  the loads that could not be measured (the point failed as a whole, or has no throughput)
 * @param verdict   analysis.json's verdict for the group, or null
 */
public record Curve(SweepResults sweep, GroupKey key, boolean simulated, Judge judge, List<LoadPoint> points,
                    List<LoadPoint> unusable, Verdict verdict) {

    public Curve {
        points = List.copyOf(points);
        unusable = List.copyOf(unusable);
    }

    public String config() {
        return key.config();
    }

    public String workload() {
        return key.workload();
    }

    public boolean predicted() {
        return key.predicted();
    }

    /** The GPU's catalog id, "" when unknown. */
    public String gpu() {
        return key.gpu() == null ? "" : key.gpu();
    }

    public String model() {
        return key.model();
    }

    /** Whether the load axis is the request rate. */
    public boolean byRate() {
        return key.openLoop();
    }

    /** This curve's server config as its sweep's configs.csv records it, if the sweep wrote one. */
    public Optional<ConfigRow> configRow() {
        return sweep.configs().stream().filter(c -> c.text("config").equals(config())).findFirst();
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
        return predicted() ? "predicted" : simulated ? "simulated" : "measured";
    }

    /** The GPU class this curve ran on. */
    public GpuClass gpuClass() {
        return GpuClass.of(gpu());
    }

    /** The panel it shares with its measured or predicted twin: everything but measured/predicted. */
    public String panel() {
        String cap = key.rateCap() == null ? "" : " · cap " + key.rateCap();
        return workload() + " · " + gpuClass().label() + (config().equals("default") ? "" : " · " + config()) + cap;
    }

    /** A series name: the panel and whether it was measured or predicted. */
    public String label() {
        return panel() + " (" + source() + ")";
    }

    /** A file-name stem for this curve's charts. */
    public String stem() {
        String cap = key.rateCap() == null ? "" : "-cap" + key.rateCap();
        return (workload() + "-" + gpuClass().id() + "-" + config() + cap + "-" + source()).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** The load axis in words with its unit. */
    public String loadAxis() {
        return byRate() ? "Request rate (req/s)" : "Concurrency (requests in flight)";
    }

    /** A load value as text: "c=24" or "3.5 req/s". */
    public String loadText(double load) {
        return byRate() ? Fmt.num(load) + " req/s" : "c=" + Fmt.count(load);
    }

    /** The folder of a point's first repeat. */
    public Path folder(LoadPoint p) {
        Path dir = p.first().dir();
        return dir == null ? sweep.dir() : dir;
    }

    /** The point at {@code load}, if swept. */
    public Optional<LoadPoint> at(double load) {
        return points.stream().filter(p -> p.load() == load).findFirst();
    }

    /**
     * The point of highest output throughput among those the server served (analyze's error rule: a load where
     * most requests failed is not a throughput the server gives).
     */
    public Optional<LoadPoint> peak() {
        return points.stream().filter(p -> p.served(judge.maxErrorRate()) && !Double.isNaN(p.num("output_throughput")))
                .max((a, b) -> Double.compare(a.num("output_throughput"), b.num("output_throughput")));
    }

    /** The load analysis.json recommends, else the highest load swept: the run a report dissects. */
    public Optional<LoadPoint> typical() {
        if (verdict != null && verdict.recommendation() != null) {
            Optional<LoadPoint> best = at(verdict.recommendation().point().load());
            if (best.isPresent()) return best;
        }
        return points.isEmpty() ? Optional.empty() : Optional.of(points.get(points.size() - 1));
    }
}
