package dev.headroom.load;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The byte layer under one {@link NioConnection}: plain TCP, or TLS through an {@code SSLEngine}, on the same
 * non-blocking channel and the same selector, so plain and TLS streams share one state machine. Only the reactor
 * thread touches a wire.
 */
sealed interface Wire permits PlainWire, TlsWire {

    /**
     * Advances the TLS handshake as far as the socket allows: returns 0 when the wire is ready for application
     * bytes, else the {@code SelectionKey} interest ops to wait for. Plain wires are ready at once.
     */
    int handshake() throws IOException;

    /**
     * Writes as much of {@code src} as the socket takes; true when {@code src} and every byte buffered for it are on
     * the socket. {@link #bytesOnSocket} tells whether any of it left.
     */
    boolean write(ByteBuffer src) throws IOException;

    /** Bytes handed to the socket since the last {@link #resetCount} (TLS: encrypted bytes, handshake excluded). */
    long bytesOnSocket();

    void resetCount();

    /** Reads application bytes into {@code dst} from its position; returns their count (maybe 0), or -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /** True when input is buffered that a further {@link #read} can deliver without the socket becoming readable. */
    boolean hasBufferedInput();
}
