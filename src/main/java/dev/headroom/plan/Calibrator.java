package dev.headroom.plan;

import dev.headroom.spec.ServingSetup;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits the step-cost model to measured load points ({@code headroom calibrate}). In a steady closed loop the
 * median TPOT is the average step of the running batch — {@code min(concurrency, max_num_seqs, requests the KV
 * cache holds)} — at mid-output context with its share of prefill. Under async scheduling that step is
 * {@code L·floor + bytes/(BW·mbu)}, linear in {@code floor} and {@code 1/mbu}; without it the CPU time is taken off
 * first. Points are ordered by concurrency and every other one is held out of the fit (when there are four or
 * more) and predicted with the fitted model to validate it. The band is 1.5× the worst of the fit's residuals and
 * its leave-one-out errors, and never below half the uncalibrated band: a fit of two parameters to a few points
 * does not remove the step model's structural error (prefill mixing, sampler traffic) across a sweep. The API
 * server's costs come from the runs' TTFT split where the server reports it, else from their TTFT against load less
 * the engine's predicted TTFT ({@link FrontEndFit}).
 */
public final class Calibrator {

    /** One point's prediction and relative error, percent. */
    public record Residual(CalibrationPoint point, double predictedMs, boolean heldOut) {
        public double errorPercent() {
            return 100 * (predictedMs - point.tpotMs()) / point.tpotMs();
        }
    }

    /**
     * The fitted calibration (band and API server included), every point's residual, and how the API server's costs
     * came about (fitted, by which method, or kept from the start).
     */
    public record Fit(RooflineCalibration calibration, List<Residual> residuals, FrontEndFit.Result frontEnd) {
        /** True when every held-out point lies within the band the fit prints. */
        public boolean heldOutWithinBand() {
            return residuals.stream().filter(Residual::heldOut)
                    .allMatch(r -> Math.abs(r.errorPercent()) <= calibration.bandPercent());
        }
    }

    private Calibrator() {}

    /**
     * The average step of a point's steady state: the running batch (capped by max_num_seqs and by the requests the
     * KV cache holds) decoding at mid-output context, plus its share of prefill tokens — each request's prompt once
     * per {@code outputTokens} steps.
     */
    static StepWork decodeStep(ServingSetup setup, MemoryPlan plan, CalibrationPoint p) {
        int bs = setup.serve().blockSize();
        long blocksPerRequest = (long) Math.ceil((p.inputTokens() + p.outputTokens()) / bs);
        long kvRequests = Math.max(1, plan.usableGpuBlocks() / Math.max(1, blocksPerRequest));
        int batch = (int) Math.min(Math.min(p.concurrency(), setup.serve().maxNumSeqs()), kvRequests);
        double context = p.inputTokens() + p.outputTokens() / 2;
        double prefillTokens = batch * p.inputTokens() / p.outputTokens();
        return new StepWork(batch, batch + (int) Math.round(prefillTokens), Math.round(batch * context),
                batch * (context + 0.5) + prefillTokens * p.inputTokens() / 2, prefillTokens < 0.5);
    }

    /** Predicted median TPOT of a point, milliseconds. */
    public static double predictMs(ServingSetup setup, MemoryPlan plan, RooflineCalibration cal, CalibrationPoint p) {
        return Roofline.from(setup, cal).stepNanos(decodeStep(setup, plan, p)) / 1e6;
    }

    /**
     * Fits {@code floor} and {@code mbu} from {@code start}, and the API server's costs (through {@code ttft}, the
     * simulator's median TTFT of a run, where the runs carry no TTFT split); the other keys are kept.
     */
    public static Fit fit(ServingSetup setup, List<CalibrationPoint> points, RooflineCalibration start,
                          FrontEndFit.TtftModel ttft) {
        MemoryPlan plan = Planner.plan(setup);
        if (!plan.fits()) throw new IllegalArgumentException("calibrate: vLLM would not start: " + plan.error());
        points = points.stream().sorted(java.util.Comparator.comparingInt(CalibrationPoint::concurrency)
                .thenComparing(CalibrationPoint::label)).toList();
        boolean holdOut = points.size() >= 4;
        List<CalibrationPoint> fitted = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) if (!holdOut || i % 2 == 0) fitted.add(points.get(i));
        RooflineCalibration cal = fitOn(setup, plan, fitted, start);
        double residual = 1.5 * Math.max(worstPercent(setup, plan, cal, fitted), leaveOneOutPercent(setup, plan, fitted, start));
        double band = Math.ceil(Math.max(Math.max(2, start.bandPercent() / 2), residual) * 2) / 2;
        FrontEndFit.Result frontEnd = frontEnd(points, cal, ttft);
        cal = new RooflineCalibration(cal.mbu(), cal.mfu(), cal.stepOverheadMs(), cal.perSeqOverheadUs(),
                cal.layerFloorUs(), band, frontEnd.frontEnd());
        List<Residual> residuals = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            residuals.add(new Residual(points.get(i), predictMs(setup, plan, cal, points.get(i)), holdOut && i % 2 == 1));
        }
        return new Fit(cal, residuals, frontEnd);
    }

    /** The API server's costs from the runs' TTFT split, else from their TTFT against load, else kept. */
    private static FrontEndFit.Result frontEnd(List<CalibrationPoint> points, RooflineCalibration cal,
                                               FrontEndFit.TtftModel ttft) {
        FrontEndFit.Result split = FrontEndFit.fromSplit(points, cal.frontEnd());
        if (split instanceof FrontEndFit.Fitted) return split;
        FrontEndFit.Result byLoad = FrontEndFit.fromLoads(points, cal, ttft);
        if (byLoad instanceof FrontEndFit.Kept kept) {
            return new FrontEndFit.Kept(cal.frontEnd(), ((FrontEndFit.Kept) split).reason() + "; from load: " + kept.reason());
        }
        return byLoad;
    }

    /** Least-squares floor and mbu on {@code points}; the other keys as in {@code start}. */
    private static RooflineCalibration fitOn(ServingSetup setup, MemoryPlan plan, List<CalibrationPoint> points,
                                             RooflineCalibration start) {
        Roofline unit = Roofline.from(setup, new RooflineCalibration(1, start.mfu(), start.stepOverheadMs(),
                start.perSeqOverheadUs(), 0, start.bandPercent(), start.frontEnd()));
        List<double[]> rows = new ArrayList<>();
        for (CalibrationPoint p : points) {
            StepWork w = decodeStep(setup, plan, p);
            double cpu = unit.inputs().asyncScheduling() ? 0 : unit.cpuSeconds(w);
            rows.add(new double[] {unit.inputs().numLayers(), unit.gpuSeconds(w), p.tpotMs() / 1e3 - cpu});
        }
        double[] x = solve(rows, start);
        return new RooflineCalibration(Math.min(1, 1 / x[1]), start.mfu(), start.stepOverheadMs(),
                start.perSeqOverheadUs(), x[0] * 1e6, start.bandPercent(), start.frontEnd());
    }

    private static double worstPercent(ServingSetup setup, MemoryPlan plan, RooflineCalibration cal,
                                       List<CalibrationPoint> points) {
        double worst = 0;
        for (CalibrationPoint p : points) {
            worst = Math.max(worst, Math.abs(100 * (predictMs(setup, plan, cal, p) - p.tpotMs()) / p.tpotMs()));
        }
        return worst;
    }

    /** The worst error predicting each fitted point from a fit without it (0 with fewer than three points). */
    private static double leaveOneOutPercent(ServingSetup setup, MemoryPlan plan, List<CalibrationPoint> points,
                                             RooflineCalibration start) {
        if (points.size() < 3) return 0;
        double worst = 0;
        for (int i = 0; i < points.size(); i++) {
            List<CalibrationPoint> rest = new ArrayList<>(points);
            CalibrationPoint out = rest.remove(i);
            worst = Math.max(worst, worstPercent(setup, plan, fitOn(setup, plan, rest, start), List.of(out)));
        }
        return worst;
    }

    /**
     * Least squares for {@code t = L·floor + bytesTime·(1/mbu)}; when the points do not separate the two (one
     * batch size), {@code mbu} stays and only the floor is fitted. Both are kept physical (floor ≥ 0, mbu ≤ 1).
     */
    private static double[] solve(List<double[]> rows, RooflineCalibration start) {
        double saa = 0, sab = 0, sbb = 0, sat = 0, sbt = 0;
        for (double[] r : rows) {
            saa += r[0] * r[0];
            sab += r[0] * r[1];
            sbb += r[1] * r[1];
            sat += r[0] * r[2];
            sbt += r[1] * r[2];
        }
        double det = saa * sbb - sab * sab;
        if (Math.abs(det) > 1e-9 * saa * sbb) {
            double floor = (sat * sbb - sab * sbt) / det;
            double invMbu = (saa * sbt - sab * sat) / det;
            if (floor >= 0 && invMbu >= 1) return new double[] {floor, invMbu};
        }
        double invMbu = 1 / start.mbu();
        double floor = 0;
        for (double[] r : rows) floor += (r[2] - invMbu * r[1]) / r[0];
        return new double[] {Math.max(0, floor / rows.size()), invMbu};
    }
}
