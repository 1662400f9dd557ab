package dev.headroom.plan;

/**
 * The API server's time around the engine (vLLM's OpenAI server is one process: requests and outputs queue for
 * it). Per request, before the engine sees it: HTTP, validation, chat template and tokenization, a constant plus a
 * cost per prompt token. Per output token, after its step: detokenization and the SSE write. Engine-core CPU per
 * step and per scheduled request is not here: it is part of the step time ({@link StepCostModel}).
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

    /** The API server's time to take in a request of {@code promptTokens}, nanoseconds. */
    public long ingestNanos(int promptTokens) {
        return Math.round(perRequestMs * 1e6 + perPromptTokenUs * 1e3 * promptTokens);
    }

    /** The API server's time per output token, nanoseconds. */
    public long outputTokenNanos() {
        return Math.round(perOutputTokenUs * 1e3);
    }
}
