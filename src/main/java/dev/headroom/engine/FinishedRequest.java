package dev.headroom.engine;

/**
 * A finished request with the timestamps vLLM's frontend uses for its request-level histograms
 * ({@code vllm/v1/metrics/stats.py} {@code update_from_finished_request}: e2e and TTFT from the API server's
 * {@code arrival_time}; queued, prefill, decode and inference intervals from the engine core's own timestamps). All
 * times are nanoseconds on the engine's clock; without an API server in front, arrival and queueing coincide.
 *
 * @param requestId      the request
 * @param reason         why it stopped
 * @param promptTokens   prompt length in tokens
 * @param outputTokens   output tokens produced
 * @param cachedTokens   prompt tokens served from the prefix cache at its (last) admission
 * @param arrivalNanos   when the API server took it (vLLM's {@code arrival_time}: the prompt tokenized)
 * @param queuedNanos    when the engine core queued it (vLLM's {@code QUEUED} event), at or after arrival
 * @param scheduledNanos when it was first scheduled (left the waiting queue)
 * @param firstTokenNanos when its first output token was produced
 * @param finishedNanos  when it finished
 * @param preemptions    how many times it was preempted
 */
public record FinishedRequest(
        String requestId,
        FinishReason reason,
        int promptTokens,
        int outputTokens,
        int cachedTokens,
        long arrivalNanos,
        long queuedNanos,
        long scheduledNanos,
        long firstTokenNanos,
        long finishedNanos,
        int preemptions) {

    /** vLLM's finish reasons as the OpenAI API reports them. */
    public enum FinishReason {
        /** Reached {@code max_tokens}: OpenAI {@code "length"}. */
        LENGTH,
        /** Produced EOS: OpenAI {@code "stop"}. */
        STOP,
        /** Aborted by the client (disconnect) or the server. */
        ABORT;

        /** The OpenAI {@code finish_reason} string, or null for an abort. */
        public String openAiName() {
            return switch (this) {
                case LENGTH -> "length";
                case STOP -> "stop";
                case ABORT -> null;
            };
        }
    }
}
