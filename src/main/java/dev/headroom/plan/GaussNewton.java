package dev.headroom.plan;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Least squares of a few parameters on a model that is only simulated ({@code calibrate}'s fits): Gauss–Newton
 * on finite differences, each parameter bounded below, the step halved until the squared error falls (a queue in the
 * model makes it convex in its costs), a compass search over the plateaus the simulated queues leave, one standard
 * error of each parameter from the residuals.
 */
final class GaussNewton {

    /** The residuals (measured less modelled) of every run at parameters {@code x}. */
    @FunctionalInterface
    interface Residuals {
        double[] at(double[] x);
    }

    /**
     * A fit.
     *
     * @param x          the fitted parameters
     * @param lastStep   the last full least-squares step: at a bound, a component that points below it is the data
     *                   asking for a value the bound forbids
     * @param errors     one standard error of each parameter from the residuals (NaN with no more runs than free
     *                   parameters, or for a parameter not free)
     * @param residuals  the residuals at {@code x}
     */
    record Solution(double[] x, double[] lastStep, double[] errors, double[] residuals) {}

    private static final int MAX_ITERATIONS = 12;
    private static final double SMALLEST_FACTOR = 1.0 / 64;

    private GaussNewton() {}

    /**
     * Fits the parameters marked {@code free} from {@code start} (the others stay), each at least {@code lower},
     * differentiated by {@code delta}: Gauss–Newton until no parameter moves by {@code tolerance}, then a compass
     * search from there (steps of {@code span} halved down to {@code delta}) that steps over the plateaus a
     * simulated queue leaves in the squared error, then Gauss–Newton again. Null when the free parameters' columns
     * do not separate (the runs cannot tell them apart).
     */
    static Solution fit(Residuals f, double[] start, boolean[] free, double[] lower, double[] delta, double[] tolerance,
                        double[] span) {
        int[] cols = columns(free);
        double[] x = descend(f, start, cols, lower, delta, tolerance);
        if (x == null) return null;
        double[] searched = compass(f, x, cols, lower, span, delta);
        if (!Arrays.equals(searched, x)) x = descend(f, searched, cols, lower, delta, tolerance);
        if (x == null) return null;
        double[] r = f.at(x);
        double[][] jacobian = jacobian(f, x, r, cols, delta);
        double[] step = solve(jacobian, r);
        if (step == null) return null;
        double[] full = new double[x.length];
        double[] errors = new double[x.length];
        Arrays.fill(errors, Double.NaN);
        double[] se = standardErrors(jacobian, r);
        for (int k = 0; k < cols.length; k++) {
            full[cols[k]] = step[k];
            errors[cols[k]] = se[k];
        }
        return new Solution(x, full, errors, r);
    }

    /** Gauss–Newton from {@code x}, the step halved until the squared error falls; null when the columns do not separate. */
    private static double[] descend(Residuals f, double[] x, int[] cols, double[] lower, double[] delta,
                                    double[] tolerance) {
        double[] r = f.at(x);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] step = solve(jacobian(f, x, r, cols, delta), r);
            if (step == null) return null;
            boolean moved = false;
            for (double factor = 1; factor >= SMALLEST_FACTOR && !moved; factor /= 2) {
                double[] next = x.clone();
                for (int k = 0; k < cols.length; k++) next[cols[k]] = Math.max(lower[cols[k]], x[cols[k]] + factor * step[k]);
                double[] rn = f.at(next);
                if (squares(rn) < squares(r)) {
                    for (int k = 0; k < cols.length && !moved; k++) {
                        moved = Math.abs(next[cols[k]] - x[cols[k]]) >= tolerance[cols[k]];
                    }
                    x = next;
                    r = rn;
                }
            }
            if (!moved) break;
        }
        return x;
    }

    /**
     * Compass search: each free parameter up and down by its step, the first move that lowers the squared error
     * taken; when none does, every step halves, until they are below {@code smallest}.
     */
    private static double[] compass(Residuals f, double[] x, int[] cols, double[] lower, double[] span,
                                    double[] smallest) {
        double best = squares(f.at(x));
        double[] step = span.clone();
        boolean open = true;
        while (open) {
            boolean improved = false;
            for (int k = 0; k < cols.length && !improved; k++) {
                for (int sign = 1; sign >= -1 && !improved; sign -= 2) {
                    double[] y = x.clone();
                    y[cols[k]] = Math.max(lower[cols[k]], x[cols[k]] + sign * step[cols[k]]);
                    if (y[cols[k]] == x[cols[k]]) continue;
                    double squares = squares(f.at(y));
                    if (squares < best) {
                        best = squares;
                        x = y;
                        improved = true;
                    }
                }
            }
            if (!improved) {
                open = false;
                for (int c : cols) {
                    step[c] /= 2;
                    open |= step[c] >= smallest[c];
                }
            }
        }
        return x;
    }

    private static int[] columns(boolean[] free) {
        return IntStream.range(0, free.length).filter(i -> free[i]).toArray();
    }

    /** d(model)/d(x) of each run: the residual's fall as the parameter rises. */
    private static double[][] jacobian(Residuals f, double[] x, double[] r, int[] cols, double[] delta) {
        double[][] j = new double[r.length][cols.length];
        for (int k = 0; k < cols.length; k++) {
            double[] moved = x.clone();
            moved[cols[k]] += delta[cols[k]];
            double[] rm = f.at(moved);
            for (int i = 0; i < r.length; i++) j[i][k] = (r[i] - rm[i]) / delta[cols[k]];
        }
        return j;
    }

    /** {@code J·x ≈ r} through the normal equations, or null when the columns of {@code j} do not separate. */
    static double[] solve(double[][] j, double[] r) {
        double[][] inverse = inverseMoments(j);
        if (inverse == null) return null;
        int k = inverse.length;
        double[] b = new double[k];
        for (int i = 0; i < r.length; i++) for (int c = 0; c < k; c++) b[c] += j[i][c] * r[i];
        double[] x = new double[k];
        for (int a = 0; a < k; a++) for (int c = 0; c < k; c++) x[a] += inverse[a][c] * b[c];
        return x;
    }

    /** One standard error of each column's parameter from the residuals {@code r}; NaN without spare runs. */
    static double[] standardErrors(double[][] j, double[] r) {
        double[][] inverse = inverseMoments(j);
        int k = j.length == 0 ? 0 : j[0].length;
        double variance = r.length > k ? squares(r) / (r.length - k) : Double.NaN;
        double[] se = new double[k];
        for (int a = 0; a < k; a++) se[a] = inverse == null ? Double.NaN : Math.sqrt(variance * inverse[a][a]);
        return se;
    }

    /**
     * (JᵀJ)⁻¹ by Gauss–Jordan on the columns scaled to unit length, or null when a column is (nearly) a combination
     * of the others.
     */
    private static double[][] inverseMoments(double[][] j) {
        int k = j.length == 0 ? 0 : j[0].length;
        double[] norm = new double[k];
        for (double[] row : j) for (int c = 0; c < k; c++) norm[c] += row[c] * row[c];
        for (int c = 0; c < k; c++) {
            if (!(norm[c] > 0)) return null;
            norm[c] = Math.sqrt(norm[c]);
        }
        double[][] m = new double[k][2 * k];
        for (double[] row : j) {
            for (int a = 0; a < k; a++) for (int c = 0; c < k; c++) m[a][c] += row[a] / norm[a] * row[c] / norm[c];
        }
        for (int a = 0; a < k; a++) m[a][k + a] = 1;
        for (int p = 0; p < k; p++) {
            int best = p;
            for (int a = p + 1; a < k; a++) if (Math.abs(m[a][p]) > Math.abs(m[best][p])) best = a;
            double[] swap = m[p];
            m[p] = m[best];
            m[best] = swap;
            if (!(Math.abs(m[p][p]) > 1e-9)) return null;
            double pivot = m[p][p];
            for (int c = 0; c < 2 * k; c++) m[p][c] /= pivot;
            for (int a = 0; a < k; a++) {
                if (a == p) continue;
                double f = m[a][p];
                for (int c = 0; c < 2 * k; c++) m[a][c] -= f * m[p][c];
            }
        }
        double[][] inverse = new double[k][k];
        for (int a = 0; a < k; a++) for (int c = 0; c < k; c++) inverse[a][c] = m[a][k + c] / (norm[a] * norm[c]);
        return inverse;
    }

    static double squares(double[] values) {
        double sum = 0;
        for (double v : values) sum += v * v;
        return sum;
    }
}
