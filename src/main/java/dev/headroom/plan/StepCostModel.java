package dev.headroom.plan;

/**
 * The simulated engine's timeline: the duration of one engine step on the simulated GPU, and the API server's time
 * around the engine. Implementations are pure and thread-safe.
 */
@FunctionalInterface
public interface StepCostModel {

    /** Wall time of the step, in nanoseconds (positive). */
    long stepNanos(StepWork work);

    /** The API server's per-request and per-token time that goes with these steps; none by default. */
    default FrontEnd frontEnd() {
        return FrontEnd.NONE;
    }
}
