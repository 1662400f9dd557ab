package dev.headroom.plan;

import java.util.List;
import java.util.Locale;

/**
 * Refits the roofline's per-layer floor ({@code layer_floor_cycles}) and bandwidth efficiency ({@code mbu}) to a user's
 * runs for {@code headroom calibrate}: the values for which the simulator ({@link RunModel}: the engine's steps,
 * prefills mixed in and waves included, as it will predict with the calibration) gives each run's measured median
 * TPOT; without the server's TTFT split, together with the API server's per-request and per-prompt-token costs from
 * the runs' median TTFT ({@link #fitWithApiServer}). Least squares on relative error in {@code floor} and
 * {@code 1/mbu} (the step is linear in both) by {@link GaussNewton}. Nothing is solved from one or two runs: with
 * fewer than {@link #MIN_RUNS} the start is kept and {@link Kept#reason} says why; runs that cannot separate the two
 * (one batch and one context) give the floor alone, {@code mbu} kept. Both stay physical: {@code floor ≥ 0},
 * {@code mbu ≤ 1}; a fit that presses against a bound keeps the bound and fits the other alone.
 */
public final class StepRefit {

    /** Runs needed to fit anything. */
    public static final int MIN_RUNS = 3;

    /** The step constants after the fit, fitted or kept. */
    public sealed interface Result permits Fitted, Kept {
        RooflineCalibration calibration();
    }

    /**
     * Fitted constants.
     *
     * @param runs                runs fitted
     * @param layerFloorCyclesError one standard error of {@code layer_floor_cycles}; NaN where it lies on its bound (0)
     * @param mbuError            one standard error of {@code mbu}; NaN where it was kept (the runs do not separate it
     *                            from the floor) or lies on its bound (1)
     */
    public record Fitted(RooflineCalibration calibration, int runs, double layerFloorCyclesError, double mbuError)
            implements Result {}

    /** The start's constants, kept because the runs cannot identify them ({@code reason}: one line). */
    public record Kept(RooflineCalibration calibration, String reason) implements Result {}

    /** The step's constants and the API server's costs after a fit of both. */
    public record Outcome(Result step, FrontEndFit.Result frontEnd) {}

    /**
     * Parameters: layer floor (thousands of cycles, so its steps are of the size of a µs, as the other parameters'
     * are of their units), 1/mbu, API server per request (ms) and per prompt token (µs).
     */
    private static final int FLOOR = 0;
    private static final int INVERSE_MBU = 1;
    private static final int PER_REQUEST = 2;
    private static final int PER_PROMPT_TOKEN = 3;
    private static final double[] DELTA = {1, 0.01, 1, 1};
    private static final double[] TOLERANCE = {0.01, 1e-4, 0.01, 0.001};
    private static final double[] LOWER = {0, 1, 0, 0};
    /**
     * The compass search's first steps: 32,000 cycles a layer (16 µs at 2 GHz), 0.08 of 1/mbu, 8 ms a request, 8 µs
     * a prompt token.
     */
    private static final double[] SPAN = {32, 0.08, 8, 8};

    private StepRefit() {}

    /**
     * The floor and {@code mbu} for which {@code model} gives each run's median TPOT, starting from {@code start}
     * (whose other keys, the API server's included, stay).
     */
    public static Result fit(List<CalibrationPoint> runs, RooflineCalibration start, RunModel model) {
        if (runs.size() < MIN_RUNS) return kept(runs, start);
        GaussNewton.Solution s = solve(runs, List.of(), start, model, new boolean[] {true, true, false, false});
        if (s == null) s = solve(runs, List.of(), start, model, new boolean[] {true, false, false, false});
        if (s == null) {
            return new Kept(start, String.format(Locale.ROOT, "the runs' TPOT does not move with the layer floor "
                    + "(%d runs)", runs.size()));
        }
        return fitted(runs, start, s);
    }

    /**
     * {@link FrontEndFit.Method#LOADS}: the floor, {@code mbu} and the API server's per-request and per-prompt-token
     * costs together, for which {@code model} gives each run's median TPOT and median TTFT (relative errors of both
     * in one least squares: the API server's queue spaces the prefills that stall decoding, so it moves TPOT, and the
     * step moves TTFT). The runs must pass {@link FrontEndFit#loadsRefusal}. Where only a negative cost fits, or the
     * runs do not separate the costs from the step, the API server is kept (and why) and the step fitted alone.
     */
    public static Outcome fitWithApiServer(List<CalibrationPoint> runs, RooflineCalibration start, RunModel model) {
        FrontEnd fe = start.frontEnd();
        List<CalibrationPoint> timed = runs.stream().filter(r -> Double.isFinite(r.ttftMs())).toList();
        // The joint least squares has local minima (the scheduler's waves make TPOT step-wise in the API server's
        // costs), so it starts where each half fits alone: the costs from TTFT on the start's step, then the step
        // from TPOT on those costs.
        RooflineCalibration from = coarsest(relative(List.of(), timed, start, model), start, PER_REQUEST,
                PER_PROMPT_TOKEN, API_GRID);
        GaussNewton.Solution costs = solve(List.of(), timed, from, model, new boolean[] {false, false, true, true});
        if (costs != null) from = with(from, costs.x());
        GaussNewton.Solution steps = solve(runs, List.of(), from, model, new boolean[] {true, true, false, false});
        if (steps != null) from = with(from, steps.x());
        GaussNewton.Solution s = solve(runs, timed, from, model, new boolean[] {true, true, true, true});
        if (s == null) {
            return new Outcome(fit(runs, start, model), new FrontEndFit.Kept(fe,
                    "the runs' prompt lengths and loads do not separate the API server's costs from the step"));
        }
        double ms = s.x()[PER_REQUEST];
        double us = s.x()[PER_PROMPT_TOKEN];
        if (pressed(s, PER_REQUEST) || pressed(s, PER_PROMPT_TOKEN)) {
            return new Outcome(fit(runs, start, model), new FrontEndFit.Kept(fe, String.format(Locale.ROOT,
                    "the fit is negative (%.2f ms per request, %.3f us per prompt token): the TTFT the engine does not "
                    + "explain does not grow with prompt length and load as an API server's would",
                    ms + s.lastStep()[PER_REQUEST], us + s.lastStep()[PER_PROMPT_TOKEN])));
        }
        return new Outcome(fitted(runs, start, s), new FrontEndFit.Fitted(new FrontEnd(ms, us, fe.perOutputTokenUs()),
                FrontEndFit.Method.LOADS, timed.size(), s.errors()[PER_REQUEST], s.errors()[PER_PROMPT_TOKEN]));
    }

    /**
     * Least squares over the parameters marked {@code free}; a step constant that presses against its bound stays
     * there and the others are fitted again. Null when the free parameters do not separate.
     */
    private static GaussNewton.Solution solve(List<CalibrationPoint> runs, List<CalibrationPoint> timed,
                                              RooflineCalibration start, RunModel model, boolean[] free) {
        GaussNewton.Residuals relative = relative(runs, timed, start, model);
        double[] x = parameters(start);
        boolean[] open = free.clone();
        while (true) {
            GaussNewton.Solution s = GaussNewton.fit(relative, x, open, LOWER, DELTA, TOLERANCE, SPAN);
            if (s == null) return null;
            int bound = pressed(s, FLOOR) && open[FLOOR] ? FLOOR
                    : pressed(s, INVERSE_MBU) && open[INVERSE_MBU] ? INVERSE_MBU : -1;
            if (bound < 0) return s;
            open[bound] = false;
            x = s.x();
        }
    }

    /** Relative errors of the runs' TPOT and of the timed runs' TTFT at parameters x, the rest of {@code start} kept. */
    private static GaussNewton.Residuals relative(List<CalibrationPoint> runs, List<CalibrationPoint> timed,
                                                  RooflineCalibration start, RunModel model) {
        return x -> {
            RooflineCalibration at = with(start, x);
            double[] r = new double[runs.size() + timed.size()];
            for (int i = 0; i < runs.size(); i++) r[i] = 1 - model.medians(runs.get(i), at).tpotMs() / runs.get(i).tpotMs();
            for (int i = 0; i < timed.size(); i++) {
                r[runs.size() + i] = 1 - model.medians(timed.get(i), at).ttftMs() / timed.get(i).ttftMs();
            }
            return r;
        };
    }

    private static double[] parameters(RooflineCalibration c) {
        return new double[] {c.layerFloorCycles() / 1e3, 1 / c.mbu(), c.frontEnd().perRequestMs(),
                c.frontEnd().perPromptTokenUs()};
    }

    /**
     * The coarse grid the API server's costs start from, per request (ms) by per prompt token (µs): the simulated
     * queues make TTFT step-wise in them, so a descent from a far start stops on a step.
     */
    private static final double[][] API_GRID = {{2, 10, 30, 80}, {2, 10, 30, 80}};

    /** {@code start}, or the point of {@code grid} over parameters a and b whose squared error is smaller. */
    private static RooflineCalibration coarsest(GaussNewton.Residuals f, RooflineCalibration start, int a, int b,
                                                double[][] grid) {
        double[] best = parameters(start);
        double bestSquares = GaussNewton.squares(f.at(best));
        for (double u : grid[0]) {
            for (double v : grid[1]) {
                double[] x = parameters(start);
                x[a] = u;
                x[b] = v;
                double squares = GaussNewton.squares(f.at(x));
                if (squares < bestSquares) {
                    best = x;
                    bestSquares = squares;
                }
            }
        }
        return with(start, best);
    }

    private static Result kept(List<CalibrationPoint> runs, RooflineCalibration start) {
        return new Kept(start, runs.size() + (runs.size() == 1 ? " run" : " runs") + ", " + MIN_RUNS
                + " are needed to fit the layer floor and bandwidth efficiency");
    }

    private static Fitted fitted(List<CalibrationPoint> runs, RooflineCalibration start, GaussNewton.Solution s) {
        double inverse = s.x()[INVERSE_MBU];
        // mbu = 1/x: one standard error through the derivative, 1/x².
        return new Fitted(with(start, s.x()), runs.size(), s.errors()[FLOOR] * 1e3,
                s.errors()[INVERSE_MBU] / (inverse * inverse));
    }

    /** True when the fit stopped on the parameter's bound with the data pulling further. */
    private static boolean pressed(GaussNewton.Solution s, int parameter) {
        return s.x()[parameter] == LOWER[parameter] && s.lastStep()[parameter] < 0;
    }

    private static RooflineCalibration with(RooflineCalibration c, double[] x) {
        FrontEnd fe = new FrontEnd(x[PER_REQUEST], x[PER_PROMPT_TOKEN], c.frontEnd().perOutputTokenUs());
        return c.withMemory(1 / x[INVERSE_MBU], x[FLOOR] * 1e3).withFrontEnd(fe);
    }
}
