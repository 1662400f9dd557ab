package dev.headroom.plan;

import java.util.Objects;

/**
 * The fitted step-time model as the engine's timeline: each step's {@link StepBasis} features on {@code roofline}'s
 * model and GPU (its binding side decided by {@link RooflineCalibration#HAND_SET}, as in the fit), scaled by fitted coefficients ({@link StepFit}); the API server's terms are its {@link FrontEnd}.
 */
public final class BasisStepCost implements StepCostModel {

    private final Roofline roofline;
    private final double[] coefficients;

    /** @param coefficients indexed by {@link StepBasis#ordinal()}, non-negative */
    public BasisStepCost(Roofline roofline, double[] coefficients) {
        this.roofline = Objects.requireNonNull(roofline, "roofline");
        if (coefficients.length != StepBasis.ALL.size()) throw new IllegalArgumentException("one coefficient per basis term");
        this.coefficients = coefficients.clone();
    }

    @Override
    public FrontEnd frontEnd() {
        return StepBasis.frontEndOf(coefficients);
    }

    @Override
    public long stepNanos(StepWork work) {
        return Math.max(1, Math.round(StepBasis.seconds(StepBasis.step(roofline, work), coefficients) * 1e9));
    }
}
