package dev.headroom.selftest;

import dev.headroom.plan.FrontEnd;
import dev.headroom.plan.Roofline;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.plan.RooflineInputs;
import dev.headroom.selftest.StepCorpus.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The roofline's achieved tensor rate ({@code mfu}) fitted on corpus points: the value on a grid of physically
 * possible ones whose analytic closed loop ({@link StepCorpus.ClosedLoop}) is nearest the published step times and
 * single-stream TTFTs in mean |ln(predicted / published)| (a relative error that one outlying source cannot
 * dominate). Only the tensor rate is fitted: it is what prefills (TTFT, and the steps they share with decodes) turn
 * on, and no other term moves it. The bandwidth efficiency and the per-layer floor stay as documented: fitted too,
 * they trade against each other (weight bytes and layer count move together on the corpus) and the held-out ITL
 * error doubled (docs/fidelity.md).
 *
 * <p>Only rows whose closed form is the steady state the engine reaches are used: step times (TPOT, or the ITL of a
 * source that prints no TPOT) where every stream runs at once ({@code c ≤ max_num_seqs}: no queue in front of the
 * engine), and TTFTs at concurrency 1 that a fresh prefill can reach ({@link StepCorpus#ttftPhysicallyPossible}).
 * A TTFT under load is queueing, which the closed form does not model.
 */
final class RooflineFit {

    /**
     * Achieved fraction of the data sheet's dense tensor rate, 0.30 to 0.80: the top is what the largest bf16 GEMMs
     * reach with cuBLAS on A100 and H100 (about 80%); the bottom a launch-bound small prefill.
     */
    static final double[] MFU = {0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80};

    private RooflineFit() {}

    /** One fitted time: a point's closed loop, its roofline inputs and the published seconds of TPOT or TTFT. */
    record Target(StepCorpus.ClosedLoop loop, RooflineInputs inputs, boolean ttft, int promptTokens, double seconds) {}

    /** The targets of {@code point} (see the class comment for which of its rows are used). */
    static List<Target> targets(StepCorpus point) {
        List<Target> out = new ArrayList<>();
        StepCorpus.ClosedLoop loop = point.closedLoop();
        RooflineInputs inputs = Roofline.from(point.setup()).inputs();
        OptionalDouble step = point.tpotMs().isPresent() ? point.tpotMs() : point.measured(Metric.ITL);
        if (step.isPresent() && point.concurrency() <= point.setup().serve().maxNumSeqs()) {
            out.add(new Target(loop, inputs, false, point.inputTokens(), step.getAsDouble() / 1e3));
        }
        if (point.concurrency() == 1 && point.ttftMs().isPresent() && point.ttftPhysicallyPossible()) {
            out.add(new Target(loop, inputs, true, point.inputTokens(), point.ttftMs().getAsDouble() / 1e3));
        }
        return out;
    }

    /**
     * {@code base} with its {@code mfu} fitted on {@code targets} and the API server's costs {@code frontEnd} (added
     * to every TTFT); {@code base}'s own {@code mfu} when there are no targets.
     */
    static RooflineCalibration fit(List<Target> targets, RooflineCalibration base, FrontEnd frontEnd) {
        RooflineCalibration best = base.withFrontEnd(frontEnd);
        if (targets.isEmpty()) return best;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (double mfu : MFU) {
            RooflineCalibration c = new RooflineCalibration(base.mbu(), mfu, base.stepOverheadMs(),
                    base.perSeqOverheadUs(), base.layerFloorUs(), base.bandPercent(), frontEnd);
            double loss = loss(targets, c);
            if (loss < bestLoss) {
                bestLoss = loss;
                best = c;
            }
        }
        return best;
    }

    /** Mean |ln(predicted / published)| of {@code targets} under {@code c} (its API server's costs in every TTFT). */
    static double loss(List<Target> targets, RooflineCalibration c) {
        FrontEnd frontEnd = c.frontEnd();
        double sum = 0;
        for (Target t : targets) {
            double outside = (frontEnd.handOffNanos() + frontEnd.tokenizeNanos(t.promptTokens())) / 1e9;
            double predicted = t.loop().seconds(new Roofline(t.inputs(), c), outside)[t.ttft() ? 1 : 0];
            sum += Math.abs(Math.log(predicted / t.seconds()));
        }
        return sum / targets.size();
    }
}
