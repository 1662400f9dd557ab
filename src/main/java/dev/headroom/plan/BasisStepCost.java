package dev.headroom.plan;

import java.util.Objects;

/**
 * The fitted step-time model as the engine's step cost: each step's {@link StepBasis} features on {@code roofline}'s
 * model and GPU, scaled by fitted coefficients ({@link StepFit}). The front-end term is not a step cost (a step's
 * front-end feature is 0); it is the API server's time, outside the engine.
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
    public long stepNanos(StepWork work) {
        return Math.max(1, Math.round(StepBasis.seconds(StepBasis.step(roofline, work), coefficients) * 1e9));
    }
}
