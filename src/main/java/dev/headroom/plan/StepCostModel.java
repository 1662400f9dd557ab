package dev.headroom.plan;

/** The duration of one engine step on the simulated GPU. Implementations are pure and thread-safe. */
@FunctionalInterface
public interface StepCostModel {

    /** Wall time of the step, in nanoseconds (positive). */
    long stepNanos(StepWork work);
}
