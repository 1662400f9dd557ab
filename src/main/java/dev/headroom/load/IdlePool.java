package dev.headroom.load;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The idle keep-alive connections of one endpoint, newest first, and what the endpoint was seen to do with
 * connections after a response. Some servers close every connection right after its response without saying
 * {@code Connection: close}: llama.cpp's {@code llama-server} ends a stream by writing the chunked terminator and then
 * returning false from its content provider, which its cpp-httplib takes as a cancelled write and closes the socket.
 * A request written on such a connection before its FIN arrives is lost, and may not be sent again (headroom never
 * re-sends), and no check can see a FIN that is still to come. So the pool learns before it reuses:
 * <ul>
 *   <li>unknown (the start): no connection is reused; one, the witness, is kept idle and watched;</li>
 *   <li>keeps connections: the witness (or any idle connection) stayed open {@value #CLOSED_AFTER_RESPONSE_NANOS} ns
 *       after its response ended; from then on connections are pooled and reused, each checked by a non-blocking
 *       read before it carries a request;</li>
 *   <li>closes connections: one was closed by the server within that time of its response; none is kept again.</li>
 * </ul>
 * Only the reactor thread calls it, but for {@link #serverCloses}.
 */
final class IdlePool {

    /**
     * A close at most this long after a response ended counts as closing after the response; servers' keep-alive
     * timeouts (uvicorn's 5 s, cpp-httplib's 5 s, nginx's 75 s) are far longer, so their idle closes do not. A
     * connection idle this long without a close proves the endpoint keeps connections.
     */
    static final long CLOSED_AFTER_RESPONSE_NANOS = 1_000_000_000L;

    private final ArrayDeque<NioConnection> idle = new ArrayDeque<>();
    private boolean keepsConnections;
    private volatile boolean serverCloses;

    /** A pool that learns the endpoint's habit first ({@code trusted} false), or reuses from the first response. */
    IdlePool(boolean trusted) {
        this.keepsConnections = trusted;
    }

    /** True once the server was seen closing a connection right after a complete response that did not say close. */
    boolean serverCloses() {
        return serverCloses;
    }

    /** True once the endpoint is known to keep connections open after their responses: they may be reused. */
    boolean keepsConnections() {
        return keepsConnections && !serverCloses;
    }

    /**
     * The newest idle connection that is still open, or null; those found closed or dirty are closed on the way.
     * While the endpoint's habit is unknown, the witness is taken only once it outlived
     * {@link #CLOSED_AFTER_RESPONSE_NANOS}, which proves the endpoint keeps connections.
     */
    NioConnection take(ByteBuffer buffer) {
        if (!keepsConnections) {
            NioConnection witness = idle.peekFirst();
            if (witness == null || !open(witness, buffer)) return null;
            if (witness.endedWithin(System.nanoTime(), CLOSED_AFTER_RESPONSE_NANOS)) return null;
            keepsConnections = true;
        }
        NioConnection c;
        while ((c = idle.peekFirst()) != null) {
            if (open(c, buffer)) return idle.pollFirst();
        }
        return null;
    }

    /**
     * True when {@code c}, whose response just ended, may stay open: the endpoint is not known to close connections,
     * a non-blocking read finds nothing, and, while the endpoint's habit is unknown, no witness is kept yet.
     * Otherwise closes it (learning from a close) and returns false. Whether a kept connection may carry a request
     * at once is {@link #keepsConnections}.
     */
    boolean keep(NioConnection c, ByteBuffer buffer) {
        if (serverCloses || (!keepsConnections && !idle.isEmpty())) {
            c.close();
            return false;
        }
        return open(c, buffer);
    }

    /** Parks {@code c} (checked by {@link #keep}) until a request takes it; the selector watches it for a close. */
    void add(NioConnection c) {
        c.idle();
        idle.addFirst(c);
    }

    /**
     * The server closed {@code c}, idle or as a request was written on it: when that came right after its response,
     * learns that the endpoint closes connections; when it came later, that the endpoint keeps them.
     */
    void closedByServer(NioConnection c) {
        idle.remove(c);
        if (serverCloses) return;
        if (c.endedWithin(System.nanoTime(), CLOSED_AFTER_RESPONSE_NANOS)) {
            serverCloses = true;
            closeAll();
        } else {
            keepsConnections = true;
        }
    }

    void remove(NioConnection c) {
        idle.remove(c);
    }

    void closeAll() {
        idle.forEach(NioConnection::close);
        idle.clear();
    }

    /**
     * True when a non-blocking read on {@code c} finds nothing; else closes it and drops it from the pool, learning
     * from a server's close.
     */
    private boolean open(NioConnection c, ByteBuffer buffer) {
        NioConnection.Step check = c.checkIdle(buffer);
        if (check == NioConnection.Step.CONTINUE) return true;
        if (check == NioConnection.Step.SERVER_CLOSED) closedByServer(c);
        idle.remove(c);
        c.close();
        return false;
    }
}
