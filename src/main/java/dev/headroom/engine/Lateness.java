package dev.headroom.engine;

/**
 * How far behind its own schedule the live engine delivered step results: for each step, the time from the step's
 * ideal end to the moment its tokens were handed to the sinks.
 *
 * @param steps        steps measured
 * @param medianNanos  median lateness
 * @param p99Nanos     99th percentile lateness
 * @param maxNanos     worst lateness
 */
public record Lateness(long steps, long medianNanos, long p99Nanos, long maxNanos) {

    /** One line for benchmark output, in milliseconds. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "lateness over %d steps: median %.3f ms, p99 %.3f ms, max %.3f ms",
                steps, medianNanos / 1e6, p99Nanos / 1e6, maxNanos / 1e6);
    }
}
