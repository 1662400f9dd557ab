package dev.headroom.load;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The idle keep-alive connections of one endpoint, newest first, and whether the endpoint closes every connection
 * after its response. Some servers do so without saying {@code Connection: close}: llama.cpp's {@code llama-server}
 * ends a stream by writing the chunked terminator and then returning false from its content provider, which its
 * cpp-httplib takes as a cancelled write and closes the socket. A request written on such a connection before its
 * FIN arrives is lost, and may not be sent again (the server may have read it), so every connection is checked by
 * a non-blocking read before it carries a request, and once the endpoint is seen closing a connection right after a
 * complete response, its connections are not kept at all. Only the reactor thread calls it, but for
 * {@link #serverCloses}.
 */
final class IdlePool {

    /**
     * A close at most this long after a response ended counts as closing after the response; servers' keep-alive
     * timeouts (uvicorn's 5 s, cpp-httplib's 5 s, nginx's 75 s) are far longer, so their idle closes do not.
     */
    static final long CLOSED_AFTER_RESPONSE_NANOS = 1_000_000_000L;

    private final ArrayDeque<NioConnection> idle = new ArrayDeque<>();
    private volatile boolean serverCloses;

    /** True once the server was seen closing a connection right after a complete response that did not say close. */
    boolean serverCloses() {
        return serverCloses;
    }

    /** The newest idle connection that is still open, or null; those found closed or dirty are closed on the way. */
    NioConnection take(ByteBuffer buffer) {
        NioConnection c;
        while ((c = idle.pollFirst()) != null) {
            if (keep(c, buffer)) return c;
        }
        return null;
    }

    /**
     * True when {@code c}, whose response just ended, may carry another request: the endpoint keeps connections and
     * a non-blocking read finds nothing. Otherwise closes it (learning from a close) and returns false.
     */
    boolean keep(NioConnection c, ByteBuffer buffer) {
        if (serverCloses) {
            c.close();
            return false;
        }
        NioConnection.Step check = c.checkIdle(buffer);
        if (check == NioConnection.Step.CONTINUE) return true;
        if (check == NioConnection.Step.SERVER_CLOSED) closedByServer(c);
        c.close();
        return false;
    }

    /** Parks {@code c} (checked by {@link #keep}) until a request takes it; the selector watches it for a close. */
    void add(NioConnection c) {
        c.idle();
        idle.addFirst(c);
    }

    /** The server closed {@code c} while no request was on it: when that came right after its response, learns it. */
    void closedByServer(NioConnection c) {
        idle.remove(c);
        if (!serverCloses && c.endedWithin(System.nanoTime(), CLOSED_AFTER_RESPONSE_NANOS)) {
            serverCloses = true;
            closeAll();
        }
    }

    void remove(NioConnection c) {
        idle.remove(c);
    }

    void closeAll() {
        idle.forEach(NioConnection::close);
        idle.clear();
    }
}
