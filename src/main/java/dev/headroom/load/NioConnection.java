package dev.headroom.load;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.Arrays;
import java.util.function.Function;

/**
 * One HTTP/1.1 keep-alive connection, plain or TLS (its {@link Wire}), driven by a {@link StreamReactor}: a
 * non-blocking channel (TCP_NODELAY) carrying one {@link Exchange} at a time through connect, handshake, request
 * write, response head and body. An exchange may settle before its response ends (a stream at {@code [DONE]}); the
 * connection then drains the rest of the response, however its bytes are split, and only then is reused.
 * Only the reactor thread touches it.
 */
final class NioConnection implements ChunkedDecoder.Sink {

    /** What the reactor must do with the connection after an event. */
    enum Step {
        /** Nothing: wait for the next event. */
        CONTINUE,
        /** The exchange is settled; the rest of the response is still to be read (see {@link #drainDeadlineNanos}). */
        DRAIN,
        /** The response ended and the connection can carry another request. */
        RELEASE,
        /** Close the connection; its exchange, if any, is settled. */
        CLOSE,
        /** Close the connection and hand its exchange to another: no byte of the request reached the socket. */
        RETRY,
        /**
         * The server closed the connection while it was idle, or before answering a request written on it after an
         * earlier response (its exchange then failed as {@code stale_connection}): close it too, and learn when it did.
         */
        SERVER_CLOSED
    }

    private enum Phase { CONNECT, HANDSHAKE, WRITE, HEAD, BODY, DRAIN, IDLE }

    /** How long a settled response may take to end before its connection is given up rather than reused. */
    static final long DRAIN_NANOS = 250_000_000L;
    /** A request whose connection closed before any byte of it was written is sent at most this many times. */
    private static final int MAX_ATTEMPTS = 3;

    private final SocketChannel channel;
    private final SelectionKey key;
    private final Wire wire;
    private final boolean tls;
    private Phase phase;
    private Exchange exchange;
    private long connectStartNanos;
    private long connectedNanos;
    private long connectNanos = -1;
    private long tlsNanos = -1;
    private byte[] head = new byte[1024];
    private int headLength;
    private ResponseHead response;
    private ChunkedDecoder decoder;
    private long bodyRemaining;
    private long readNanos;
    private long drainDeadlineNanos;
    /** When the last response ended as framed. */
    private long endedNanos;
    /** True while the exchange is on a connection that carried an earlier response (pooled, or handed on after a drain). */
    private boolean reused;

    private NioConnection(SocketChannel channel, Selector selector, Function<SocketChannel, Wire> wires, boolean tls)
            throws IOException {
        this.channel = channel;
        this.key = channel.register(selector, 0, this);
        this.wire = wires.apply(channel);
        this.tls = tls;
    }

    /** Opens a connection to {@code address} for {@code x}; the connect (and handshake) complete on the selector. */
    static NioConnection open(SocketAddress address, Selector selector, Function<SocketChannel, Wire> wires, boolean tls,
                              Exchange x, long connectDeadlineNanos) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            NioConnection c = new NioConnection(channel, selector, wires, tls);
            c.exchange = x;
            c.phase = Phase.CONNECT;
            x.phaseDeadlineNanos = connectDeadlineNanos;
            c.connectStartNanos = System.nanoTime();
            if (!channel.connect(address)) c.key.interestOps(SelectionKey.OP_CONNECT);
            return c;
        } catch (UnresolvedAddressException e) {
            channel.close();
            throw new IOException("unknown host " + address.toString().replaceFirst("/<unresolved>", ""));
        } catch (IOException | RuntimeException | Error e) {
            channel.close();
            throw e;
        }
    }

    /** Completes an immediate connect (loopback may connect at once): call right after {@link #open}. */
    Step start() {
        if (!channel.isConnectionPending() && channel.isConnected()) return onReady(null);
        return Step.CONTINUE;
    }

    /** Starts {@code x} on this idle (or just drained) connection: writes its request. */
    Step reuse(Exchange x) {
        exchange = x;
        reused = true;
        connectNanos = -1;
        tlsNanos = -1;
        try {
            return begin();
        } catch (IOException e) {
            return failed(e);
        }
    }

    Exchange exchange() {
        return exchange;
    }

    boolean draining() {
        return phase == Phase.DRAIN;
    }

    /** True when the connection carries (or carried) its exchange after an earlier response. */
    boolean reused() {
        return reused;
    }

    /** True when the response being read (or drained) lets the connection carry another request: no {@code Connection: close}. */
    boolean keepAlive() {
        return response != null && response.keepAlive();
    }

    /** The deadline of what the connection waits for now: its exchange's phase, or the end of a drain. */
    long deadlineNanos() {
        return phase == Phase.DRAIN ? drainDeadlineNanos : exchange.phaseDeadlineNanos;
    }

    /** True while the exchange is still connecting or in the TLS handshake (a timeout then is a connect failure). */
    boolean connecting() {
        return phase == Phase.CONNECT || phase == Phase.HANDSHAKE;
    }

    /** Handles the key's readiness; {@code buffer} is the reactor's shared read buffer. */
    Step onReady(ByteBuffer buffer) {
        try {
            return switch (phase) {
                case CONNECT -> connect();
                case HANDSHAKE -> handshake();
                case WRITE -> write();
                case HEAD, BODY, DRAIN -> read(buffer);
                case IDLE -> checkIdle(buffer); // An idle connection became readable: usually the server closed it.
            };
        } catch (IOException e) {
            return failed(e);
        }
    }

    /**
     * Whether this idle connection can still carry a request, by one non-blocking read: {@link Step#CONTINUE} when
     * nothing is there to read, {@link Step#SERVER_CLOSED} at end of stream or a reset, {@link Step#CLOSE} when bytes
     * came that no request asked for. {@code buffer} is the reactor's shared read buffer.
     */
    Step checkIdle(ByteBuffer buffer) {
        buffer.clear();
        int n;
        try {
            n = wire.read(buffer);
        } catch (IOException e) {
            return Step.SERVER_CLOSED;
        }
        if (n < 0) return Step.SERVER_CLOSED;
        return n == 0 ? Step.CONTINUE : Step.CLOSE;
    }

    /** True when this connection's last response ended at most {@code windowNanos} before {@code nowNanos}. */
    boolean endedWithin(long nowNanos, long windowNanos) {
        return nowNanos - endedNanos <= windowNanos;
    }

    /** Returns the connection to idle: watched for the server closing it. */
    void idle() {
        phase = Phase.IDLE;
        exchange = null;
        key.interestOps(SelectionKey.OP_READ);
    }

    void close() {
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing is best effort: the socket is gone either way.
        }
    }

    private Step connect() throws IOException {
        if (channel.isConnectionPending() && !channel.finishConnect()) return Step.CONTINUE;
        connectedNanos = System.nanoTime();
        connectNanos = connectedNanos - connectStartNanos;
        phase = Phase.HANDSHAKE;
        return handshake();
    }

    private Step handshake() throws IOException {
        int ops = wire.handshake();
        if (ops != 0) {
            key.interestOps(ops);
            return Step.CONTINUE;
        }
        if (tls) tlsNanos = System.nanoTime() - connectedNanos;
        return begin();
    }

    private Step begin() throws IOException {
        exchange.begin(connectNanos, tlsNanos);
        wire.resetCount();
        headLength = 0;
        response = null;
        decoder = null;
        return write();
    }

    private Step write() throws IOException {
        phase = Phase.WRITE;
        if (wire.write(exchange.request)) {
            phase = Phase.HEAD;
            key.interestOps(SelectionKey.OP_READ);
        } else {
            key.interestOps(SelectionKey.OP_WRITE);
        }
        return Step.CONTINUE;
    }

    private Step read(ByteBuffer buffer) throws IOException {
        do {
            buffer.clear();
            int n = wire.read(buffer);
            long now = System.nanoTime();
            if (n < 0) return endOfStream();
            if (n == 0) continue;
            Step step = phase == Phase.HEAD ? head(buffer.array(), n, now) : body(buffer.array(), 0, n, now);
            if (step != Step.CONTINUE) return step;
        } while (wire.hasBufferedInput());
        return Step.CONTINUE;
    }

    /** Appends a read to the head; only head bytes count against {@link ResponseHead#MAX_BYTES}. */
    private Step head(byte[] bytes, int n, long now) throws IOException {
        if (headLength + n > head.length) head = Arrays.copyOf(head, Math.max(head.length * 2, headLength + n));
        System.arraycopy(bytes, 0, head, headLength, n);
        int scanned = headLength;
        headLength += n;
        int end = ResponseHead.find(head, scanned, headLength);
        if (end < 0 && headLength >= ResponseHead.MAX_BYTES || end > ResponseHead.MAX_BYTES) {
            throw new ProtocolError("response head larger than " + ResponseHead.MAX_BYTES / 1024 + " KiB");
        }
        if (end < 0) return Step.CONTINUE;
        response = ResponseHead.parse(head, 0, end - 4);
        exchange.head(response);
        phase = Phase.BODY;
        if (response.chunked()) {
            decoder = new ChunkedDecoder();
        } else {
            bodyRemaining = response.contentLength();
            if (bodyRemaining == 0) return ended(end == headLength);
        }
        return end == headLength ? Step.CONTINUE : body(head, end, headLength - end, now);
    }

    private Step body(byte[] bytes, int offset, int length, long now) throws IOException {
        readNanos = now;
        int used;
        boolean complete;
        if (decoder != null) {
            try {
                used = decoder.feed(bytes, offset, length, this);
            } catch (IOException malformed) {
                throw new ProtocolError(malformed.getMessage());
            }
            complete = decoder.isDone();
        } else if (bodyRemaining >= 0) {
            used = (int) Math.min(length, bodyRemaining);
            accept(bytes, offset, used);
            bodyRemaining -= used;
            complete = bodyRemaining == 0;
        } else {
            used = length;
            accept(bytes, offset, used);
            complete = false;
        }
        if (complete) return ended(used == length);
        if (phase != Phase.BODY || !exchange.done()) return Step.CONTINUE;
        if (decoder == null && bodyRemaining < 0) return Step.CLOSE; // Ends only at EOF: never reusable.
        phase = Phase.DRAIN;
        exchange = null;
        drainDeadlineNanos = System.nanoTime() + DRAIN_NANOS;
        return Step.DRAIN;
    }

    @Override
    public void accept(byte[] bytes, int offset, int length) {
        if (phase == Phase.BODY) exchange.body(bytes, offset, length, readNanos);
    }

    /** The response ended as framed; the connection is reusable when nothing followed it and the server keeps it. */
    private Step ended(boolean nothingAfter) {
        if (exchange != null) exchange.end(true);
        exchange = null;
        phase = Phase.IDLE;
        endedNanos = System.nanoTime();
        return nothingAfter && response.keepAlive() ? Step.RELEASE : Step.CLOSE;
    }

    private Step endOfStream() {
        switch (phase) {
            case HEAD -> {
                if (headLength == 0) return noResponse("end of stream before the first response byte");
                exchange.fail(Failures.lost("the connection closed inside the response head"));
            }
            case BODY -> exchange.end(decoder == null && bodyRemaining < 0);
            case WRITE -> {
                return noResponse("end of stream while the request was written");
            }
            default -> { }
        }
        return Step.CLOSE;
    }

    /**
     * The connection closed or failed before any response byte: the request goes to another connection only when
     * none of it reached the socket. Otherwise it is never sent again: on a connection that carried an earlier
     * response the server had closed (or was closing) the connection the client chose to reuse, the client's
     * {@code stale_connection} ({@link Step#SERVER_CLOSED}, so the pool learns from it); on a fresh one the server
     * may have the request, {@code connection_closed}.
     */
    private Step noResponse(String detail) {
        if (wire.bytesOnSocket() == 0 && exchange.attempts < MAX_ATTEMPTS) return Step.RETRY;
        if (reused) {
            exchange.fail(Failures.staleConnection(detail));
            return Step.SERVER_CLOSED;
        }
        exchange.fail(Failures.connectionClosed(!exchange.request.hasRemaining()));
        return Step.CLOSE;
    }

    private Step failed(IOException e) {
        String detail = String.valueOf(e.getMessage());
        switch (phase) {
            case CONNECT -> exchange.fail(Failures.connect(detail));
            case HANDSHAKE -> exchange.fail(Failures.connect("TLS handshake: " + detail));
            case WRITE -> {
                return noResponse(detail);
            }
            case HEAD, BODY -> {
                if (e instanceof ProtocolError) exchange.fail(Failures.protocol(detail));
                else if (phase == Phase.HEAD && headLength == 0) return noResponse(detail);
                else exchange.fail(Failures.lost(detail));
            }
            default -> { }
        }
        return Step.CLOSE;
    }

    /** A response the client cannot parse; never retried, never a transport failure. */
    private static final class ProtocolError extends IOException {
        ProtocolError(String message) {
            super(message);
        }
    }
}
