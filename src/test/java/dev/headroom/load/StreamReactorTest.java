package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.RequestError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The selector path of {@link StreamingClient}, against a raw loopback server that controls every byte and split. */
class StreamReactorTest {

    /** Answers requests on 127.0.0.1, one virtual thread per connection; counts connections and requests. */
    private static final class RawServer implements AutoCloseable {
        interface Handler {
            /** Answers one request; returns false to close the connection. */
            boolean answer(int request, OutputStream out) throws IOException, InterruptedException;
        }

        final ServerSocket listener;
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        RawServer(Handler handler) throws IOException {
            listener = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().start(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket s = listener.accept();
                        s.setTcpNoDelay(true);
                        sockets.add(s);
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> serve(s, handler));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void serve(Socket s, Handler handler) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                while (readRequest(in)) {
                    if (!handler.answer(requests.getAndIncrement(), out)) return;
                }
            } catch (IOException | InterruptedException e) {
                // The client went away or the test is over.
            }
        }

        Endpoint endpoint() {
            return Endpoint.parse("http://127.0.0.1:" + listener.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : sockets) s.close();
        }
    }

    /** Reads one request head and its Content-Length body; false at end of stream. */
    private static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
        }
        if (b < 0) return false;
        String text = head.toString(StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        int at = text.indexOf("content-length:");
        int length = at < 0 ? 0 : Integer.parseInt(text.substring(at + 15, text.indexOf("\r\n", at)).trim());
        return in.readNBytes(length).length == length;
    }

    /** A complete chunked SSE response: {@code tokens} token messages, usage, [DONE]. */
    private static byte[] sseResponse(int tokens) {
        StringBuilder sse = new StringBuilder();
        for (int i = 0; i < tokens; i++) sse.append("data: {\"choices\":[{\"index\":0,\"text\":\" t").append(i).append("\"}]}\n\n");
        sse.append("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":").append(tokens).append("}}\n\n");
        sse.append("data: [DONE]\n\n");
        byte[] payload = sse.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        // One HTTP chunk per 100 payload bytes, so chunk boundaries fall inside SSE lines too.
        for (int off = 0; off < payload.length; off += 100) {
            int n = Math.min(100, payload.length - off);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(payload, off, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] body() {
        return "{\"stream\":true,\"prompt\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void manyStreamsOnOneSelectorSurviveArbitraryReadSplits() throws Exception {
        int streams = 300;
        int tokens = 20;
        byte[] response = sseResponse(tokens);
        try (RawServer server = new RawServer((request, out) -> {
            Random random = new Random(request);
            for (int off = 0; off < response.length; ) {
                int n = Math.min(response.length - off, 1 + random.nextInt(40));
                out.write(response, off, n);
                out.flush();
                off += n;
            }
            return true;
        });
             StreamingClient client = new StreamingClient(server.endpoint(), Map.of(), Duration.ofSeconds(5));
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<StreamResult>> results = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                String id = "split-" + i;
                results.add(callers.submit(() -> client.stream("/v1/completions", body(), id, Duration.ofSeconds(30), 4, false)));
            }
            for (Future<StreamResult> f : results) {
                StreamResult r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.error()).isNull();
                assertThat(r.chunkNanos()).hasSize(tokens).isSorted();
                assertThat(r.contentChunks()).isEqualTo(tokens);
                assertThat(r.completionTokens()).isEqualTo(tokens);
                assertThat(r.promptTokens()).isEqualTo(7);
            }
        }
    }

    @Test
    void sequentialStreamsReuseOneConnectionAndSurviveTheServerClosingIt() throws Exception {
        byte[] response = sseResponse(3);
        try (RawServer server = new RawServer((request, out) -> {
            out.write(response);
            out.flush();
            return request != 2; // The server closes the connection after the third response.
        });
             StreamingClient client = new StreamingClient(server.endpoint(), Map.of(), Duration.ofSeconds(5))) {
            for (int i = 0; i < 5; i++) {
                StreamResult r = client.stream("/v1/completions", body(), "k-" + i, Duration.ofSeconds(10), 4, false);
                assertThat(r.error()).isNull();
                assertThat(r.chunkNanos()).hasSize(3);
            }
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void streamsPastTheirDeadlineEndAsTimeouts() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (RawServer server = new RawServer((request, out) -> {
            out.write("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            release.await();
            return false;
        });
             StreamingClient client = new StreamingClient(server.endpoint(), Map.of(), Duration.ofSeconds(5));
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Duration timeout = Duration.ofMillis(300);
            List<Future<StreamResult>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(callers.submit(() -> client.stream("/v1/completions", body(), "t", timeout, 4, false)));
            }
            for (Future<StreamResult> f : results) {
                StreamResult r = f.get(30, TimeUnit.SECONDS);
                long elapsed = System.nanoTime() - r.sentNanos();
                assertThat(r.error().kind()).isEqualTo(RequestError.Kind.TIMEOUT);
                assertThat(elapsed).isGreaterThanOrEqualTo(timeout.toNanos());
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void abortAllCancelsEveryStreamInFlightAndLaterOnes() throws Exception {
        int streams = 50;
        CountDownLatch allArrived = new CountDownLatch(streams);
        CountDownLatch release = new CountDownLatch(1);
        try (RawServer server = new RawServer((request, out) -> {
            out.write("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            allArrived.countDown();
            release.await();
            return false;
        });
             StreamingClient client = new StreamingClient(server.endpoint(), Map.of(), Duration.ofSeconds(5));
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<StreamResult>> results = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                results.add(callers.submit(() -> client.stream("/v1/completions", body(), "a", Duration.ofSeconds(60), 4, false)));
            }
            assertThat(allArrived.await(30, TimeUnit.SECONDS)).isTrue();
            client.abortAll();
            for (Future<StreamResult> f : results) {
                assertThat(f.get(10, TimeUnit.SECONDS).error().kind()).isEqualTo(RequestError.Kind.CANCELLED);
            }
            StreamResult later = client.stream("/v1/completions", body(), "b", Duration.ofSeconds(60), 4, false);
            assertThat(later.error().kind()).isEqualTo(RequestError.Kind.CANCELLED);
        } finally {
            release.countDown();
        }
    }

    @Test
    void connectionCloseResponsesAreNotReused() throws Exception {
        byte[] response = "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: text/event-stream\r\n\r\ndata: {\"choices\":[{\"text\":\"a\"}]}\n\ndata: [DONE]\n\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (RawServer server = new RawServer((request, out) -> {
            out.write(response);
            out.flush();
            return false;
        });
             StreamingClient client = new StreamingClient(server.endpoint(), Map.of(), Duration.ofSeconds(5))) {
            for (int i = 0; i < 3; i++) {
                StreamResult r = client.stream("/v1/completions", body(), "c-" + i, Duration.ofSeconds(10), 4, false);
                assertThat(r.error()).isNull();
                assertThat(r.chunkNanos()).hasSize(1);
            }
            assertThat(server.connections.get()).isEqualTo(3);
        }
    }
}
