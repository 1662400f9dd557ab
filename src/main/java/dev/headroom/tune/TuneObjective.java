package dev.headroom.tune;

import dev.headroom.analysis.Analysis;
import dev.headroom.analysis.GroupResult;
import dev.headroom.analysis.Inputs;
import dev.headroom.analysis.LoadPoint;
import dev.headroom.analysis.MaxLoad;
import dev.headroom.analysis.Objectives;
import dev.headroom.analysis.Recommendation;
import dev.headroom.analysis.ServingObjective;
import dev.headroom.analysis.SloChoice;
import dev.headroom.metrics.Slo;
import dev.headroom.results.Point;
import java.util.List;
import java.util.Objects;

/**
 * What {@code tune} maximizes for a workload, judged exactly as {@code analyze} judges a sweep: the latency objective
 * (chat: the highest load meeting the SLO, {@link MaxLoad}) or the throughput objective (batch: the most output
 * tokens/s without preemptions or server errors, and the job's deadline when one is given; on one GPU the most
 * tokens/s is the most tokens per dollar). The next load to run is analyze's advice: twice the top load while every
 * load passes, half the lowest while none does, else the bracket's midpoint.
 *
 * @param workload     the workload's name, which picks the default objective
 * @param objectives   analyze's objectives ({@code --objective}, the job)
 * @param slo          the {@code --slo}, or null for the playbook's target of the workload
 * @param maxErrorRate the largest share of failed requests of a passing load, 0–1
 */
public record TuneObjective(String workload, Objectives objectives, Slo slo, double maxErrorRate) {

    /** Doubling stops here: no config is asked to run more than this many requests at once. */
    static final int MAX_LOAD = 1024;
    static final String THROUGHPUT = "output_throughput";
    static final String REQUESTS_PER_S = "request_throughput";

    public TuneObjective {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(objectives, "objectives");
    }

    /** latency or throughput, and why it applies. */
    public Objectives.Choice choice() {
        return objectives.choose(workload);
    }

    /** Whether the figure is a load (latency) rather than tokens/s (throughput). */
    public boolean latency() {
        return choice().objective() == ServingObjective.LATENCY;
    }

    /** The figure's unit in words: {@code concurrency} or {@code output tok/s}. */
    public String unit() {
        return latency() ? "concurrency" : "output tok/s";
    }

    /** analyze's result for one config's points (all of one group). */
    GroupResult analyze(List<Point> points) {
        return Analysis.of(new Inputs(points, List.of()), slo, maxErrorRate, objectives).groups().get(0);
    }

    /** The SLO as analyze judges it, e.g. {@code p95 E2E ≤ 1.50 s}. */
    String describeSlo() {
        return SloChoice.resolve(workload, slo, null).describe();
    }

    /**
     * The config's figure from its points. When the client delivered none of the loads (a busy machine sets the
     * client's pace), analyze judges none; the figure is then taken from the loads as run and marked as paced by the
     * client: latency the client added counts against the server, so it understates what the server gives.
     */
    Figure figure(List<Point> points) {
        if (points.isEmpty()) return Figure.none(0);
        GroupResult g = analyze(points);
        if (g.points().stream().noneMatch(g.judge()::delivered)) return judged(analyze(asDelivered(points)), points).paced();
        return judged(g, points);
    }

    /** The points as if the client had delivered them. */
    private static List<Point> asDelivered(List<Point> points) {
        return points.stream().map(p -> new Point(p.config(), p.workload(), p.predicted(), p.concurrency(), p.rate(),
                p.repeat(), p.status(), p.dir(), p.served(), p.values(), false, true, p.slo(), p.error(), p.source())).toList();
    }

    private Figure judged(GroupResult g, List<Point> points) {
        Recommendation rec = g.recommendation();
        MaxLoad m = g.maxLoad();
        Integer load = rec.load() == null ? null : (int) rec.load().load();
        if (latency()) {
            if (m == null || m.load() == null) {
                LoadPoint lowest = g.points().isEmpty() ? null : g.points().get(0);
                Double ratio = lowest == null ? null : g.judge().ratio(lowest);
                return new Figure(0, false, ratio == null ? null : 100 * (ratio - 1), null, null,
                        m == null ? null : m.bracketHigh(), points.size(), false);
            }
            return new Figure(m.load(), true, null, load, m.bracketLow(), m.bracketHigh(), points.size(), false);
        }
        if (rec.load() == null || rec.load().mean(THROUGHPUT) == null) return Figure.none(points.size());
        double tps = rec.load().mean(THROUGHPUT);
        Objectives.Job job = rec.job();
        if (job == null || rec.inTime() != null) return new Figure(tps, true, null, load, null, null, points.size(), false);
        double seconds = job.seconds(rec.load().mean(REQUESTS_PER_S));
        double miss = 100 * (seconds / (job.deadline().toNanos() / 1e9) - 1);
        return new Figure(tps, false, Double.isFinite(miss) ? miss : null, load, null, null, points.size(), false);
    }

    /**
     * The next concurrency to run by analyze's advice, or null when it advises none that has not run yet or one above
     * {@code cap} (a closed loop above its request count sends them all at once: that load is never held).
     */
    Integer next(List<Point> points, int cap) {
        GroupResult g = analyze(points);
        if (g.points().stream().noneMatch(g.judge()::delivered)) g = analyze(asDelivered(points));
        Double next;
        if (latency()) {
            next = g.maxLoad() == null ? null : g.maxLoad().nextLoad();
        } else {
            Recommendation rec = g.recommendation();
            double top = g.points().get(g.points().size() - 1).load();
            double lowest = g.points().get(0).load();
            next = rec.load() == null ? Double.valueOf(Math.floor(lowest / 2)) : rec.next() == null ? 2 * top : null;
        }
        if (next == null || next < 1 || next > Math.min(cap, MAX_LOAD)) return null;
        int c = (int) Math.round(next);
        boolean ran = points.stream().anyMatch(p -> p.concurrency() != null && p.concurrency() == c);
        return ran ? null : c;
    }
}
