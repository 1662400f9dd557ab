package dev.headroom.metrics;

/**
 * One request's timing as the server's engine reports it: vLLM's per-request {@code metrics} object (vLLM started
 * with {@code --enable-per-request-metrics}; PR #46768, docs/features/per_request_metrics.md), sent in the final
 * usage chunk of a stream, or llama.cpp's {@code timings} ({@link #ofSlot}). Milliseconds; NaN where the server sent
 * null or nothing.
 *
 * @param queueMs      {@code queue_time_ms}: waiting in the scheduler queue before processing began
 * @param ttftMs       {@code time_to_first_token_ms}: from when the request was scheduled to its first output token
 * @param generationMs {@code generation_time_ms}: from the first output token to the last
 * @param meanItlMs    {@code mean_itl_ms}: mean time between output tokens in decode (null for one token)
 */
public record EngineTiming(double queueMs, double ttftMs, double generationMs, double meanItlMs) {

    /**
     * The timing an engine reports for a request it received at {@code arrivalNanos}, first scheduled at
     * {@code scheduledNanos}, whose first and last output tokens came at {@code firstTokenNanos} and
     * {@code lastTokenNanos}: vLLM's definitions (docs/features/per_request_metrics.md). Null when it never produced a
     * token.
     */
    public static EngineTiming of(long arrivalNanos, long scheduledNanos, long firstTokenNanos, long lastTokenNanos,
                                  int outputTokens) {
        if (scheduledNanos < 0 || firstTokenNanos < 0) return null;
        double generationMs = (lastTokenNanos - firstTokenNanos) / 1e6;
        return new EngineTiming((scheduledNanos - arrivalNanos) / 1e6, (firstTokenNanos - scheduledNanos) / 1e6,
                generationMs, outputTokens > 1 ? generationMs / (outputTokens - 1) : Double.NaN);
    }

    /**
     * llama.cpp's per-response {@code timings} (tools/server: {@code server_slot_stats::to_json}): the prompt's
     * evaluation ({@code prompt_ms}) stands for the engine's TTFT and the generation ({@code predicted_ms}) for
     * its generation time; llama.cpp does not time the wait for a slot, so the queue time is NaN.
     */
    public static EngineTiming ofSlot(double promptMs, double predictedMs) {
        return new EngineTiming(Double.NaN, promptMs, predictedMs, Double.NaN);
    }

    /**
     * The part of a client-measured TTFT that the engine does not account for, in ms: {@code clientTtftMs} minus
     * the engine's queue time and TTFT. It is the server's front end (HTTP, validation, tokenization, chat template,
     * the hand-over to the engine, detokenization and the SSE write), the network and the client's read; NaN when
     * the engine did not report both parts.
     */
    public double outsideEngineMs(double clientTtftMs) {
        return clientTtftMs - queueMs - ttftMs;
    }

    /** True when the engine reported the queue time and TTFT that {@link #outsideEngineMs} needs. */
    public boolean splitsTtft() {
        return !Double.isNaN(queueMs) && !Double.isNaN(ttftMs);
    }
}
