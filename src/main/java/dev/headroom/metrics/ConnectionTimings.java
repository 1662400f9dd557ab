package dev.headroom.metrics;

/**
 * How a request got its connection, in the manner of k6's {@code http_req_connecting} and
 * {@code http_req_tls_handshaking}: kept apart from TTFT, which starts once the connection is ready.
 *
 * @param connectNanos      TCP connect time of the connection this request opened, or -1 when it reused one
 * @param tlsHandshakeNanos TLS handshake time of the connection this request opened, or -1 (plain HTTP or reused)
 * @param attempts          how many times the request was handed to a connection: 2 when a pooled connection
 *                          turned out closed before any byte of the request was written and it was sent again
 */
public record ConnectionTimings(long connectNanos, long tlsHandshakeNanos, int attempts) {

    /** No connection facts: a predicted request, or a record read from a file that has none. */
    public static final ConnectionTimings NONE = new ConnectionTimings(-1, -1, 1);

    public ConnectionTimings {
        if (attempts < 0) throw new IllegalArgumentException("attempts must be >= 0, was " + attempts);
    }

    /** True when the request opened a new connection (its TCP connect completed). */
    public boolean openedConnection() {
        return connectNanos >= 0;
    }
}
