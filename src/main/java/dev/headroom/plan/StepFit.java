package dev.headroom.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Fits the coefficients of a {@link StepBasis} model to measured times by non-negative least squares on relative
 * error (each row weighted by 1 / its measured value, so a 5 ms TPOT counts as much as a 500 ms TTFT), and
 * cross-validates by groups (a model, a GPU, a benchmark point): the rows of the group predicted are never in the
 * fit that predicts them. Pure functions of their inputs.
 */
public final class StepFit {

    /** A fit needs at least this many rows per fitted term: nothing is solved from one or two points. */
    public static final int MIN_ROWS_PER_TERM = 3;

    private static final int SWEEPS = 20_000;

    /**
     * One measured time and the basis features that predict it.
     *
     * @param id              the benchmark point (a TPOT and a TTFT row of one point share it)
     * @param model           catalog model of the point
     * @param gpu             GPU id of the point
     * @param features        indexed by {@link StepBasis#ordinal()}
     * @param measuredSeconds the published time, seconds (positive)
     */
    public record Row(String id, String model, String gpu, double[] features, double measuredSeconds) {
        public Row {
            if (features.length != StepBasis.ALL.size()) throw new IllegalArgumentException("one feature per basis term");
            if (!(measuredSeconds > 0)) throw new IllegalArgumentException("measured time must be positive: " + id);
        }
    }

    /** Coefficients indexed by {@link StepBasis#ordinal()}; 0 for a term not fitted. */
    public record Coefficients(List<StepBasis> terms, double[] values) {
        /** Predicted seconds for {@code features}. */
        public double seconds(double[] features) {
            return StepBasis.seconds(features, values);
        }

        /** One coefficient. */
        public double of(StepBasis term) {
            return values[term.ordinal()];
        }
    }

    private StepFit() {}

    /**
     * Non-negative least squares of relative error over {@code terms}.
     *
     * @throws IllegalArgumentException with fewer than {@link #MIN_ROWS_PER_TERM} rows per term
     */
    public static Coefficients fit(List<Row> rows, List<StepBasis> terms) {
        if (terms.isEmpty()) throw new IllegalArgumentException("a fit needs at least one basis term");
        if (rows.size() < MIN_ROWS_PER_TERM * terms.size()) {
            throw new IllegalArgumentException("a fit of " + terms.size() + " terms needs at least "
                    + MIN_ROWS_PER_TERM * terms.size() + " rows, had " + rows.size());
        }
        int k = terms.size();
        // Columns scaled to unit norm so coordinate descent converges at one rate on every term.
        double[][] a = new double[rows.size()][k];
        double[] norm = new double[k];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            for (int j = 0; j < k; j++) {
                a[i][j] = r.features()[terms.get(j).ordinal()] / r.measuredSeconds();
                norm[j] += a[i][j] * a[i][j];
            }
        }
        for (int j = 0; j < k; j++) norm[j] = norm[j] > 0 ? Math.sqrt(norm[j]) : 1;
        double[][] g = new double[k][k];
        double[] c = new double[k];
        for (double[] row : a) {
            for (int j = 0; j < k; j++) {
                double aj = row[j] / norm[j];
                c[j] += aj;
                for (int l = 0; l < k; l++) g[j][l] += aj * row[l] / norm[l];
            }
        }
        double[] x = new double[k];
        for (int sweep = 0; sweep < SWEEPS; sweep++) {
            double change = 0;
            for (int j = 0; j < k; j++) {
                if (g[j][j] <= 0) continue;
                double gx = 0;
                for (int l = 0; l < k; l++) gx += g[j][l] * x[l];
                double next = Math.max(0, x[j] + (c[j] - gx) / g[j][j]);
                change = Math.max(change, Math.abs(next - x[j]));
                x[j] = next;
            }
            if (change < 1e-13) break;
        }
        double[] values = new double[StepBasis.ALL.size()];
        for (int j = 0; j < k; j++) values[terms.get(j).ordinal()] = x[j] / norm[j];
        return new Coefficients(List.copyOf(terms), values);
    }

    /**
     * Cross-validated predictions: for every group of {@code group}, a fit on the rows outside it predicts the rows
     * inside it. Returns seconds in the order of {@code rows}.
     */
    public static double[] crossValidate(List<Row> rows, List<StepBasis> terms, Function<Row, String> group) {
        Map<String, List<Integer>> byGroup = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) byGroup.computeIfAbsent(group.apply(rows.get(i)), g -> new ArrayList<>()).add(i);
        double[] predicted = new double[rows.size()];
        for (Map.Entry<String, List<Integer>> e : byGroup.entrySet()) {
            List<Row> training = rows.stream().filter(r -> !group.apply(r).equals(e.getKey())).toList();
            Coefficients fit = fit(training, terms);
            for (int i : e.getValue()) predicted[i] = fit.seconds(rows.get(i).features());
        }
        return predicted;
    }

    /** Median |relative error| of cross-validated predictions, percent. */
    public static double medianAbsErrorPercent(List<Row> rows, double[] predicted) {
        double[] abs = new double[rows.size()];
        for (int i = 0; i < abs.length; i++) {
            abs[i] = 100 * Math.abs(predicted[i] - rows.get(i).measuredSeconds()) / rows.get(i).measuredSeconds();
        }
        Arrays.sort(abs);
        int n = abs.length;
        return n % 2 == 1 ? abs[n / 2] : (abs[n / 2 - 1] + abs[n / 2]) / 2;
    }

    /**
     * Backward elimination by cross-validation: starting from {@code candidates}, drops the term whose removal
     * lowers (or raises by at most {@code tolerancePercent} points) the cross-validated median error the most, until
     * every remaining term earns its place. A term stays only when the held-out residuals show it.
     */
    public static List<StepBasis> selectTerms(List<Row> rows, List<StepBasis> candidates, Function<Row, String> group,
                                              double tolerancePercent) {
        List<StepBasis> kept = new ArrayList<>(candidates);
        double current = medianAbsErrorPercent(rows, crossValidate(rows, kept, group));
        while (kept.size() > 1) {
            StepBasis bestDrop = null;
            double bestError = Double.POSITIVE_INFINITY;
            for (StepBasis t : kept) {
                List<StepBasis> without = new ArrayList<>(kept);
                without.remove(t);
                double error = medianAbsErrorPercent(rows, crossValidate(rows, without, group));
                if (error < bestError) {
                    bestError = error;
                    bestDrop = t;
                }
            }
            if (bestError > current + tolerancePercent) break;
            kept.remove(bestDrop);
            current = bestError;
        }
        return List.copyOf(kept);
    }
}
