package dev.headroom.load;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 connection on a blocking socket (TCP_NODELAY), reused for keep-alive. Reads go straight from the
 * socket into one buffer and are stamped with {@code System.nanoTime()} right after the read returns, so a
 * message's timestamp is the moment its last byte reached the client. Not thread-safe: one request at a time.
 */
final class HttpConnection implements AutoCloseable {

    /** Receives body bytes (already de-chunked) with the stamp of the read that delivered them. */
    interface BodySink {
        void accept(byte[] buffer, int offset, int length, long readNanos) throws IOException;
    }

    /** A response's status line and headers (names in lower case); {@code keepAlive} when the connection may carry another request. */
    record Head(int status, Map<String, String> headers, boolean keepAlive) {
        String header(String name) {
            return headers.get(name);
        }

        /** Parses the {@code length} bytes of a response head from {@code offset}, without the blank line that ends it. */
        static Head parse(byte[] buffer, int offset, int length) throws IOException {
            String text = new String(buffer, offset, length, StandardCharsets.ISO_8859_1);
            String[] lines = text.split("\r\n");
            String[] status = lines[0].split(" ", 3);
            if (status.length < 2 || !status[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP/1.x response: " + lines[0]);
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            try {
                boolean keepAlive = !"close".equalsIgnoreCase(headers.get("connection")) && !status[0].equals("HTTP/1.0");
                return new Head(Integer.parseInt(status[1]), headers, keepAlive);
            } catch (NumberFormatException e) {
                throw new IOException("bad status line: " + lines[0]);
            }
        }

        /** True when the body is sent with chunked transfer coding. */
        boolean chunked() {
            String coding = headers.get("transfer-encoding");
            return coding != null && coding.toLowerCase(Locale.ROOT).contains("chunked");
        }

        /** The Content-Length, or -1 when absent; throws when it is not a number. */
        long contentLength() throws IOException {
            String length = headers.get("content-length");
            if (length == null) return -1;
            try {
                return Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length: " + length);
            }
        }
    }

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] buffer = new byte[16 * 1024];
    private int bufferStart;
    private int bufferEnd;
    private boolean reusable = true;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private volatile boolean timedOut;
    private boolean stop;
    private long lastReadNanos;

    private HttpConnection(Socket socket) {
        this.socket = socket;
    }

    /** An unconnected connection; {@link #connect} it while a watchdog enforces its {@link #deadline}. */
    static HttpConnection create() {
        return new HttpConnection(new Socket());
    }

    /**
     * Connects to {@code endpoint}, blocking. No connect timeout is passed to the socket on purpose: a timed
     * connect switches the JDK socket to non-blocking mode for good, and every later read would then cost an
     * extra failed read and a poll() per chunk; the client's watchdog closes a connect that outlives its deadline.
     */
    void connect(Endpoint endpoint) throws IOException {
        try {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()));
            socket.setTcpNoDelay(true);
            if (endpoint.tls()) {
                socket = ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(socket, endpoint.host(), endpoint.port(), true);
            }
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            close();
            if (timedOut) throw new SocketTimeoutException("connect timed out");
            throw e;
        }
    }

    /**
     * Reads fail with {@link SocketTimeoutException} once {@code System.nanoTime()} passes this and a watchdog
     * called {@link #expireIfDue}; one sweep per connection instead of a timed read per chunk keeps reads cheap.
     */
    void deadline(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** Closes the connection as timed out when its deadline has passed; called by the client's watchdog. */
    void expireIfDue(long nowNanos) {
        if (nowNanos - deadlineNanos > 0) {
            timedOut = true;
            close();
        }
    }

    /** Writes a whole request (head and body) in one call. */
    void write(byte[] request) throws IOException {
        out.write(request);
        out.flush();
    }

    /** Reads the status line and headers. */
    Head readHead() throws IOException {
        int headEnd;
        while ((headEnd = findHeadEnd()) < 0) {
            if (bufferEnd - bufferStart == buffer.length) throw new IOException("response head larger than 16 KiB");
            if (fill() < 0) throw new EOFException("connection closed before a response");
        }
        Head head = Head.parse(buffer, bufferStart, headEnd - bufferStart);
        bufferStart = headEnd + 4;
        if (!head.keepAlive()) reusable = false;
        return head;
    }

    /**
     * Streams the body to {@code sink} until it ends or {@code sink} calls {@link #stopReading()}.
     * Returns true when the body ended cleanly (complete chunked body, full Content-Length, or EOF when neither).
     */
    boolean readBody(Head head, BodySink sink) throws IOException {
        stop = false;
        if (head.chunked()) return readChunked(sink);
        long length = head.contentLength();
        if (length >= 0) return readLength(length, sink);
        reusable = false;
        while (!stop) {
            if (bufferEnd == bufferStart && fill() < 0) return true;
            deliver(sink, bufferEnd - bufferStart);
        }
        return false;
    }

    /** Called from a {@link BodySink} to stop reading; the connection is then not reused. */
    void stopReading() {
        stop = true;
        reusable = false;
    }

    private boolean readChunked(BodySink sink) throws IOException {
        ChunkedDecoder decoder = new ChunkedDecoder();
        IOException[] failure = new IOException[1];
        ChunkedDecoder.Sink payload = (b, off, len) -> {
            try {
                sink.accept(b, off, len, lastReadNanos);
            } catch (IOException e) {
                failure[0] = e;
            }
        };
        while (!decoder.isDone() && !stop) {
            if (bufferEnd == bufferStart && fill() < 0) {
                reusable = false;
                return false;
            }
            bufferStart += decoder.feed(buffer, bufferStart, bufferEnd - bufferStart, payload);
            if (failure[0] != null) throw failure[0];
        }
        if (bufferStart != bufferEnd) reusable = false;
        return decoder.isDone();
    }

    private boolean readLength(long length, BodySink sink) throws IOException {
        long remaining = length;
        while (remaining > 0 && !stop) {
            if (bufferEnd == bufferStart && fill() < 0) {
                reusable = false;
                return false;
            }
            int n = (int) Math.min(remaining, bufferEnd - bufferStart);
            remaining -= n;
            deliver(sink, n);
        }
        return remaining == 0;
    }

    private void deliver(BodySink sink, int n) throws IOException {
        int start = bufferStart;
        bufferStart += n;
        sink.accept(buffer, start, n, lastReadNanos);
    }

    /** Reads into the buffer; returns bytes read or -1 at EOF. Stamps the read. */
    private int fill() throws IOException {
        if (bufferStart == bufferEnd) {
            bufferStart = 0;
            bufferEnd = 0;
        } else if (bufferEnd == buffer.length) {
            System.arraycopy(buffer, bufferStart, buffer, 0, bufferEnd - bufferStart);
            bufferEnd -= bufferStart;
            bufferStart = 0;
        }
        int n;
        try {
            n = in.read(buffer, bufferEnd, buffer.length - bufferEnd);
        } catch (IOException e) {
            if (timedOut) throw new SocketTimeoutException("request timeout");
            throw e;
        }
        lastReadNanos = System.nanoTime();
        if (n > 0) bufferEnd += n;
        return n;
    }

    private int findHeadEnd() {
        for (int i = bufferStart; i + 3 < bufferEnd; i++) {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') return i;
        }
        return -1;
    }

    /** True when the connection can carry another request. */
    boolean reusable() {
        return reusable && !socket.isClosed();
    }

    @Override
    public void close() {
        reusable = false;
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is best effort: the socket is gone either way.
        }
    }
}
