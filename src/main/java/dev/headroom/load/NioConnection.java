package dev.headroom.load;

import dev.headroom.metrics.RequestError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.Arrays;

/**
 * One plain-HTTP/1.1 keep-alive connection driven by a {@link StreamReactor}: a non-blocking channel (TCP_NODELAY)
 * carrying one {@link Exchange} at a time through connect, request write, response head and body. Body bytes go
 * through the shared {@link ChunkedDecoder}, {@link SseParser} and {@link StreamState} in place, stamped once per read.
 * Only the reactor thread touches it.
 */
final class NioConnection implements ChunkedDecoder.Sink {

    /** What the reactor must do with the connection after an event. */
    enum Step { CONTINUE, RELEASE, CLOSE, RETRY }

    private enum Phase { CONNECT, WRITE, HEAD, BODY }

    private static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    private final SocketChannel channel;
    private final SelectionKey key;
    private Exchange exchange;
    private Phase phase;
    private boolean pooled;
    private byte[] head = new byte[1024];
    private int headLength;
    private HttpConnection.Head responseHead;
    private ChunkedDecoder decoder;
    private long bodyRemaining;
    private ByteArrayOutputStream errorBody;

    private NioConnection(SocketChannel channel, Selector selector) throws IOException {
        this.channel = channel;
        this.key = channel.register(selector, 0, this);
    }

    /** Opens a connection to {@code address} and starts {@code x} on it; the connect completes on the selector. */
    static NioConnection open(SocketAddress address, Selector selector, Exchange x, long connectDeadlineNanos) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            NioConnection c = new NioConnection(channel, selector);
            c.begin(x, false);
            c.phase = Phase.CONNECT;
            x.phaseDeadlineNanos = connectDeadlineNanos;
            if (channel.connect(address)) c.connected();
            else c.key.interestOps(SelectionKey.OP_CONNECT);
            return c;
        } catch (UnresolvedAddressException e) {
            channel.close();
            throw new ConnectException("unknown host: " + address);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Starts {@code x} on this idle pooled connection: writes its request. */
    Step reuse(Exchange x) {
        begin(x, true);
        try {
            return write();
        } catch (IOException stale) {
            return Step.RETRY;
        }
    }

    private void begin(Exchange x, boolean fromPool) {
        exchange = x;
        pooled = fromPool;
        headLength = 0;
        responseHead = null;
        decoder = null;
        errorBody = null;
        x.phaseDeadlineNanos = x.deadlineNanos;
    }

    Exchange exchange() {
        return exchange;
    }

    /** Handles the key's readiness; {@code buffer} is the reactor's shared read buffer. */
    Step onReady(ByteBuffer buffer) {
        if (exchange == null) return Step.CLOSE; // An idle connection became readable: the server closed it.
        try {
            return switch (phase) {
                case CONNECT -> {
                    if (!channel.finishConnect()) yield Step.CONTINUE;
                    connected();
                    yield phase == Phase.WRITE ? write() : Step.CONTINUE;
                }
                case WRITE -> write();
                case HEAD, BODY -> read(buffer);
            };
        } catch (IOException e) {
            return failed(e);
        }
    }

    /** Ends the exchange with {@code error} (timeout, cancellation); the connection must then be closed. */
    void fail(RequestError error) {
        if (exchange != null) exchange.finish(exchange.state.result(exchange.sentNanos, error));
        exchange = null;
    }

    /** Returns the connection to idle: watched for the server closing it. */
    void idle() {
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

    private void connected() throws IOException {
        phase = Phase.WRITE;
        exchange.phaseDeadlineNanos = exchange.deadlineNanos;
        key.interestOps(SelectionKey.OP_WRITE);
    }

    private Step write() throws IOException {
        phase = Phase.WRITE;
        channel.write(exchange.request);
        if (exchange.request.hasRemaining()) {
            key.interestOps(SelectionKey.OP_WRITE);
        } else {
            phase = Phase.HEAD;
            key.interestOps(SelectionKey.OP_READ);
        }
        return Step.CONTINUE;
    }

    private Step read(ByteBuffer buffer) throws IOException {
        buffer.clear();
        int n = channel.read(buffer);
        long readNanos = System.nanoTime();
        if (n < 0) return endOfStream();
        if (phase == Phase.BODY) return body(buffer.array(), 0, n, readNanos);
        if (headLength + n > MAX_HEAD_BYTES) throw new IOException("response head larger than 16 KiB");
        if (headLength + n > head.length) head = Arrays.copyOf(head, Math.max(head.length * 2, headLength + n));
        System.arraycopy(buffer.array(), 0, head, headLength, n);
        int from = Math.max(0, headLength - 3);
        headLength += n;
        for (int i = from; i + 3 < headLength; i++) {
            if (head[i] == '\r' && head[i + 1] == '\n' && head[i + 2] == '\r' && head[i + 3] == '\n') return headEnd(i, readNanos);
        }
        return Step.CONTINUE;
    }

    private Step headEnd(int end, long readNanos) throws IOException {
        responseHead = HttpConnection.Head.parse(head, 0, end);
        phase = Phase.BODY;
        if (responseHead.chunked()) decoder = new ChunkedDecoder();
        else bodyRemaining = responseHead.contentLength();
        if (responseHead.status() != 200) errorBody = new ByteArrayOutputStream();
        return body(head, end + 4, headLength - end - 4, readNanos);
    }

    private Step body(byte[] bytes, int offset, int length, long readNanos) throws IOException {
        exchange.state.readNanos = readNanos;
        int used;
        boolean complete;
        if (decoder != null) {
            used = decoder.feed(bytes, offset, length, this);
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
        boolean extraBytes = used < length;
        return afterBody(complete, complete && !extraBytes && responseHead.keepAlive());
    }

    @Override
    public void accept(byte[] buffer, int offset, int length) {
        if (errorBody != null) {
            errorBody.write(buffer, offset, Math.min(length, MAX_ERROR_BODY_BYTES - errorBody.size()));
        } else if (!exchange.state.finished()) {
            exchange.sse.feed(buffer, offset, length, exchange.state);
        }
    }

    private Step afterBody(boolean complete, boolean reusable) {
        StreamState state = exchange.state;
        if (errorBody != null) {
            if (!complete) return Step.CONTINUE;
            return finish(new RequestError(RequestError.Kind.HTTP, responseHead.status(),
                    StreamingClient.errorMessage(errorBody.toByteArray())), reusable);
        }
        if (state.error() != null) return finish(null, false);
        if (state.sawDone()) return finish(null, reusable);
        if (!complete) return Step.CONTINUE;
        return finish(exchange.sse.hasPartialEvent() ? truncated() : null, false);
    }

    private Step endOfStream() {
        if (phase == Phase.HEAD) {
            if (pooled && headLength == 0) return Step.RETRY;
            return finish(new RequestError(RequestError.Kind.TRUNCATED, 0, "connection lost: connection closed before a response"), false);
        }
        if (decoder == null && bodyRemaining < 0) return afterBody(true, false);
        if (errorBody != null) return afterBody(true, false);
        return finish(truncated(), false);
    }

    private Step failed(IOException e) {
        if (pooled && (phase == Phase.WRITE || phase == Phase.HEAD && headLength == 0)) return Step.RETRY;
        StreamState state = exchange.state;
        if (phase == Phase.CONNECT) return finish(new RequestError(RequestError.Kind.CONNECT, 0, String.valueOf(e.getMessage())), false);
        if (state.finished() || state.sawDone()) return finish(null, false);
        return finish(new RequestError(RequestError.Kind.TRUNCATED, 0, "connection lost: " + e.getMessage()), false);
    }

    private Step finish(RequestError error, boolean reusable) {
        exchange.finish(exchange.state.result(exchange.sentNanos, error));
        exchange = null;
        return reusable ? Step.RELEASE : Step.CLOSE;
    }

    private static RequestError truncated() {
        return new RequestError(RequestError.Kind.TRUNCATED, 200, "stream ended before [DONE]");
    }
}
