package dev.headroom.metrics;

import java.util.Objects;

/**
 * One request as measured (by the network client) or predicted (by the simulator's offline runner): the one
 * record type everything downstream works on.
 *
 * <p>All times are nanoseconds relative to the run's start ({@code System.nanoTime()} on a real run, the virtual
 * clock offline); {@code -1} means "never happened". {@code chunkNanos} holds the arrival time of every
 * token-bearing SSE message (vLLM bench: a {@code data:} message with a non-empty {@code choices} list), so
 * TTFT = chunk[0] − sent, E2EL = chunk[last] − sent and the pooled ITL list are all derived from it.
 *
 * @param requestId         the {@code x-request-id} sent with the request
 * @param scheduledNanos    when the load pattern meant the request to be sent (open loop: its arrival time;
 *                          closed loop: when its concurrency slot was requested)
 * @param sentNanos         immediately before the request's first byte was written to a ready connection (after
 *                          any TCP connect and TLS handshake, which {@code connection} times apart)
 * @param chunkNanos        arrival of each token-bearing message, ascending
 * @param firstContentNanos arrival of the first message with non-empty text content, or -1
 * @param promptTokens      prompt tokens (server usage when {@code usageReported}, else the client's count)
 * @param outputTokens      output tokens (server usage when {@code usageReported}, else the client's count)
 * @param usageReported     whether the token counts came from the server's {@code usage}
 * @param error             why the request failed, or null when it succeeded
 * @param connection        connect and TLS times and attempts ({@link ConnectionTimings#NONE} when not measured)
 * @param cachedTokens      {@code usage.prompt_tokens_details.cached_tokens} (prompt tokens the server's prefix cache
 *                          served), or -1 when the server did not report it
 * @param turn              the turn of a multi-turn session (0 first), or -1 for a single-turn request
 * @param engine            the server's own per-request timing (vLLM's {@code metrics}), or null when it sent none
 * @param exactOutputTokens the output tokens the request asked for exactly ({@code max_tokens} with {@code ignore_eos}
 *                          and {@code min_tokens}), or -1 when it did not ask for exact output
 */
public record RequestRecord(
        String requestId,
        long scheduledNanos,
        long sentNanos,
        long[] chunkNanos,
        long firstContentNanos,
        int promptTokens,
        int outputTokens,
        boolean usageReported,
        RequestError error,
        ConnectionTimings connection,
        int cachedTokens,
        int turn,
        EngineTiming engine,
        int exactOutputTokens) {

    public RequestRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(chunkNanos, "chunkNanos");
        Objects.requireNonNull(connection, "connection");
        if (cachedTokens < -1 || turn < -1) throw new IllegalArgumentException("cachedTokens and turn must be >= -1");
        if (exactOutputTokens < -1 || exactOutputTokens == 0) {
            throw new IllegalArgumentException("exactOutputTokens must be -1 or at least 1, was " + exactOutputTokens);
        }
        if (error == null && chunkNanos.length == 0) {
            // vLLM bench serve: success needs at least one token-bearing chunk.
            error = RequestError.noTokens();
        }
    }

    /** A record of a request that did not ask for exact output. */
    public RequestRecord(String requestId, long scheduledNanos, long sentNanos, long[] chunkNanos, long firstContentNanos,
                         int promptTokens, int outputTokens, boolean usageReported, RequestError error,
                         ConnectionTimings connection, int cachedTokens, int turn, EngineTiming engine) {
        this(requestId, scheduledNanos, sentNanos, chunkNanos, firstContentNanos, promptTokens, outputTokens,
                usageReported, error, connection, cachedTokens, turn, engine, -1);
    }

    /** A record without the server's per-request timing. */
    public RequestRecord(String requestId, long scheduledNanos, long sentNanos, long[] chunkNanos, long firstContentNanos,
                         int promptTokens, int outputTokens, boolean usageReported, RequestError error,
                         ConnectionTimings connection, int cachedTokens, int turn) {
        this(requestId, scheduledNanos, sentNanos, chunkNanos, firstContentNanos, promptTokens, outputTokens,
                usageReported, error, connection, cachedTokens, turn, null);
    }

    /** A single-turn record without a cached-token count. */
    public RequestRecord(String requestId, long scheduledNanos, long sentNanos, long[] chunkNanos, long firstContentNanos,
                         int promptTokens, int outputTokens, boolean usageReported, RequestError error,
                         ConnectionTimings connection) {
        this(requestId, scheduledNanos, sentNanos, chunkNanos, firstContentNanos, promptTokens, outputTokens,
                usageReported, error, connection, -1, -1);
    }

    /** A record without connection facts (predicted, or read from an older file). */
    public RequestRecord(String requestId, long scheduledNanos, long sentNanos, long[] chunkNanos, long firstContentNanos,
                         int promptTokens, int outputTokens, boolean usageReported, RequestError error) {
        this(requestId, scheduledNanos, sentNanos, chunkNanos, firstContentNanos, promptTokens, outputTokens,
                usageReported, error, ConnectionTimings.NONE);
    }

    /** This record tagged as turn {@code t} of a session. */
    public RequestRecord withTurn(int t) {
        return new RequestRecord(requestId, scheduledNanos, sentNanos, chunkNanos, firstContentNanos, promptTokens,
                outputTokens, usageReported, error, connection, cachedTokens, t, engine, exactOutputTokens);
    }

    /** This record with the server's cached-token count ({@code -1}: not reported). */
    public RequestRecord withCachedTokens(int tokens) {
        return new RequestRecord(requestId, scheduledNanos, sentNanos, chunkNanos, firstContentNanos, promptTokens,
                outputTokens, usageReported, error, connection, tokens, turn, engine, exactOutputTokens);
    }

    /** This record with the server's per-request timing (null: not reported). */
    public RequestRecord withEngineTiming(EngineTiming timing) {
        return new RequestRecord(requestId, scheduledNanos, sentNanos, chunkNanos, firstContentNanos, promptTokens,
                outputTokens, usageReported, error, connection, cachedTokens, turn, timing, exactOutputTokens);
    }

    /** This record of a request that asked for exactly {@code tokens} output tokens ({@code -1}: it did not). */
    public RequestRecord withExactOutput(int tokens) {
        return new RequestRecord(requestId, scheduledNanos, sentNanos, chunkNanos, firstContentNanos, promptTokens,
                outputTokens, usageReported, error, connection, cachedTokens, turn, engine, tokens);
    }

    /** True when the request succeeded as vLLM bench serve defines it: no error and at least one token chunk. */
    public boolean ok() {
        return error == null;
    }

    /** True when the run was stopped while this request was in flight: neither a success nor a server failure. */
    public boolean cancelled() {
        return error != null && error.kind() == RequestError.Kind.CANCELLED;
    }

    /** True when the request failed because of headroom's own client, not the server (summary.json {@code client_failed}). */
    public boolean clientFailed() {
        return error != null && error.kind().byClient();
    }

    /**
     * True when the request completed with fewer output tokens than it asked for exactly: the server cut it short
     * (llama-server stops a request at its slot's context, with finish reason {@code length}, even under
     * {@code ignore_eos}). Judged on the server's own usage count only: without usage the client counts messages,
     * and a server may pack several tokens into one.
     */
    public boolean shortOutput() {
        return ok() && exactOutputTokens > 0 && usageReported && outputTokens < exactOutputTokens;
    }

    /** Arrival of the first token-bearing message, or -1 when none arrived. */
    public long firstTokenNanos() {
        return chunkNanos.length == 0 ? -1 : chunkNanos[0];
    }

    /** Arrival of the last token-bearing message, or -1 when none arrived. */
    public long lastTokenNanos() {
        return chunkNanos.length == 0 ? -1 : chunkNanos[chunkNanos.length - 1];
    }

    /** Time to first token from the actual send (vLLM's TTFT), or -1. */
    public long ttftNanos() {
        return chunkNanos.length == 0 ? -1 : chunkNanos[0] - sentNanos;
    }

    /** End-to-end latency from the actual send to the last token-bearing message (vLLM's E2EL), or -1. */
    public long e2elNanos() {
        return chunkNanos.length == 0 ? -1 : lastTokenNanos() - sentNanos;
    }

    /** Time spent waiting in the client between the intended and the actual send (vLLM's client_queue_time). */
    public long clientQueueNanos() {
        return sentNanos - scheduledNanos;
    }

    /** A failed request with no tokens, for failures before or without any stream. */
    public static RequestRecord failed(String requestId, long scheduledNanos, long sentNanos, int promptTokens,
                                       RequestError error) {
        return new RequestRecord(requestId, scheduledNanos, sentNanos, new long[0], -1, promptTokens, 0, false,
                Objects.requireNonNull(error, "error"));
    }
}
