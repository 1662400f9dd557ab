package dev.headroom.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * A small HTTP/1.1 client for streamed OpenAI-style requests, SSE framed on bytes and stamped right after the read
 * that completed each message. Every request, plain or TLS, streamed or not, goes through one {@link StreamReactor}
 * selector thread and its keep-alive pool; callers either park on the result or take a future. Hand-written because
 * {@code java.net.http.HttpClient} hands every body chunk across executors, which costs CPU and delays timestamps.
 * Thread-safe.
 */
public final class StreamingClient implements AutoCloseable {

    /** A fully read response. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Endpoint endpoint;
    private final String fixedHeaders;
    private final StreamReactor reactor;

    /** A client for {@code endpoint}, sending {@code headers} (e.g. Authorization) with every request; TLS trusts the JDK's CAs. */
    public StreamingClient(Endpoint endpoint, Map<String, String> headers, Duration connectTimeout) {
        this(endpoint, headers, connectTimeout, defaultTls());
    }

    /** As above, with {@code tls} deciding which server certificates HTTPS trusts. */
    public StreamingClient(Endpoint endpoint, Map<String, String> headers, Duration connectTimeout, SSLContext tls) {
        this.endpoint = endpoint;
        StringBuilder h = new StringBuilder();
        h.append("Host: ").append(endpoint.hostHeader()).append("\r\n");
        new LinkedHashMap<>(headers).forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        this.fixedHeaders = h.toString();
        Function<SocketChannel, Wire> wires = endpoint.tls() ? channel -> new TlsWire(channel, engine(tls, endpoint)) : PlainWire::new;
        this.reactor = new StreamReactor(endpoint, wires, connectTimeout.toNanos());
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** TCP connections this client opened so far, for requests of any kind. */
    public long connectionsOpened() {
        return reactor.connectionsOpened();
    }

    /**
     * True once the server was seen closing a connection right after a complete response whose head did not say
     * {@code Connection: close} (llama.cpp's server does so after every stream): since then every request opens
     * its own connection rather than risk being written on one the server is closing.
     */
    public boolean serverClosesConnections() {
        return reactor.serverClosesConnections();
    }

    /**
     * POSTs {@code body} to {@code path} and reads the SSE stream; never throws: failures land in the result's error.
     * {@code expectedChunks} pre-sizes the stamp array (max_tokens + 1 is right for one token per chunk).
     */
    public StreamResult stream(String path, byte[] body, String requestId, Duration timeout, int expectedChunks,
                               boolean keepServerStamps) {
        return streamAsync(path, body, requestId, timeout, expectedChunks, keepServerStamps).join();
    }

    /**
     * As {@link #stream}, without a waiting thread: the future completes on the client's selector thread, so what
     * depends on it should run elsewhere ({@code whenCompleteAsync}). It never completes exceptionally.
     */
    public CompletableFuture<StreamResult> streamAsync(String path, byte[] body, String requestId, Duration timeout,
                                                       int expectedChunks, boolean keepServerStamps) {
        return streamAsync(path, body, requestId, timeout, new StreamState(expectedChunks, keepServerStamps));
    }

    /** As {@link #streamAsync}, keeping the streamed text in the result ({@link StreamResult#text()}): a session's answer. */
    public CompletableFuture<StreamResult> streamKeepingText(String path, byte[] body, String requestId, Duration timeout,
                                                             int expectedChunks) {
        return streamAsync(path, body, requestId, timeout, new StreamState(expectedChunks, false, true));
    }

    private CompletableFuture<StreamResult> streamAsync(String path, byte[] body, String requestId, Duration timeout,
                                                        StreamState state) {
        byte[] request = requestBytes("POST", path, body, requestId, "text/event-stream");
        long now = System.nanoTime();
        StreamExchange x = new StreamExchange(request, now, now + timeout.toNanos(), state);
        reactor.submit(x);
        return x.result();
    }

    /** Sends a plain request and reads the whole response; throws on transport failure. */
    public Response send(String method, String path, byte[] body, Duration timeout) throws IOException {
        byte[] request = requestBytes(method, path, body, null, "application/json");
        long now = System.nanoTime();
        BufferedExchange x = new BufferedExchange(request, now, now + timeout.toNanos());
        reactor.submit(x);
        try {
            return x.result().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Cancels every request in flight and every later one: they end with {@code cancelled}. */
    public void abortAll() {
        reactor.abortAll();
    }

    @Override
    public void close() {
        reactor.close();
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

    /** A client-mode engine that checks the server's name against its certificate, as browsers and curl do. */
    private static SSLEngine engine(SSLContext tls, Endpoint endpoint) {
        SSLEngine engine = tls.createSSLEngine(endpoint.host(), endpoint.port());
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return engine;
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("no TLS implementation in this JDK", e));
        }
    }
}
