package dev.headroom.engine;

/**
 * A simulated vLLM engine running on the wall clock, as the HTTP server drives it. Thread-safe: any thread may
 * submit or abort; progress arrives on the engine's thread through each request's {@link TokenSink}.
 */
public interface ServingEngine extends AutoCloseable {

    /** Queues a request; its sink receives tokens and exactly one {@code onFinished}. */
    void submit(EngineRequest request, TokenSink sink);

    /** Aborts a queued or running request (the client went away); its sink gets {@code onFinished(ABORT)}. */
    void abort(String requestId);

    /** The engine's state and counters now, for {@code /metrics} and the periodic stats log line. */
    EngineSnapshot snapshot();

    /** Stops the engine thread; pending requests are aborted. */
    @Override
    void close();
}
