package dev.headroom.load;

import dev.headroom.metrics.ConnectionTimings;
import dev.headroom.metrics.RequestError;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One request handed to a {@link StreamReactor} and what it learns about its response. A connection drives it:
 * {@link #begin} when the request's first byte is about to be written, then {@link #head}, {@link #body} and
 * {@link #end}, or {@link #fail} at any point. Only the reactor thread calls these; callers wait on the subclass's
 * future, whose completion publishes every field.
 */
abstract class Exchange {

    final ByteBuffer request;
    /** When the caller handed the request over: the send stamp of a request that never reached a connection. */
    final long handedNanos;
    final long deadlineNanos;
    /** The deadline of the current phase: the connect timeout while connecting, else {@link #deadlineNanos}. */
    long phaseDeadlineNanos;
    /** Immediately before the request's first byte was written to a ready connection; -1 until then. */
    long sentNanos = -1;
    long connectNanos = -1;
    long tlsHandshakeNanos = -1;
    int attempts;

    Exchange(byte[] request, long handedNanos, long deadlineNanos) {
        this.request = ByteBuffer.wrap(request);
        this.handedNanos = handedNanos;
        this.deadlineNanos = deadlineNanos;
        this.phaseDeadlineNanos = deadlineNanos;
    }

    /** A connection is ready and about to write the request (again, from its first byte, on a retry). */
    final void begin(long connectNanos, long tlsHandshakeNanos) {
        request.rewind();
        attempts++;
        this.connectNanos = connectNanos;
        this.tlsHandshakeNanos = tlsHandshakeNanos;
        this.phaseDeadlineNanos = deadlineNanos;
        this.sentNanos = System.nanoTime();
    }

    /** The send stamp results report: the write stamp, or the hand-over stamp when nothing was written. */
    final long sendStamp() {
        return sentNanos >= 0 ? sentNanos : handedNanos;
    }

    final ConnectionTimings timings() {
        return new ConnectionTimings(connectNanos, tlsHandshakeNanos, Math.max(1, attempts));
    }

    /** The response head arrived. */
    abstract void head(ResponseHead head);

    /** Body bytes (de-chunked), with the stamp of the read that delivered them; true once the exchange has its outcome. */
    abstract boolean body(byte[] bytes, int offset, int length, long readNanos);

    /** The body ended: {@code complete} when it ended as framed (terminator, full length), false when the connection was lost. */
    abstract void end(boolean complete);

    /** Ends the exchange with {@code error}; later calls are ignored. */
    abstract void fail(RequestError error);

    /** True once the outcome is settled (the connection may still be draining the response). */
    final boolean done() {
        return settled().isDone();
    }

    /** Completes when the outcome is settled, with it. */
    abstract CompletableFuture<?> settled();
}
