package dev.headroom.tune;

/**
 * What one config achieves for the objective, predicted or measured.
 *
 * @param value       the objective's figure: for the latency objective the highest concurrency meeting the SLO
 *                    (interpolated between the loads run), for the throughput objective the output tokens/s at the
 *                    recommended load; 0 when no load qualifies
 * @param meets       whether some load meets the SLO (latency), or the job's deadline (throughput with a job)
 * @param missPercent when it does not meet: by how much the closest load misses, percent over the SLO or the
 *                    deadline; null when it meets or nothing was measured
 * @param load        the recommended concurrency (highest passing load, or the throughput objective's), or null
 * @param bracketLow  the highest passing load below the first failing one, or null
 * @param bracketHigh the lowest failing load, or null when every load run passed
 * @param runs        the load points run to find it
 * @param clientPaced whether the client, not the server, set the pace of every load (analyze judges none of them):
 *                    the figure then comes from those loads as run, a lower bound of what the server gives
 */
public record Figure(double value, boolean meets, Double missPercent, Integer load, Double bracketLow,
                     Double bracketHigh, int runs, boolean clientPaced) {

    /** A config that could not be run: nothing measured. */
    public static Figure none(int runs) {
        return new Figure(0, false, null, null, null, null, runs, false);
    }

    /** This figure as one from loads the client paced. */
    Figure paced() {
        return new Figure(value, meets, missPercent, load, bracketLow, bracketHigh, runs, true);
    }

    /** Ranks figures: meeting before missing; then the larger value; among misses, the smaller miss. */
    public static int better(Figure a, Figure b) {
        if (a.meets != b.meets) return a.meets ? -1 : 1;
        if (a.meets || a.value != b.value) return Double.compare(b.value, a.value);
        double ma = a.missPercent == null ? Double.POSITIVE_INFINITY : a.missPercent;
        double mb = b.missPercent == null ? Double.POSITIVE_INFINITY : b.missPercent;
        return Double.compare(ma, mb);
    }
}
