package dev.headroom.load;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One streamed request handed to a {@link StreamReactor}: its request bytes, deadline and per-stream parsing state;
 * the caller waits on {@link #await} while the reactor thread fills it in.
 */
final class Exchange {

    final ByteBuffer request;
    final long sentNanos;
    final long deadlineNanos;
    final StreamState state;
    final SseParser sse = new SseParser();
    /** The deadline of the current phase: the connect timeout while connecting, else {@link #deadlineNanos}. */
    long phaseDeadlineNanos;
    private final CompletableFuture<StreamResult> result = new CompletableFuture<>();

    Exchange(byte[] request, long sentNanos, long deadlineNanos, StreamState state) {
        this.request = ByteBuffer.wrap(request);
        this.sentNanos = sentNanos;
        this.deadlineNanos = deadlineNanos;
        this.phaseDeadlineNanos = deadlineNanos;
        this.state = state;
    }

    /** Completes the exchange; later calls are ignored. */
    void finish(StreamResult r) {
        result.complete(r);
    }

    /** Blocks the calling thread until the exchange finished. */
    StreamResult await() {
        return result.join();
    }
}
