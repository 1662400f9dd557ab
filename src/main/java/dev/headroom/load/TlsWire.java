package dev.headroom.load;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * TLS on a non-blocking channel through the JDK's {@link SSLEngine}: records are read into {@code netIn} and
 * decrypted straight into the caller's buffer, so a TLS chunk costs one read, one unwrap and the same in-place
 * parsing as a plain one. Handshake tasks run inline on the reactor thread (they are rare: once per connection).
 */
final class TlsWire implements Wire {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private final ByteBuffer handshakeApp;
    private boolean started;
    private boolean moreBuffered;
    private long written;

    TlsWire(SocketChannel channel, SSLEngine engine) {
        this.channel = channel;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet * 4);
        this.netOut = ByteBuffer.allocate(packet * 2);
        this.handshakeApp = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    @Override
    public int handshake() throws IOException {
        if (!started) {
            engine.beginHandshake();
            started = true;
        }
        while (true) {
            if (!flush()) return SelectionKey.OP_WRITE;
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> check(engine.wrap(EMPTY, netOut));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrapHandshake()) return SelectionKey.OP_READ;
                }
                default -> {
                    return 0;
                }
            }
        }
    }

    private boolean unwrapHandshake() throws IOException {
        netIn.flip();
        SSLEngineResult r = engine.unwrap(netIn, handshakeApp);
        netIn.compact();
        handshakeApp.clear();
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) throw new EOFException("server closed the TLS session during the handshake");
        if (r.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW) return true;
        int n = channel.read(netIn);
        if (n < 0) throw new EOFException("connection closed during the TLS handshake");
        return n > 0;
    }

    @Override
    public boolean write(ByteBuffer src) throws IOException {
        while (flush() && src.hasRemaining()) check(engine.wrap(src, netOut));
        return !src.hasRemaining() && netOut.position() == 0;
    }

    @Override
    public long bytesOnSocket() {
        return written;
    }

    @Override
    public void resetCount() {
        written = 0;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        boolean eof = !moreBuffered && channel.read(netIn) < 0;
        moreBuffered = false;
        int produced = 0;
        netIn.flip();
        try {
            while (netIn.hasRemaining()) {
                if (dst.remaining() < engine.getSession().getApplicationBufferSize()) {
                    moreBuffered = true;
                    break;
                }
                SSLEngineResult r = engine.unwrap(netIn, dst);
                produced += r.bytesProduced();
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    eof = true;
                    break;
                }
                if (r.getStatus() != SSLEngineResult.Status.OK) break;
                if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) runTasks();
                // TLS 1.3 key updates need an answer; the answer goes out with the next write or here.
                if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                    check(engine.wrap(EMPTY, netOut));
                    flush();
                }
            }
        } finally {
            netIn.compact();
        }
        return produced == 0 && eof ? -1 : produced;
    }

    @Override
    public boolean hasBufferedInput() {
        return moreBuffered;
    }

    /** Writes buffered TLS records; true when none are left. */
    private boolean flush() throws IOException {
        if (netOut.position() == 0) return true;
        netOut.flip();
        try {
            int n = channel.write(netOut);
            if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) written += n;
        } finally {
            netOut.compact();
        }
        return netOut.position() == 0;
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) task.run();
    }

    private static void check(SSLEngineResult r) throws SSLException {
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) throw new SSLException("the TLS session is closed");
        if (r.getStatus() != SSLEngineResult.Status.OK) throw new SSLException("TLS wrap failed: " + r.getStatus());
    }
}
