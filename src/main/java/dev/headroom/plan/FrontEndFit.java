package dev.headroom.plan;

import java.util.List;

/**
 * Fits the API server's per-request costs ({@link FrontEnd}) to a user's runs for {@code headroom calibrate}: the
 * part of each run's median TTFT that the engine's own per-request metrics do not account for is the API server's
 * ingestion, {@code perRequestMs + perPromptTokenUs·prompt tokens}. With at least {@link #MIN_POINTS} points and
 * two prompt lengths both are fitted (least squares, non-negative); with one prompt length only the constant is
 * (the median, the per-token cost kept); with fewer points, or a server that does not report the split, nothing is
 * and the start's costs stay. The per-output-token cost is not in the TTFT split and stays as started.
 */
public final class FrontEndFit {

    /** Points needed to fit: nothing is solved from one or two. */
    public static final int MIN_POINTS = 3;

    /**
     * The fitted costs and the points they came from.
     *
     * @param frontEnd the API server's costs
     * @param points   runs whose TTFT split was used; 0 when nothing was fitted
     */
    public record Result(FrontEnd frontEnd, int points) {}

    private FrontEndFit() {}

    /** Fits from the points that carry a TTFT split; {@code start}'s costs where the data cannot say. */
    public static Result fit(List<CalibrationPoint> points, FrontEnd start) {
        List<CalibrationPoint> split = points.stream().filter(p -> !Double.isNaN(p.outsideEngineMs())).toList();
        if (split.size() < MIN_POINTS) return new Result(start, 0);
        double n = split.size();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (CalibrationPoint p : split) {
            sx += p.inputTokens();
            sy += p.outsideEngineMs();
            sxx += p.inputTokens() * p.inputTokens();
            sxy += p.inputTokens() * p.outsideEngineMs();
        }
        double var = sxx - sx * sx / n;
        if (var > 1e-9 * sxx) {
            double slopeMs = (sxy - sx * sy / n) / var;
            double constantMs = (sy - slopeMs * sx) / n;
            if (slopeMs >= 0 && constantMs >= 0) {
                return new Result(new FrontEnd(constantMs, slopeMs * 1e3, start.perOutputTokenUs()), split.size());
            }
        }
        double[] constant = split.stream()
                .mapToDouble(p -> p.outsideEngineMs() - start.perPromptTokenUs() * 1e-3 * p.inputTokens()).sorted().toArray();
        double median = constant.length % 2 == 1 ? constant[constant.length / 2]
                : (constant[constant.length / 2 - 1] + constant[constant.length / 2]) / 2;
        return new Result(new FrontEnd(Math.max(0, median), start.perPromptTokenUs(), start.perOutputTokenUs()),
                split.size());
    }
}
