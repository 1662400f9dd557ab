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
 * that completed each message. Every request, plain or TLS, streamed or not, goes through a {@link StreamReactor}
 * selector thread and its keep-alive pool. A client runs one I/O thread per 4 cores (at least 1, at most
 * {@value #MAX_IO_THREADS}) and fills them in order: a request goes to the first with fewer than
 * {@value #STREAMS_PER_IO_THREAD} unsettled requests, else to the least loaded. Filling, not spreading, keeps the
 * streams of a vLLM step on one thread, where one selector return reads them all (measured on 16 cores: 256
 * streams cost 9.2-10.2 µs of CPU per chunk on one thread, 10.7-11.5 spread over two), and sequential requests
 * share one connection once the server is known to keep connections ({@link IdlePool}). Callers either park on the result or take a future. Hand-written because
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

    /** The most I/O threads a client runs: four carried 567,000 chunks/s on 16 cores, more than one server streams. */
    static final int MAX_IO_THREADS = 4;
    /**
     * Unsettled requests an I/O thread takes before the next one is used: at one chunk per 5 ms step (a fast small
     * model) that is 77,000 chunks/s, about 60% of one thread at the 7-8 µs a chunk costs on 16 virtual cores.
     */
    static final int STREAMS_PER_IO_THREAD = 384;

    private final Endpoint endpoint;
    private final String fixedHeaders;
    private final StreamReactor[] reactors;

    /** A client for {@code endpoint}, sending {@code headers} (e.g. Authorization) with every request; TLS trusts the JDK's CAs. */
    public StreamingClient(Endpoint endpoint, Map<String, String> headers, Duration connectTimeout) {
        this(endpoint, headers, connectTimeout, defaultTls());
    }

    /** As above, with {@code tls} deciding which server certificates HTTPS trusts. */
    public StreamingClient(Endpoint endpoint, Map<String, String> headers, Duration connectTimeout, SSLContext tls) {
        this(endpoint, headers, connectTimeout, tls, ioThreads(Runtime.getRuntime().availableProcessors()));
    }

    /** As above, with {@code ioThreads} selector threads (1 to {@value #MAX_IO_THREADS}). */
    StreamingClient(Endpoint endpoint, Map<String, String> headers, Duration connectTimeout, SSLContext tls, int ioThreads) {
        this(endpoint, headers, connectTimeout, wires(endpoint, tls), ioThreads, false);
    }

    /**
     * As above, with {@code wires} making each connection's byte layer; {@code trustKeepAlive} reuses connections
     * from the first response instead of first learning whether the server keeps them open ({@link IdlePool}).
     */
    StreamingClient(Endpoint endpoint, Map<String, String> headers, Duration connectTimeout,
                    Function<SocketChannel, Wire> wires, int ioThreads, boolean trustKeepAlive) {
        if (ioThreads < 1 || ioThreads > MAX_IO_THREADS) {
            throw new IllegalArgumentException("ioThreads must be 1 to " + MAX_IO_THREADS + ", was " + ioThreads);
        }
        this.endpoint = endpoint;
        StringBuilder h = new StringBuilder();
        h.append("Host: ").append(endpoint.hostHeader()).append("\r\n");
        new LinkedHashMap<>(headers).forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        this.fixedHeaders = h.toString();
        this.reactors = new StreamReactor[ioThreads];
        for (int i = 0; i < ioThreads; i++) {
            reactors[i] = new StreamReactor("headroom-streams-" + i, endpoint, wires, connectTimeout.toNanos(), trustKeepAlive);
        }
    }

    /** Plain TCP, or TLS trusting what {@code tls} trusts, as the endpoint's scheme says. */
    static Function<SocketChannel, Wire> wires(Endpoint endpoint, SSLContext tls) {
        return endpoint.tls() ? channel -> new TlsWire(channel, engine(tls, endpoint)) : PlainWire::new;
    }

    /** The selector threads a client runs on {@code cores} cores: one per 4, at least 1, at most {@value #MAX_IO_THREADS}. */
    static int ioThreads(int cores) {
        return Math.max(1, Math.min(MAX_IO_THREADS, cores / 4));
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** TCP connections this client opened so far, for requests of any kind. */
    public long connectionsOpened() {
        long opened = 0;
        for (StreamReactor r : reactors) opened += r.connectionsOpened();
        return opened;
    }

    /**
     * True once the server was seen closing a connection right after a complete response whose head did not say
     * {@code Connection: close} (llama.cpp's server does so after every stream): every request then opens its own
     * connection rather than risk being written on one the server is closing. Until the client knows whether the
     * server keeps connections, it reuses none ({@link IdlePool}).
     */
    public boolean serverClosesConnections() {
        for (StreamReactor r : reactors) {
            if (r.serverClosesConnections()) return true;
        }
        return false;
    }

    /**
     * Why one of the client's selector threads died (an error inside headroom), or null while all run: its requests
     * failed as {@code tool}, and a run must stop with it.
     */
    public Throwable failure() {
        for (StreamReactor r : reactors) {
            Throwable dead = r.failure();
            if (dead != null) return dead;
        }
        return null;
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
        reactorFor().submit(x);
        return x.result();
    }

    /** Sends a plain request and reads the whole response; throws on transport failure. */
    public Response send(String method, String path, byte[] body, Duration timeout) throws IOException {
        byte[] request = requestBytes(method, path, body, null, "application/json");
        long now = System.nanoTime();
        BufferedExchange x = new BufferedExchange(request, now, now + timeout.toNanos());
        reactorFor().submit(x);
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
        for (StreamReactor r : reactors) r.abortAll();
    }

    @Override
    public void close() {
        for (StreamReactor r : reactors) r.close();
    }

    /** The CPU time of each I/O thread so far, in nanoseconds (-1 where the JVM cannot tell): how busy the client is. */
    public long[] ioThreadCpuNanos() {
        long[] nanos = new long[reactors.length];
        for (int i = 0; i < reactors.length; i++) nanos[i] = reactors[i].cpuNanos();
        return nanos;
    }

    /** Over all I/O threads: selector returns with ready keys so far, and the keys they handled ({wake-ups, keys}). */
    public long[] ioWakeUps() {
        long[] sum = new long[2];
        for (StreamReactor r : reactors) {
            long[] w = r.wakeUps();
            sum[0] += w[0];
            sum[1] += w[1];
        }
        return sum;
    }

    /** Requests handed to each I/O thread and not yet settled. */
    int[] unsettledByIoThread() {
        int[] counts = new int[reactors.length];
        for (int i = 0; i < reactors.length; i++) counts[i] = reactors[i].assigned();
        return counts;
    }

    /** The first reactor with room ({@value #STREAMS_PER_IO_THREAD} unsettled requests), else the least loaded. */
    private StreamReactor reactorFor() {
        StreamReactor least = reactors[0];
        for (StreamReactor r : reactors) {
            int load = r.assigned();
            if (load < STREAMS_PER_IO_THREAD) return r;
            if (load < least.assigned()) least = r;
        }
        return least;
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
