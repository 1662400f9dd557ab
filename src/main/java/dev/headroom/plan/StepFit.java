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

    /**
     * What the physics says before any data: a value and a scale per term, and how many rows' worth of weight the
     * prior carries. The fit minimises Σ relative residual² + weight·Σ ((coefficient − value) / scale)², so a
     * direction the data cannot resolve (every point at one batch size cannot tell per-request from per-step
     * time) stays at the physics value instead of absorbing noise.
     */
    public record Prior(double[] values, double[] scales, double weight) {
        public Prior {
            if (values.length != StepBasis.ALL.size() || scales.length != StepBasis.ALL.size()) {
                throw new IllegalArgumentException("one prior value and scale per basis term");
            }
            for (double sc : scales) if (!(sc > 0)) throw new IllegalArgumentException("prior scales must be positive");
            if (!(weight >= 0)) throw new IllegalArgumentException("prior weight must be >= 0");
        }

        /** No prior: plain non-negative least squares. */
        public static final Prior NONE = new Prior(new double[StepBasis.ALL.size()], ones(), 0);

        private static double[] ones() {
            double[] o = new double[StepBasis.ALL.size()];
            java.util.Arrays.fill(o, 1);
            return o;
        }
    }

    private StepFit() {}

    /**
     * Non-negative least squares of relative error over {@code terms}.
     *
     * @throws IllegalArgumentException with fewer than {@link #MIN_ROWS_PER_TERM} rows per term
     */
    public static Coefficients fit(List<Row> rows, List<StepBasis> terms) {
        return fit(rows, terms, Prior.NONE);
    }

    /**
     * Non-negative least squares of relative error over {@code terms}, pulled toward {@code prior}.
     *
     * @throws IllegalArgumentException with fewer than {@link #MIN_ROWS_PER_TERM} rows per term
     */
    public static Coefficients fit(List<Row> rows, List<StepBasis> terms, Prior prior) {
        if (terms.isEmpty()) throw new IllegalArgumentException("a fit needs at least one basis term");
        if (rows.size() < MIN_ROWS_PER_TERM * terms.size()) {
            throw new IllegalArgumentException("a fit of " + terms.size() + " terms needs at least "
                    + MIN_ROWS_PER_TERM * terms.size() + " rows, had " + rows.size());
        }
        int k = terms.size();
        int n = rows.size();
        boolean withPrior = prior.weight() > 0;
        // Columns scaled to unit norm so coordinate descent converges at one rate on every term. The prior enters
        // as one pseudo-row per term: sqrt(weight)·(coefficient / scale) against sqrt(weight)·(value / scale).
        double[][] a = new double[n + (withPrior ? k : 0)][k];
        double[] y = new double[a.length];
        double[] norm = new double[k];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            for (int j = 0; j < k; j++) a[i][j] = r.features()[terms.get(j).ordinal()] / r.measuredSeconds();
            y[i] = 1;
        }
        if (withPrior) {
            double w = Math.sqrt(prior.weight());
            for (int j = 0; j < k; j++) {
                int t = terms.get(j).ordinal();
                a[n + j][j] = w / prior.scales()[t];
                y[n + j] = w * prior.values()[t] / prior.scales()[t];
            }
        }
        for (double[] row : a) for (int j = 0; j < k; j++) norm[j] += row[j] * row[j];
        for (int j = 0; j < k; j++) norm[j] = norm[j] > 0 ? Math.sqrt(norm[j]) : 1;
        double[][] g = new double[k][k];
        double[] c = new double[k];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < k; j++) {
                double aj = a[i][j] / norm[j];
                c[j] += aj * y[i];
                for (int l = 0; l < k; l++) g[j][l] += aj * a[i][l] / norm[l];
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
        return crossValidate(rows, terms, group, Prior.NONE);
    }

    /** {@link #crossValidate(List, List, Function)} with every fold's fit pulled toward {@code prior}. */
    public static double[] crossValidate(List<Row> rows, List<StepBasis> terms, Function<Row, String> group,
                                         Prior prior) {
        Map<String, List<Integer>> byGroup = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) byGroup.computeIfAbsent(group.apply(rows.get(i)), g -> new ArrayList<>()).add(i);
        double[] predicted = new double[rows.size()];
        for (Map.Entry<String, List<Integer>> e : byGroup.entrySet()) {
            List<Row> training = rows.stream().filter(r -> !group.apply(r).equals(e.getKey())).toList();
            Coefficients fit = fit(training, terms, prior);
            for (int i : e.getValue()) predicted[i] = fit.seconds(rows.get(i).features());
        }
        return predicted;
    }

    /**
     * Mean |relative error| of cross-validated predictions, percent: the selection criterion, which (unlike the
     * median) feels the few points a missing term gets badly wrong.
     */
    public static double meanAbsErrorPercent(List<Row> rows, double[] predicted) {
        double sum = 0;
        for (int i = 0; i < rows.size(); i++) {
            sum += 100 * Math.abs(predicted[i] - rows.get(i).measuredSeconds()) / rows.get(i).measuredSeconds();
        }
        return sum / rows.size();
    }

    /**
     * Backward elimination by cross-validation: starting from {@code candidates}, drops the term whose removal
     * lowers (or raises by at most {@code tolerancePercent} points) the cross-validated mean error the most, until
     * every remaining term earns its place. A term stays only when the held-out residuals show it.
     */
    public static List<StepBasis> selectTerms(List<Row> rows, List<StepBasis> candidates, Function<Row, String> group,
                                              double tolerancePercent) {
        return selectTerms(rows, candidates, group, tolerancePercent, Prior.NONE);
    }

    /** {@link #selectTerms(List, List, Function, double)} with every fit pulled toward {@code prior}. */
    public static List<StepBasis> selectTerms(List<Row> rows, List<StepBasis> candidates, Function<Row, String> group,
                                              double tolerancePercent, Prior prior) {
        List<StepBasis> kept = new ArrayList<>(candidates);
        double current = meanAbsErrorPercent(rows, crossValidate(rows, kept, group, prior));
        while (kept.size() > 1) {
            StepBasis bestDrop = null;
            double bestError = Double.POSITIVE_INFINITY;
            for (StepBasis t : kept) {
                List<StepBasis> without = new ArrayList<>(kept);
                without.remove(t);
                double error = meanAbsErrorPercent(rows, crossValidate(rows, without, group, prior));
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
