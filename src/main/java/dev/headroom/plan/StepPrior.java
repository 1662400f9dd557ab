package dev.headroom.plan;

/**
 * The physics prior of the step-time fit: the roofline's documented hand-set constants ({@link RooflineCalibration#HAND_SET}:
 * memory at 93% of peak bandwidth, arithmetic at 50% of peak FLOP/s, 64 µs per layer on the L4's clock, 50 µs per
 * scheduled request) and no per-step or API-server time, each with the scale of a plausible departure. It weighs as
 * much as {@link #WEIGHT} measured rows, so data move a coefficient only where they show it.
 */
public final class StepPrior {

    /** Rows' worth of weight of the prior. */
    public static final double WEIGHT = 1;

    /** The prior over {@link StepBasis#ALL}. */
    public static final StepFit.Prior PHYSICS = build();

    private StepPrior() {}

    private static StepFit.Prior build() {
        RooflineCalibration d = RooflineCalibration.HAND_SET;
        double[] v = new double[StepBasis.ALL.size()];
        double[] s = new double[StepBasis.ALL.size()];
        set(v, s, StepBasis.WEIGHTS, 1 / d.mbu(), 0.5);
        set(v, s, StepBasis.KV_TRAFFIC, 1 / d.mbu(), 0.5);
        set(v, s, StepBasis.COMPUTE, 1 / d.mfu(), 1);
        set(v, s, StepBasis.PER_LAYER, d.layerFloorCycles() / 1e3, 60);
        set(v, s, StepBasis.PER_SEQ, d.perSeqOverheadUs(), 30);
        set(v, s, StepBasis.PER_STEP, 0, 1);
        set(v, s, StepBasis.FRONT_END, 0, 10);
        set(v, s, StepBasis.PROMPT_TOKEN, 0, 10);
        set(v, s, StepBasis.OUTPUT_TOKEN, 0, 50);
        return new StepFit.Prior(v, s, WEIGHT);
    }

    private static void set(double[] v, double[] s, StepBasis term, double value, double scale) {
        v[term.ordinal()] = value;
        s[term.ordinal()] = scale;
    }
}
