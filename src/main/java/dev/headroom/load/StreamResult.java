package dev.headroom.load;

import dev.headroom.metrics.ConnectionTimings;
import dev.headroom.metrics.EngineTiming;
import dev.headroom.metrics.RequestError;

/**
 * What one streamed request produced, in absolute {@code System.nanoTime()} stamps.
 *
 * @param sentNanos         immediately before the request's first byte was written to a ready connection (vLLM's
 *                          TTFT start); when it was never written, when it was handed to the client
 * @param chunkNanos        arrival of each token-bearing message, ascending
 * @param serverSentNanos   the server's send stamp per token-bearing message (loopback self-test), or null
 * @param firstContentNanos arrival of the first message with non-empty text, or -1
 * @param contentChunks     how many messages carried non-empty text (the output count when usage is missing)
 * @param promptTokens      {@code usage.prompt_tokens}, or -1 when the server sent no usage
 * @param completionTokens  {@code usage.completion_tokens}, or -1 when the server sent no usage
 * @param error             why the request failed, or null
 * @param connection        connect and TLS handshake times and attempts
 * @param cachedTokens      {@code usage.prompt_tokens_details.cached_tokens}, or -1 when the server sent none
 * @param text              the streamed answer (the first choice's text) when it was kept, else null
 * @param engine            the server's per-request timing (vLLM's {@code metrics}), or null when it sent none
 */
public record StreamResult(long sentNanos, long[] chunkNanos, long[] serverSentNanos, long firstContentNanos, int contentChunks,
                           int promptTokens, int completionTokens, RequestError error,
                           ConnectionTimings connection, int cachedTokens, String text, EngineTiming engine) {

    /** A result without cached tokens or kept text. */
    public StreamResult(long sentNanos, long[] chunkNanos, long[] serverSentNanos, long firstContentNanos, int contentChunks,
                        int promptTokens, int completionTokens, RequestError error, ConnectionTimings connection) {
        this(sentNanos, chunkNanos, serverSentNanos, firstContentNanos, contentChunks, promptTokens, completionTokens,
                error, connection, -1, null, null);
    }

    /** True when the server reported usage for this request. */
    public boolean usageReported() {
        return completionTokens >= 0;
    }
}
