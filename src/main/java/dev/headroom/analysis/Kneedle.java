package dev.headroom.analysis;

/**
 * The knee of a throughput–load curve by Kneedle (Satopää, Albrecht, Irwin and Raghavan, "Finding a 'Kneedle' in
 * a Haystack", ICDCS workshops 2011), offline, with sensitivity {@link #SENSITIVITY}.
 *
 * <p>Load x and throughput y are scaled to [0, 1] (x from the lowest to the highest load, y from the smallest to
 * the largest throughput); the difference curve d = y − x is how far the scaled curve lies above the straight
 * line from the first point to the last. A local maximum of d is a knee candidate; it is confirmed when d later
 * falls below d_max − S · mean(Δx) before another local maximum replaces it. The first confirmed candidate is the
 * knee: the load beyond which more load buys clearly less throughput than it did before. A curve that still rises
 * in a straight line (or bends up) has no knee.
 */
final class Kneedle {

    /** Kneedle's S: how far the difference curve must drop after a candidate, in mean x-steps. */
    static final double SENSITIVITY = 1.0;

    private Kneedle() {
    }

    /**
     * The index of the knee, or -1 when there is none (fewer than three points, a flat curve, no confirmed
     * candidate).
     *
     * @param loads       strictly increasing loads
     * @param throughputs the throughput at each load
     */
    static int knee(double[] loads, double[] throughputs) {
        int n = loads.length;
        if (n < 3 || throughputs.length != n) return -1;
        double[] d = difference(loads, throughputs);
        if (d == null) return -1;
        double meanStep = 1.0 / (n - 1);
        int candidate = -1;
        double threshold = Double.NEGATIVE_INFINITY;
        for (int i = 1; i < n; i++) {
            boolean localMax = i < n - 1 && d[i] >= d[i - 1] && d[i] >= d[i + 1] && d[i] > 0;
            if (localMax) {
                candidate = i;
                threshold = d[i] - SENSITIVITY * meanStep;
            } else if (candidate >= 0 && d[i] < threshold) {
                return candidate;
            }
        }
        return -1;
    }

    /** The difference curve y_n − x_n, or null when the loads or the throughputs do not vary. */
    static double[] difference(double[] loads, double[] throughputs) {
        int n = loads.length;
        double x0 = loads[0];
        double xSpan = loads[n - 1] - x0;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (double y : throughputs) {
            yMin = Math.min(yMin, y);
            yMax = Math.max(yMax, y);
        }
        if (!(xSpan > 0) || !(yMax > yMin)) return null;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = (throughputs[i] - yMin) / (yMax - yMin) - (loads[i] - x0) / xSpan;
        return d;
    }
}
