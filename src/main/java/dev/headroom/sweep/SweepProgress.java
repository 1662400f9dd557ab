package dev.headroom.sweep;

import dev.headroom.metrics.PointErrors;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One line per finished point on stderr: its place in the grid, throughput and p95s, the time since the sweep
 * started and an estimate for the rest of the grid. The estimate weighs each point by its expected length
 * ({@link GridPoint#weight()}: a fixed request count takes about 1/concurrency or 1/rate as long, a duration the
 * same) and scales the wall time per weight of the points run so far.
 */
public final class SweepProgress {

    private final PrintWriter err;
    private final long startNanos = System.nanoTime();
    private int total;
    private int done;
    private double weightLeft;
    private double ranWeight;
    private long ranNanos;

    /** Reports to {@code err} for {@code grid} run against {@code configs} server configs. */
    public SweepProgress(PrintWriter err, GridSpec grid, int configs) {
        this.err = err;
        this.total = grid.size() * configs;
        this.weightLeft = grid.points("any").stream().mapToDouble(GridPoint::weight).sum() * configs;
    }

    /**
     * Point {@code p} ended after {@code nanos} with {@code status}; prints its line, with the point's failures by
     * the one error rule ({@link PointErrors#describe()}) whenever any request failed or was cut short, and the
     * error that stopped it (or null).
     */
    synchronized void pointDone(GridPoint p, PointStatus status, Map<String, Object> summary, String error, long nanos) {
        done++;
        weightLeft -= p.weight();
        ranWeight += p.weight();
        ranNanos += nanos;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "headroom: point %d/%d %s %s: ", done, total,
                p.config(), p.label()));
        PointErrors errors = summary == null ? null : PointStatus.errors(summary);
        if (errors != null && errors.completed() > 0) {
            b.append(String.format(Locale.ROOT, "%.1f tok/s, p95 TTFT %.0f ms, p95 TPOT %.1f ms, p95 E2E %.0f ms",
                    number(summary, "output_throughput"), number(summary, "p95_ttft_ms"),
                    number(summary, "p95_tpot_ms"), number(summary, "p95_e2el_ms")));
        } else {
            b.append("no request completed");
        }
        if (errors != null && errors.any()) b.append("; ").append(errors.describe());
        if (status != PointStatus.OK) {
            b.append(" [").append(status.label());
            if (error != null) b.append(": ").append(error);
            b.append(']');
        }
        b.append(String.format(Locale.ROOT, "; elapsed %s, ETA %s", clock(System.nanoTime() - startNanos), eta()));
        err.println(b);
        err.flush();
    }

    /** Points that will not run (finished before a resume, or skipped by an early stop) leave the estimate. */
    synchronized void skipped(List<GridPoint> points, boolean alreadyDone) {
        if (alreadyDone) done += points.size();
        else total -= points.size();
        weightLeft -= points.stream().mapToDouble(GridPoint::weight).sum();
    }

    /** A one-line note (an early stop, a dead server). */
    synchronized void note(String message) {
        err.println("headroom: " + message);
        err.flush();
    }

    private String eta() {
        if (total - done <= 0 || ranWeight == 0) return "0:00";
        return clock(Math.round(ranNanos / ranWeight * Math.max(0, weightLeft)));
    }

    private static double number(Map<String, Object> s, String key) {
        return s.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static String clock(long nanos) {
        long s = Math.round(nanos / 1e9);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
