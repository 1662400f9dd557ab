package dev.headroom.sweep;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * One line per finished point on stderr: its place in the grid, throughput and p95s, the time since the sweep
 * started and an estimate for the rest of the grid (mean wall time of the points run so far × points left).
 */
public final class SweepProgress {

    private final PrintWriter err;
    private final long startNanos = System.nanoTime();
    private int total;
    private int done;
    private int ran;
    private long ranNanos;

    /** Reports to {@code err} for a grid of {@code total} points (all configs). */
    public SweepProgress(PrintWriter err, int total) {
        this.err = err;
        this.total = total;
    }

    /** A point that took {@code nanos} ended; prints its line. */
    synchronized void pointDone(String config, String label, String status, Map<String, Object> summary, long nanos) {
        done++;
        ran++;
        ranNanos += nanos;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "headroom: point %d/%d %s %s: ", done, total,
                config, label));
        if (summary != null && summary.get("completed") instanceof Number c && c.intValue() > 0) {
            b.append(String.format(Locale.ROOT, "%.1f tok/s, p95 TTFT %.0f ms, p95 TPOT %.1f ms, p95 E2E %.0f ms",
                    number(summary, "output_throughput"), number(summary, "p95_ttft_ms"),
                    number(summary, "p95_tpot_ms"), number(summary, "p95_e2el_ms")));
        } else {
            b.append("no request completed");
        }
        if (!status.equals("ok")) b.append(" [").append(status).append(']');
        b.append(String.format(Locale.ROOT, "; elapsed %s, ETA %s", clock(System.nanoTime() - startNanos), eta()));
        err.println(b);
        err.flush();
    }

    /** Points that will not run (finished before a resume, or skipped by an early stop) leave the estimate. */
    synchronized void skipped(int points, boolean alreadyDone) {
        if (alreadyDone) done += points;
        else total -= points;
    }

    /** A one-line note (an early stop, a dead server). */
    synchronized void note(String message) {
        err.println("headroom: " + message);
        err.flush();
    }

    private String eta() {
        int left = total - done;
        if (left <= 0 || ran == 0) return "0:00";
        return clock(ranNanos / ran * left);
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
