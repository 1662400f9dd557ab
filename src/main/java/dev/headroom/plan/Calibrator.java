package dev.headroom.plan;

import dev.headroom.spec.ServingSetup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Fits the step-cost model and the API server to measured load points ({@code headroom calibrate}), both through
 * the simulator ({@link RunModel}) rather than a closed form of its steady state, so what is fitted is what the
 * engine will predict with. The step's floor and {@code mbu} come from the runs' median TPOT ({@link StepRefit}),
 * the API server's costs from the runs' TTFT split where the server reports it ({@link FrontEndFit}), else from
 * their TTFT against load, fitted together with the step ({@link StepRefit#fitWithApiServer}: the API server's
 * queue spaces the prefills that stall decoding, so it moves TPOT, and the step moves TTFT). Every run is then
 * predicted from a step fitted to the others (leave one run out, by the same rule: from fewer than three runs
 * nothing is fitted and the start predicts it); the band is 1.5× the worst of those held-out errors and never below
 * half the uncalibrated band.
 */
public final class Calibrator {

    /**
     * One run's measured and predicted median TPOT.
     *
     * @param fittedMs  predicted by the fit to every run, ms
     * @param heldOutMs predicted by the fit to the other runs, ms (the start's prediction when they are fewer than
     *                  {@link StepRefit#MIN_RUNS}); NaN when nothing was fitted
     */
    public record Residual(CalibrationPoint point, double fittedMs, double heldOutMs) {
        public double fittedErrorPercent() {
            return 100 * (fittedMs - point.tpotMs()) / point.tpotMs();
        }

        public double heldOutErrorPercent() {
            return 100 * (heldOutMs - point.tpotMs()) / point.tpotMs();
        }
    }

    /**
     * The fitted calibration (band and API server included), every run's residual, and how the step constants and
     * the API server's costs came about (fitted, by which method, or kept from the start and why).
     */
    public record Fit(RooflineCalibration calibration, List<Residual> residuals, StepRefit.Result step,
                      FrontEndFit.Result frontEnd) {
        /** The worst held-out |error| of TPOT, percent; NaN when nothing was held out. */
        public double worstHeldOutPercent() {
            return residuals.stream().mapToDouble(r -> Math.abs(r.heldOutErrorPercent())).max().orElse(Double.NaN);
        }
    }

    private Calibrator() {}

    /**
     * Fits {@code floor}, {@code mbu} and the API server's costs from {@code start} through {@code model}; the
     * other keys are kept.
     */
    public static Fit fit(ServingSetup setup, List<CalibrationPoint> points, RooflineCalibration start, RunModel model) {
        MemoryPlan plan = Planner.plan(setup);
        if (!plan.fits()) throw new IllegalArgumentException("calibrate: vLLM would not start: " + plan.error());
        points = points.stream().sorted(Comparator.comparingInt(CalibrationPoint::concurrency)
                .thenComparing(CalibrationPoint::label)).toList();
        StepRefit.Outcome outcome = fitBoth(points, start, model);
        StepRefit.Result step = outcome.step();
        FrontEndFit.Result frontEnd = outcome.frontEnd();
        RooflineCalibration cal = step.calibration().withFrontEnd(frontEnd.frontEnd());
        if (step instanceof StepRefit.Kept) {
            return new Fit(cal, residuals(points, cal, null, model), step, frontEnd);
        }
        List<RooflineCalibration> heldOut = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) heldOut.add(leftOut(points, i, start, cal, model));
        List<Residual> residuals = residuals(points, cal, heldOut, model);
        double worst = new Fit(cal, residuals, step, frontEnd).worstHeldOutPercent();
        double band = Math.ceil(Math.max(start.bandPercent() / 2, 1.5 * worst) * 2) / 2;
        cal = cal.withBandPercent(band);
        return new Fit(cal, residuals, step, frontEnd);
    }

    /**
     * The step fitted without run {@code i}, with the API server as fitted to all: from the full fit's constants
     * (the least squares do not depend on where they start), or the start's when too few runs remain to fit.
     */
    private static RooflineCalibration leftOut(List<CalibrationPoint> points, int i, RooflineCalibration start,
                                               RooflineCalibration fitted, RunModel model) {
        List<CalibrationPoint> rest = new ArrayList<>(points);
        rest.remove(i);
        RooflineCalibration from = rest.size() < StepRefit.MIN_RUNS
                ? fitted.withMemory(start.mbu(), start.layerFloorCycles())
                : fitted;
        return StepRefit.fit(rest, from, model).calibration();
    }

    private static List<Residual> residuals(List<CalibrationPoint> points, RooflineCalibration cal,
                                            List<RooflineCalibration> heldOut, RunModel model) {
        List<Residual> residuals = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            CalibrationPoint p = points.get(i);
            residuals.add(new Residual(p, model.medians(p, cal).tpotMs(),
                    heldOut == null ? Double.NaN : model.medians(p, heldOut.get(i)).tpotMs()));
        }
        return residuals;
    }

    /**
     * The step with the API server's costs from the runs' TTFT split, else the two fitted together from TTFT and
     * TPOT against load, else the step alone with the costs kept (and why).
     */
    private static StepRefit.Outcome fitBoth(List<CalibrationPoint> points, RooflineCalibration start, RunModel model) {
        FrontEndFit.Result split = FrontEndFit.fromSplit(points, start.frontEnd());
        if (split instanceof FrontEndFit.Fitted) {
            return new StepRefit.Outcome(StepRefit.fit(points, start.withFrontEnd(split.frontEnd()), model), split);
        }
        String refusal = FrontEndFit.loadsRefusal(points);
        if (refusal == null) return StepRefit.fitWithApiServer(points, start, model);
        String why = ((FrontEndFit.Kept) split).reason() + "; from load: " + refusal;
        return new StepRefit.Outcome(StepRefit.fit(points, start, model), new FrontEndFit.Kept(start.frontEnd(), why));
    }
}
