package dev.headroom.plan;

import java.util.List;
import java.util.Locale;

/**
 * Fits the API server's per-request costs ({@link FrontEnd}) to a user's runs for {@code headroom calibrate}, by one
 * of two methods ({@link Method}). The per-output-token cost is in neither and stays as started. Nothing is solved
 * from one or two runs: with fewer than {@link #MIN_POINTS}, or runs that cannot tell the costs apart, the start's
 * costs are kept and {@link Kept#reason} says why in one line.
 */
public final class FrontEndFit {

    /** Runs needed by either method. */
    public static final int MIN_POINTS = 3;
    /** Prompt lengths count as two when the longest is at least this many times the shortest. */
    static final double DISTINCT_PROMPTS = 1.2;

    /** How the costs were fitted. */
    public enum Method {
        /**
         * The part of each run's median TTFT that the engine's own per-request metrics do not account for is the
         * API server's ingestion, {@code perRequestMs + perPromptTokenUs·prompt tokens}: least squares over runs of two
         * prompt lengths or more; the constant alone (the median) from one prompt length.
         */
        TTFT_SPLIT("from the TTFT split of the server's per-request metrics"),
        /**
         * No per-request metrics: the costs for which the simulator, with the API server's queue in front of the
         * engine, gives each run's median TTFT ({@link TtftModel}). Low loads pin the per-request constant (TTFT less
         * the engine's prefill), the growth with prompt length and arrival rate the per-token tokenization and its
         * queue; least squares (Gauss–Newton on the simulated TTFT), one standard error from the residuals.
         */
        LOADS("from TTFT against load and prompt length (no per-request metrics)");

        private final String description;

        Method(String description) {
            this.description = description;
        }

        /** The method in words, for calibrate's output. */
        public String description() {
            return description;
        }
    }

    /** The API server's costs after the fit, fitted or kept. */
    public sealed interface Result permits Fitted, Kept {
        FrontEnd frontEnd();
    }

    /**
     * Fitted costs.
     *
     * @param points                runs fitted
     * @param perRequestMsError     one standard error of {@code perRequestMs}, ms
     * @param perPromptTokenUsError one standard error of {@code perPromptTokenUs}, µs; NaN where it was kept (one
 *                              prompt length in the TTFT split)
     */
    public record Fitted(FrontEnd frontEnd, Method method, int points, double perRequestMsError,
                         double perPromptTokenUsError) implements Result {}

    /** The start's costs, kept because the runs could not identify them ({@code reason}: one line). */
    public record Kept(FrontEnd frontEnd, String reason) implements Result {}

    /** A run's median TTFT, ms, as the simulator predicts it under {@code calibration} (its API server included). */
    @FunctionalInterface
    public interface TtftModel {
        double medianTtftMs(CalibrationPoint run, RooflineCalibration calibration);
    }

    /** Finite-difference steps of the fit: 1 ms per request, 1 µs per prompt token. */
    private static final double STEP_MS = 1;
    private static final double STEP_US = 1;
    private static final int MAX_ITERATIONS = 12;

    private FrontEndFit() {}

    /** {@link Method#TTFT_SPLIT} from the points that carry a TTFT split. */
    public static Result fromSplit(List<CalibrationPoint> points, FrontEnd start) {
        List<CalibrationPoint> split = points.stream().filter(p -> !Double.isNaN(p.outsideEngineMs())).toList();
        if (split.size() < MIN_POINTS) {
            return new Kept(start, split.size() + " of the runs carry the server's TTFT split (per-request metrics), "
                    + MIN_POINTS + " are needed");
        }
        double[] x = split.stream().mapToDouble(CalibrationPoint::inputTokens).toArray();
        double[] y = split.stream().mapToDouble(CalibrationPoint::outsideEngineMs).toArray();
        Line line = Line.fit(x, y);
        if (line != null && line.slope() >= 0 && line.intercept() >= 0) {
            return new Fitted(new FrontEnd(line.intercept(), line.slope() * 1e3, start.perOutputTokenUs()),
                    Method.TTFT_SPLIT, split.size(), line.interceptError(), line.slopeError() * 1e3);
        }
        double[] constant = new double[y.length];
        for (int i = 0; i < y.length; i++) constant[i] = y[i] - start.perPromptTokenUs() * 1e-3 * x[i];
        return new Fitted(new FrontEnd(Math.max(0, median(constant)), start.perPromptTokenUs(), start.perOutputTokenUs()),
                Method.TTFT_SPLIT, split.size(), standardError(constant), Double.NaN);
    }

    /**
     * {@link Method#LOADS}: the costs for which {@code model} gives each run's measured median TTFT, the step model
     * {@code calibration}'s, its per-output-token cost kept; kept with a reason when the runs are fewer than
     * {@link #MIN_POINTS}, at one load, of one prompt length, or fit only with a negative cost.
     */
    public static Result fromLoads(List<CalibrationPoint> runs, RooflineCalibration calibration, TtftModel model) {
        FrontEnd start = calibration.frontEnd();
        List<CalibrationPoint> loads = runs.stream().filter(r -> Double.isFinite(r.ttftMs())).toList();
        if (loads.size() < MIN_POINTS) {
            return new Kept(start, loads.size() + " runs carry a median TTFT, " + MIN_POINTS + " are needed");
        }
        if (loads.stream().mapToInt(CalibrationPoint::concurrency).distinct().count() < 2) {
            return new Kept(start, "every run is at one load (concurrency " + loads.get(0).concurrency()
                    + "); runs at two loads or more are needed");
        }
        double shortest = loads.stream().mapToDouble(CalibrationPoint::inputTokens).min().orElseThrow();
        double longest = loads.stream().mapToDouble(CalibrationPoint::inputTokens).max().orElseThrow();
        if (longest < DISTINCT_PROMPTS * shortest) {
            return new Kept(start, String.format(Locale.ROOT, "every run has one prompt length (%.0f to %.0f tokens); "
                    + "runs of two prompt lengths, the longest %.1fx the shortest or more, are needed", shortest, longest,
                    DISTINCT_PROMPTS));
        }
        double ms = start.perRequestMs();
        double us = start.perPromptTokenUs();
        int n = loads.size();
        double[] residual = residuals(loads, model, calibration, ms, us);
        double[][] jacobian = new double[n][2];
        double[] step = null;
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            for (int i = 0; i < n; i++) {
                CalibrationPoint run = loads.get(i);
                double at = run.ttftMs() - residual[i];
                jacobian[i][0] = (ttft(model, run, calibration, ms + STEP_MS, us) - at) / STEP_MS;
                jacobian[i][1] = (ttft(model, run, calibration, ms, us + STEP_US) - at) / STEP_US;
            }
            step = Normal.solve(jacobian, residual);
            if (step == null) return new Kept(start, "the runs' prompt lengths and loads do not separate the two costs");
            // Gauss–Newton halved until the squared error falls: the tokenization queue makes TTFT convex in its cost.
            boolean moved = false;
            for (double factor = 1; factor >= 1.0 / 64 && !moved; factor /= 2) {
                double nextMs = Math.max(0, ms + factor * step[0]);
                double nextUs = Math.max(0, us + factor * step[1]);
                double[] next = residuals(loads, model, calibration, nextMs, nextUs);
                if (squares(next) < squares(residual)) {
                    moved = Math.abs(nextMs - ms) >= 0.01 || Math.abs(nextUs - us) >= 0.001;
                    ms = nextMs;
                    us = nextUs;
                    residual = next;
                }
            }
            if (!moved) break;
        }
        // At a bound, a least-squares step that still points below it is a negative fit.
        if ((ms == 0 && step[0] < -0.01) || (us == 0 && step[1] < -0.001)) {
            return new Kept(start, String.format(Locale.ROOT, "the fit is negative (%.2f ms per request, %.3f us "
                    + "per prompt token): the TTFT the engine does not explain does not grow with prompt length "
                    + "and load as an API server's would", ms + step[0], us + step[1]));
        }
        double[] errors = Normal.standardErrors(jacobian, residual);
        return new Fitted(new FrontEnd(ms, us, start.perOutputTokenUs()), Method.LOADS, n, errors[0], errors[1]);
    }

    /** Measured less simulated median TTFT of each run, ms. */
    private static double[] residuals(List<CalibrationPoint> runs, TtftModel model, RooflineCalibration calibration,
                                      double ms, double us) {
        double[] r = new double[runs.size()];
        for (int i = 0; i < r.length; i++) r[i] = runs.get(i).ttftMs() - ttft(model, runs.get(i), calibration, ms, us);
        return r;
    }

    private static double squares(double[] values) {
        double sum = 0;
        for (double v : values) sum += v * v;
        return sum;
    }

    private static double ttft(TtftModel model, CalibrationPoint run, RooflineCalibration calibration, double ms, double us) {
        FrontEnd start = calibration.frontEnd();
        return model.medianTtftMs(run, calibration.withFrontEnd(new FrontEnd(ms, us, start.perOutputTokenUs())));
    }

    /** Two-parameter linear least squares {@code J·x ≈ r} through its normal equations. */
    private static final class Normal {
        private Normal() {}

        /** The solution, or null when the columns of {@code j} do not separate. */
        static double[] solve(double[][] j, double[] r) {
            double[] m = moments(j, r);
            double det = m[0] * m[2] - m[1] * m[1];
            if (!(Math.abs(det) > 1e-9 * m[0] * m[2])) return null;
            return new double[] {(m[3] * m[2] - m[1] * m[4]) / det, (m[0] * m[4] - m[1] * m[3]) / det};
        }

        /** One standard error of each parameter from the residuals {@code r} (NaN with two runs). */
        static double[] standardErrors(double[][] j, double[] r) {
            double[] m = moments(j, r);
            double det = m[0] * m[2] - m[1] * m[1];
            double ssr = 0;
            for (double v : r) ssr += v * v;
            double variance = r.length > 2 ? ssr / (r.length - 2) : Double.NaN;
            return new double[] {Math.sqrt(variance * m[2] / det), Math.sqrt(variance * m[0] / det)};
        }

        /** JᵀJ (aa, ab, bb) and Jᵀr (a, b). */
        private static double[] moments(double[][] j, double[] r) {
            double aa = 0, ab = 0, bb = 0, ar = 0, br = 0;
            for (int i = 0; i < r.length; i++) {
                aa += j[i][0] * j[i][0];
                ab += j[i][0] * j[i][1];
                bb += j[i][1] * j[i][1];
                ar += j[i][0] * r[i];
                br += j[i][1] * r[i];
            }
            return new double[] {aa, ab, bb, ar, br};
        }
    }

    /**
     * Least squares {@code y = intercept + slope·x} with one standard error of each from the residuals.
     * {@link #fit} gives null when the x values do not spread.
     */
    record Line(double intercept, double slope, double interceptError, double slopeError) {
        static Line fit(double[] x, double[] y) {
            int n = x.length;
            double mx = 0, my = 0;
            for (int i = 0; i < n; i++) {
                mx += x[i] / n;
                my += y[i] / n;
            }
            double sxx = 0, sxy = 0;
            for (int i = 0; i < n; i++) {
                sxx += (x[i] - mx) * (x[i] - mx);
                sxy += (x[i] - mx) * (y[i] - my);
            }
            if (!(sxx > 1e-9 * Math.max(1, mx * mx * n))) return null;
            double slope = sxy / sxx;
            double intercept = my - slope * mx;
            double ssr = 0;
            for (int i = 0; i < n; i++) ssr += Math.pow(y[i] - intercept - slope * x[i], 2);
            double variance = n > 2 ? ssr / (n - 2) : Double.NaN;
            return new Line(intercept, slope, Math.sqrt(variance * (1.0 / n + mx * mx / sxx)), Math.sqrt(variance / sxx));
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The standard error of the values' mean. */
    private static double standardError(double[] values) {
        double mean = java.util.Arrays.stream(values).average().orElse(Double.NaN);
        double ss = 0;
        for (double v : values) ss += (v - mean) * (v - mean);
        return Math.sqrt(ss / (values.length - 1) / values.length);
    }
}
