package dev.headroom.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.metrics.RequestError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A small HTTP/1.1 client for streamed OpenAI-style requests, SSE framed on bytes and stamped right after the read
 * that completed each message. Plain-HTTP streams are read by one {@link StreamReactor} selector thread while the
 * caller parks; TLS streams and plain requests ({@link #send}) use a blocking connection on the caller's thread.
 * Both keep connections alive in a pool. Hand-written because {@code java.net.http.HttpClient} hands every body
 * chunk across executors, which costs CPU and delays timestamps. Thread-safe.
 */
public final class StreamingClient implements AutoCloseable {

    /** A fully read response. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
    private static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

    private final Endpoint endpoint;
    private final String fixedHeaders;
    private final long connectTimeoutNanos;
    private final ConcurrentLinkedDeque<HttpConnection> idle = new ConcurrentLinkedDeque<>();
    private final Set<HttpConnection> active = ConcurrentHashMap.newKeySet();
    private volatile boolean aborted;
    private volatile boolean closed;
    private final Thread watchdog;
    private final StreamReactor reactor;
    private static final long WATCHDOG_PERIOD_MILLIS = 20;

    /** A client for {@code endpoint}, sending {@code headers} (e.g. Authorization) with every request. */
    public StreamingClient(Endpoint endpoint, Map<String, String> headers, Duration connectTimeout) {
        this.endpoint = endpoint;
        this.connectTimeoutNanos = connectTimeout.toNanos();
        StringBuilder h = new StringBuilder();
        h.append("Host: ").append(endpoint.hostHeader()).append("\r\n");
        new LinkedHashMap<>(headers).forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        this.fixedHeaders = h.toString();
        this.watchdog = Thread.ofPlatform().name("headroom-timeouts").daemon().start(this::watch);
        this.reactor = endpoint.tls() ? null : new StreamReactor(endpoint, connectTimeoutNanos);
    }

    /** Every {@value #WATCHDOG_PERIOD_MILLIS} ms, closes in-flight connections whose request deadline passed. */
    private void watch() {
        while (!closed) {
            java.util.concurrent.locks.LockSupport.parkNanos(WATCHDOG_PERIOD_MILLIS * 1_000_000L);
            long now = System.nanoTime();
            active.forEach(c -> c.expireIfDue(now));
        }
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * POSTs {@code body} to {@code path} and reads the SSE stream; never throws: failures land in the result's error.
     * {@code expectedChunks} pre-sizes the stamp array (max_tokens + 1 is right for one token per chunk).
     */
    public StreamResult stream(String path, byte[] body, String requestId, Duration timeout, int expectedChunks,
                               boolean keepServerStamps) {
        byte[] request = requestBytes("POST", path, body, requestId, "text/event-stream");
        long sentNanos = System.nanoTime();
        long deadline = sentNanos + timeout.toNanos();
        StreamState state = new StreamState(expectedChunks, keepServerStamps);
        if (reactor != null) return reactor.stream(new Exchange(request, sentNanos, deadline, state));
        return streamBlocking(request, sentNanos, deadline, state);
    }

    /** The TLS path: this thread writes the request and reads the stream on a blocking connection. */
    private StreamResult streamBlocking(byte[] request, long sentNanos, long deadline, StreamState state) {
        HttpConnection connection = null;
        try {
            connection = exchange(request, deadline);
            HttpConnection.Head head = connection.readHead();
            if (head.status() != 200) {
                byte[] errorBody = readAll(connection, head);
                release(connection);
                connection = null;
                return state.result(sentNanos, new RequestError(RequestError.Kind.HTTP, head.status(), errorMessage(errorBody)));
            }
            SseParser sse = new SseParser();
            HttpConnection c = connection;
            boolean clean = connection.readBody(head, (buf, off, len, readNanos) -> {
                state.readNanos = readNanos;
                sse.feed(buf, off, len, state);
                if (state.finished()) c.stopReading();
            });
            if (state.error() == null && !state.sawDone() && (!clean || sse.hasPartialEvent())) {
                return state.result(sentNanos, new RequestError(RequestError.Kind.TRUNCATED, 200, "stream ended before [DONE]"));
            }
            if (state.sawDone() && clean) {
                release(connection);
                connection = null;
            }
            return state.result(sentNanos, null);
        } catch (IOException e) {
            return state.result(sentNanos, transportError(e, state));
        } finally {
            if (connection != null) discard(connection);
        }
    }

    /** Sends a plain request and reads the whole response; throws on transport failure. */
    public Response send(String method, String path, byte[] body, Duration timeout) throws IOException {
        byte[] request = requestBytes(method, path, body, null, "application/json");
        HttpConnection connection = exchange(request, System.nanoTime() + timeout.toNanos());
        try {
            HttpConnection.Head head = connection.readHead();
            byte[] bytes = readAll(connection, head);
            release(connection);
            connection = null;
            return new Response(head.status(), head.headers(), bytes);
        } finally {
            if (connection != null) discard(connection);
        }
    }

    /** Closes every in-flight connection: their requests end with {@code cancelled}. */
    public void abortAll() {
        aborted = true;
        active.forEach(HttpConnection::close);
        if (reactor != null) reactor.abortAll();
    }

    @Override
    public void close() {
        closed = true;
        java.util.concurrent.locks.LockSupport.unpark(watchdog);
        abortAll();
        if (reactor != null) reactor.close();
        HttpConnection c;
        while ((c = idle.poll()) != null) c.close();
    }

    private HttpConnection exchange(byte[] request, long deadline) throws IOException {
        HttpConnection pooled = idle.pollFirst();
        if (pooled != null) {
            active.add(pooled);
            try {
                pooled.deadline(deadline);
                pooled.write(request);
                return pooled;
            } catch (IOException stale) {
                // The server closed an idle keep-alive connection: nothing reached it, send once more on a fresh one.
                discard(pooled);
            }
        }
        if (aborted) throw new IOException("run stopped");
        HttpConnection fresh = HttpConnection.create();
        fresh.deadline(System.nanoTime() + connectTimeoutNanos);
        active.add(fresh);
        if (aborted) fresh.close();
        fresh.connect(endpoint);
        fresh.deadline(deadline);
        fresh.write(request);
        return fresh;
    }

    private void release(HttpConnection connection) {
        active.remove(connection);
        if (connection.reusable() && !aborted) {
            connection.deadline(Long.MAX_VALUE);
            idle.addFirst(connection);
        } else {
            connection.close();
        }
    }

    private void discard(HttpConnection connection) {
        active.remove(connection);
        connection.close();
    }

    private static byte[] readAll(HttpConnection connection, HttpConnection.Head head) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        connection.readBody(head, (buf, off, len, readNanos) -> {
            if (bytes.size() < MAX_RESPONSE_BYTES) bytes.write(buf, off, Math.min(len, MAX_RESPONSE_BYTES - bytes.size()));
        });
        return bytes.toByteArray();
    }

    private RequestError transportError(IOException e, StreamState state) {
        if (aborted) return new RequestError(RequestError.Kind.CANCELLED, 0, "run stopped while the request was in flight");
        if (e instanceof SocketTimeoutException) return new RequestError(RequestError.Kind.TIMEOUT, 0, "no response within --request-timeout");
        if (e instanceof ConnectException) return new RequestError(RequestError.Kind.CONNECT, 0, String.valueOf(e.getMessage()));
        if (state.finished() || state.sawDone()) return null;
        return new RequestError(RequestError.Kind.TRUNCATED, 0, "connection lost: " + e.getMessage());
    }

    private byte[] requestBytes(String method, String path, byte[] body, String requestId, String accept) {
        StringBuilder head = new StringBuilder(256 + fixedHeaders.length());
        head.append(method).append(' ').append(endpoint.basePath()).append(path).append(" HTTP/1.1\r\n").append(fixedHeaders)
                .append("Accept: ").append(accept).append("\r\n");
        if (requestId != null) head.append("x-request-id: ").append(requestId).append("\r\n");
        if (body != null) head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        if (body == null) return headBytes;
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /** The message of an error body in either vLLM shape ({@code {"error":{"message"}}} or {@code {"message"}}), else its text. */
    static String errorMessage(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, MAX_ERROR_BODY_BYTES), StandardCharsets.UTF_8);
        try {
            JsonNode node = JSON.readTree(text);
            JsonNode error = node.path("error");
            if (error.isObject() && error.path("message").isTextual()) return error.get("message").asText();
            if (error.isTextual()) return error.asText();
            if (node.path("message").isTextual()) return node.get("message").asText();
            if (node.path("detail").isTextual()) return node.get("detail").asText();
        } catch (IOException | RuntimeException notJson) {
            // Not JSON: the body text itself is the best message there is.
        }
        return StreamState.abbreviate(text.strip());
    }
}
