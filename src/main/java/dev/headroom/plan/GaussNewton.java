package dev.headroom.plan;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Least squares of a few parameters on a model that is only simulated ({@code calibrate}'s fits): Gauss–Newton
 * on finite differences, each parameter bounded below, the step halved until the squared error falls (a queue in the
 * model makes it convex in its costs), one standard error of each parameter from the residuals.
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
     * differentiated by {@code delta}; stops when no parameter moves by {@code tolerance}. Null when the free
     * parameters' columns do not separate (the runs cannot tell them apart).
     */
    static Solution fit(Residuals f, double[] start, boolean[] free, double[] lower, double[] delta, double[] tolerance) {
        double[] x = start.clone();
        double[] r = f.at(x);
        int[] cols = columns(free);
        double[][] jacobian = jacobian(f, x, r, cols, delta);
        double[] step = null;
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            if (iteration > 0) jacobian = jacobian(f, x, r, cols, delta);
            step = solve(jacobian, r);
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
        double[] full = new double[x.length];
        for (int k = 0; k < cols.length; k++) full[cols[k]] = step[k];
        double[] errors = new double[x.length];
        Arrays.fill(errors, Double.NaN);
        double[] se = standardErrors(jacobian(f, x, r, cols, delta), r);
        for (int k = 0; k < cols.length; k++) errors[cols[k]] = se[k];
        return new Solution(x, full, errors, r);
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
