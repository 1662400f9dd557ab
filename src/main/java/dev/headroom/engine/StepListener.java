package dev.headroom.engine;

import dev.headroom.engine.FinishedRequest.FinishReason;

/** Receives what a finished step produced, request by request, in scheduling order. */
interface StepListener {

    /** {@code req} sampled {@code tokenId} in the step that ended at {@code nowNanos}. */
    void onToken(RequestState req, int tokenId, long nowNanos);

    /** {@code req} stopped (its blocks are already freed). */
    void onFinished(RequestState req, FinishReason reason, long nowNanos);
}
