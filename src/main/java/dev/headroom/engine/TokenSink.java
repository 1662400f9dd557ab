package dev.headroom.engine;

/**
 * Receives one request's progress from a running engine. Called on the engine's own thread, in step order:
 * implementations must return quickly and never block (hand the event to the request's own thread).
 */
public interface TokenSink {

    /**
     * New output tokens produced by the step that ended at {@code nowNanos} (engine clock, nanoseconds).
     *
     * @param tokenIds the new tokens' ids, in order (one per decode step; more only with multi-token steps)
     */
    void onTokens(int[] tokenIds, long nowNanos);

    /** The request finished (or was aborted); no further calls follow. */
    void onFinished(FinishedRequest finished);
}
