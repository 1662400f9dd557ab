package dev.headroom.plan;

/**
 * The API server's time around the engine. Per request, before the engine sees it: tokenization, a cost per prompt
 * token of the server's CPU, for which requests queue (vLLM's OpenAI server is one process), then the rest (HTTP,
 * validation, chat template, the hand-off to the engine core), a constant that delays each request without holding
 * the others back. Per output token, after its step: detokenization and the SSE write, which queue like
 * tokenization. Engine-core CPU per step and per scheduled request is not here: it is part of the step time
 * ({@link StepCostModel}).
 *
 * @param perRequestMs       ingestion of one request, milliseconds (≥ 0)
 * @param perPromptTokenUs   tokenization per prompt token, microseconds (≥ 0)
 * @param perOutputTokenUs   detokenization and streaming per output token, microseconds (≥ 0)
 */
public record FrontEnd(double perRequestMs, double perPromptTokenUs, double perOutputTokenUs) {

    /** No time outside the engine (the engine's own view). */
    public static final FrontEnd NONE = new FrontEnd(0, 0, 0);

    public FrontEnd {
        if (!(perRequestMs >= 0) || !(perPromptTokenUs >= 0) || !(perOutputTokenUs >= 0)) {
            throw new IllegalArgumentException("front-end costs must be >= 0, were " + perRequestMs + " ms, "
                    + perPromptTokenUs + " us per prompt token, " + perOutputTokenUs + " us per output token");
        }
    }

    /** The API server's CPU time tokenizing {@code promptTokens}, nanoseconds: requests queue for it. */
    public long tokenizeNanos(int promptTokens) {
        return Math.round(perPromptTokenUs * 1e3 * promptTokens);
    }

    /**
     * The per-request rest (HTTP, validation, the hand-off to the engine core), nanoseconds: mostly waiting on I/O
     * in the server's event loop, so it delays each request without holding the others back.
     */
    public long handOffNanos() {
        return Math.round(perRequestMs * 1e6);
    }

    /** The API server's time per output token, nanoseconds. */
    public long outputTokenNanos() {
        return Math.round(perOutputTokenUs * 1e3);
    }
}
