package dev.headroom.plan;

/**
 * A step cost for tests: every engine step takes {@code nanos}, behind an API server with costs {@code frontEnd}, so a
 * test can assert the exact timeline the engine and the API server keep.
 */
public record FixedStep(long nanos, FrontEnd frontEnd) implements StepCostModel {

    @Override
    public long stepNanos(StepWork work) {
        return nanos;
    }
}
