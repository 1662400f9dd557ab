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
         * engine, gives each run's median TTFT and TPOT ({@link RunModel}), fitted with the step's constants
         * ({@link StepRefit#fitWithApiServer}). Low loads pin the per-request constant (TTFT less the engine's
         * prefill), the growth with prompt length and arrival rate the per-token tokenization and its queue.
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
     * Why {@code runs} cannot give the costs by {@link Method#LOADS} (fitted by {@link StepRefit#fitWithApiServer}),
     * in one line; null when they can: at least {@link #MIN_POINTS} with a median TTFT, at two loads or more, of two
     * prompt lengths or more.
     */
    public static String loadsRefusal(List<CalibrationPoint> runs) {
        List<CalibrationPoint> loads = runs.stream().filter(r -> Double.isFinite(r.ttftMs())).toList();
        if (loads.size() < MIN_POINTS) return loads.size() + " runs carry a median TTFT, " + MIN_POINTS + " are needed";
        if (loads.stream().mapToInt(CalibrationPoint::concurrency).distinct().count() < 2) {
            return "every run is at one load (concurrency " + loads.get(0).concurrency()
                    + "); runs at two loads or more are needed";
        }
        double shortest = loads.stream().mapToDouble(CalibrationPoint::inputTokens).min().orElseThrow();
        double longest = loads.stream().mapToDouble(CalibrationPoint::inputTokens).max().orElseThrow();
        if (longest < DISTINCT_PROMPTS * shortest) {
            return String.format(Locale.ROOT, "every run has one prompt length (%.0f to %.0f tokens); runs of two "
                    + "prompt lengths, the longest %.1fx the shortest or more, are needed", shortest, longest,
                    DISTINCT_PROMPTS);
        }
        return null;
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
