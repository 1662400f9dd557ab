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
 * The roofline's achieved tensor rates ({@code mfu}, and {@code mfu_8bit} for linear layers on 8-bit tensor cores),
 * engine-core CPU time per scheduled request ({@code per_seq_overhead_us}), per-layer floor
 * ({@code layer_floor_cycles}) and bandwidth efficiency ({@code mbu}) fitted on corpus points: the values on grids of physically possible ones whose analytic
 * closed loop ({@link StepCorpus.ClosedLoop}) is nearest the published step times and single-stream TTFTs in mean
 * |ln(predicted / published)| (a relative error that one outlying source cannot dominate). Each is what one regime
 * turns on: the tensor rate prefills (TTFT, and the steps they share with decodes), the CPU per request the steps of
 * hundreds of running requests, where async scheduling's {@code max(GPU, CPU)} lets it bind, the floor the small
 * batches' decode steps. The floor is counted in cycles of each GPU's boost clock, so one value serves every GPU: in
 * microseconds the single-stream steps want 55 on the H100, 64 on the L4 and 88 on the A100, which one value in µs
 * could not give (fitted alone in µs it raised the held-out E2E error from 13.5% to 16.4%). The bandwidth efficiency
 * is fitted with it: with a floor in µs the two traded (weight bytes and layer count move together on the corpus)
 * and the held-out ITL error doubled; in cycles the pair generalises better. The CPU per step was tried too: only the three sources from before
 * async scheduling see it, and fitted on them the held-out E2E error rose to 21.7% (docs/fidelity.md).
 *
 * <p>Only rows whose closed form is the steady state the engine reaches are used: step times (TPOT, or the ITL of a
 * source that prints no TPOT: a median ITL is one step's gap, not the mean step with the prompts' share, so it is a
 * plain decode step where fewer than half the steps carry a prompt, and no target where more do, since which step is
 * the median then depends on how the prompts bunch; taken for the mean step, the median gaps of prefill-heavy loads
 * asked for prefills far faster than the single-stream TTFTs allow) where every stream runs at once ({@code c ≤ max_num_seqs}: no queue in front of the
 * engine) and sends more than one request (a flood, each stream's one request, ramps up and drains and never has the
 * closed form's batch), and TTFTs at concurrency 1 (the mean or median, else the P99: at one stream of fixed lengths
 * every request's TTFT is the same prefill) that a fresh prefill can reach
 * ({@link StepCorpus#ttftPhysicallyPossible}). A TTFT under load is queueing, which the closed form does not model.
 */
final class RooflineFit {

    /**
     * Achieved fraction of the data sheet's dense tensor rate, 0.30 to 0.80: the top is what the largest bf16 GEMMs
     * reach with cuBLAS on A100 and H100 (about 80%); the bottom a launch-bound small prefill.
     */
    static final double[] MFU = {0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80};

    /**
     * Engine-core CPU time per scheduled request and step, microseconds, 0 to 50: the scheduler's and the output
     * processing's Python loops over the batch (vllm/v1/core/sched/scheduler.py {@code schedule},
     * {@code update_from_output}); 50 was the hand-set value.
     */
    static final double[] PER_SEQ_US = {0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50};

    /**
     * The per-layer floor, thousands of cycles of the GPU's boost clock, 80 to 160 (40 to 80 µs at 2 GHz, the range
     * vllm-memory-2026.md §2.2 gives): about ten small kernels per decoder layer, each a few µs of launch, ramp and
     * drain; the hand-solved 64 µs on the L4 is 130.56.
     */
    static final double[] FLOOR_KILOCYCLES = {80, 90, 100, 105, 110, 115, 120, 125, 130, 140, 150, 160};

    /**
     * Achieved fraction of the data sheet's memory bandwidth, 0.86 to 0.96: what streaming kernels reach on HBM and
     * GDDR cards (about 85-95% of peak in copy benchmarks); the hand-solved value was 0.93.
     */
    static final double[] MBU = {0.86, 0.88, 0.90, 0.92, 0.94, 0.96};

    private RooflineFit() {}

    /** What a target's published time is of the closed loop. */
    enum Kind {
        /** The mean step of a stream (TPOT, or a mean ITL): decodes with their share of the prompts' chunks. */
        MEAN_STEP,
        /** The median gap between tokens (a p50 ITL) where fewer than half the steps carry a prompt: a decode step. */
        MEDIAN_GAP,
        /** A single stream's TTFT: the API server's time and the prompt's prefill. */
        TTFT
    }

    /** One fitted time: a point's closed loop, its roofline inputs and the published seconds of one kind. */
    record Target(StepCorpus.ClosedLoop loop, RooflineInputs inputs, Kind kind, int promptTokens, double seconds) {

        /** The closed loop's seconds of this kind under {@code c} (its API server's costs in a TTFT). */
        double predicted(RooflineCalibration c) {
            Roofline r = new Roofline(inputs, c);
            return switch (kind) {
                case MEAN_STEP -> loop.seconds(r, 0)[0];
                case MEDIAN_GAP -> loop.decodeSeconds(r);
                case TTFT -> loop.seconds(r, (c.frontEnd().handOffNanos() + c.frontEnd().tokenizeNanos(promptTokens)) / 1e9)[1];
            };
        }

        /** Whether the engine-core CPU binds this target's decode step under {@code c} (async scheduling's max). */
        boolean cpuBinds(RooflineCalibration c) {
            Roofline r = new Roofline(inputs, c);
            return inputs.asyncScheduling() && r.cpuSeconds(loop.decode()) >= r.gpuSeconds(loop.decode());
        }
    }

    /** The targets of {@code point} (see the class comment for which of its rows are used). */
    static List<Target> targets(StepCorpus point) {
        List<Target> out = new ArrayList<>();
        StepCorpus.ClosedLoop loop = point.closedLoop();
        RooflineInputs inputs = Roofline.from(point.setup()).inputs();
        boolean tpot = point.tpotMs().isPresent();
        OptionalDouble step = tpot ? point.tpotMs() : point.measured(Metric.ITL);
        // A median ITL is one step's gap, not the mean step with the prompts' share (silybench prints only that).
        Kind kind = !tpot && point.stat() == StepCorpus.Stat.P50 ? Kind.MEDIAN_GAP : Kind.MEAN_STEP;
        boolean flood = point.numPrompts() == point.concurrency();
        // Where most steps carry a prompt, which step is the median gap depends on how the prompts bunch: no target.
        boolean gapUnknown = kind == Kind.MEDIAN_GAP && loop.share() >= 0.5;
        if (step.isPresent() && !flood && !gapUnknown && point.concurrency() <= point.setup().serve().maxNumSeqs()) {
            out.add(new Target(loop, inputs, kind, point.inputTokens(), step.getAsDouble() / 1e3));
        }
        // One stream of fixed lengths: every request's TTFT is the same prefill, so a source that prints only the P99
        // (silybench) gives it too.
        OptionalDouble ttft = point.ttftMs().isPresent() ? point.ttftMs() : point.measured(Metric.TTFT_P99);
        if (point.concurrency() == 1 && ttft.isPresent() && point.ttftPhysicallyPossible()) {
            out.add(new Target(loop, inputs, Kind.TTFT, point.inputTokens(), ttft.getAsDouble() / 1e3));
        }
        return out;
    }

    /**
     * {@code base} with its bandwidth efficiency, per-layer floor, tensor rates and engine-core CPU per request fitted
     * on {@code targets}, and the API server's costs {@code frontEnd} (added to every TTFT); {@code base}'s own values
     * when there are no targets. For each efficiency, floor and CPU cost on their grids (the CPU cost only where it
     * binds: {@link #perSeqGrid}) the 16-bit rate is fitted on the targets whose GEMMs run at 16 bits and the 8-bit
     * rate on the others (each rate moves only its own targets). Where no target runs at 8 bits the 8-bit rate stays
     * {@code base}'s: nothing measures it, and the 16-bit rate is no stand-in, since 8-bit GEMMs reach a smaller share
     * of their doubled peak and each FP8 linear layer first quantizes its input (taken for the 16-bit rate, a fold
     * without the FP8 sweep predicted its prefill-bound floods 20-45% high; docs/fidelity.md).
     */
    static RooflineCalibration fit(List<Target> targets, RooflineCalibration base, FrontEnd frontEnd) {
        RooflineCalibration best = base.withFrontEnd(frontEnd);
        if (targets.isEmpty()) return best;
        List<Target> sixteen = targets.stream().filter(t -> !t.inputs().eightBitGemms()).toList();
        List<Target> eight = targets.stream().filter(t -> t.inputs().eightBitGemms()).toList();
        double bestLoss = Double.POSITIVE_INFINITY;
        for (double mbu : MBU) {
            for (double kilocycles : FLOOR_KILOCYCLES) {
                RooflineCalibration memory = base.withFrontEnd(frontEnd).withMemory(mbu, kilocycles * 1e3);
                for (double perSeq : perSeqGrid(targets, memory)) {
                    RooflineCalibration c = memory.withPerSeqOverheadUs(perSeq);
                    double mfu = nearest(sixteen, c, false);
                    double mfu8 = eight.isEmpty() ? base.mfu8Bit() : nearest(eight, c, true);
                    c = new RooflineCalibration(mbu, mfu, c.stepOverheadMs(), perSeq, c.layerFloorCycles(),
                            c.bandPercent(), frontEnd, mfu8);
                    double loss = loss(targets, c);
                    if (loss < bestLoss) {
                        bestLoss = loss;
                        best = c;
                    }
                }
            }
        }
        return best;
    }

    /**
     * The CPU costs per request to try under {@code c}: {@link #PER_SEQ_US} where some target's step is CPU-bound at
     * the grid's top (async scheduling's max of GPU and CPU takes the CPU side: steps of hundreds of requests), else
     * only {@code c}'s own. Elsewhere the CPU per request is hidden behind the GPU, or a sliver of a serial step beside
     * the per-step CPU time, and the fit would set it by chance (leaving the H100 sweep out, the only source whose
     * steps it binds, it went to 0 and that sweep's 384-512-stream throughput came out 20-40% high).
     */
    private static double[] perSeqGrid(List<Target> targets, RooflineCalibration c) {
        RooflineCalibration top = c.withPerSeqOverheadUs(PER_SEQ_US[PER_SEQ_US.length - 1]);
        return targets.stream().anyMatch(t -> t.cpuBinds(top)) ? PER_SEQ_US : new double[] {c.perSeqOverheadUs()};
    }

    /** The rate on {@link #MFU} of least loss on {@code targets} with {@code c}'s other constants (16- or 8-bit). */
    private static double nearest(List<Target> targets, RooflineCalibration c, boolean eightBit) {
        double best = eightBit ? c.mfu8Bit() : c.mfu();
        if (targets.isEmpty()) return best;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (double rate : MFU) {
            double loss = loss(targets, new RooflineCalibration(c.mbu(), eightBit ? c.mfu() : rate, c.stepOverheadMs(),
                    c.perSeqOverheadUs(), c.layerFloorCycles(), c.bandPercent(), c.frontEnd(), eightBit ? rate : c.mfu8Bit()));
            if (loss < bestLoss) {
                bestLoss = loss;
                best = rate;
            }
        }
        return best;
    }

    /** Mean |ln(predicted / published)| of {@code targets} under {@code c} (its API server's costs in every TTFT). */
    static double loss(List<Target> targets, RooflineCalibration c) {
        double sum = 0;
        for (Target t : targets) sum += Math.abs(Math.log(t.predicted(c) / t.seconds()));
        return sum / targets.size();
    }
}
