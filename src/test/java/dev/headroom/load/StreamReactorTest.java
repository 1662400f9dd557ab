package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.RequestError;
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
import org.junit.jupiter.api.Test;

/** The selector path of {@link StreamingClient}, against a raw loopback server that controls every byte and split. */
class StreamReactorTest {

    @Test
    void manyStreamsOnOneSelectorSurviveArbitraryReadSplits() throws Exception {
        int streams = 300;
        int tokens = 20;
        byte[] response = RawServer.sseResponse(tokens);
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
                results.add(callers.submit(() -> client.stream("/v1/completions", RawServer.body(), id, Duration.ofSeconds(30), 4, false)));
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
    void sequentialStreamsReuseOneConnectionUntilTheServerSaysClose() throws Exception {
        byte[] response = RawServer.sseResponse(3);
        byte[] lastOnConnection = new String(response, StandardCharsets.ISO_8859_1)
                .replace("HTTP/1.1 200 OK\r\n", "HTTP/1.1 200 OK\r\nconnection: close\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try (RawServer server = new RawServer((request, out) -> {
            out.write(request == 2 ? lastOnConnection : response);
            out.flush();
            return request != 2; // The server closes the connection after the third response, and says so.
        });
             StreamingClient client = KeepAliveClient.of(server.endpoint())) {
            for (int i = 0; i < 5; i++) {
                StreamResult r = client.stream("/v1/completions", RawServer.body(), "k-" + i, Duration.ofSeconds(10), 4, false);
                assertThat(r.error()).isNull();
                assertThat(r.chunkNanos()).hasSize(3);
            }
            assertThat(server.connections.get()).isEqualTo(2);
            assertThat(client.serverClosesConnections()).as("a close the head announced teaches nothing").isFalse();
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
                results.add(callers.submit(() -> client.stream("/v1/completions", RawServer.body(), "t", timeout, 4, false)));
            }
            for (Future<StreamResult> f : results) {
                StreamResult r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.error().kind()).isEqualTo(RequestError.Kind.TIMEOUT);
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
                results.add(callers.submit(() -> client.stream("/v1/completions", RawServer.body(), "a", Duration.ofSeconds(60), 4, false)));
            }
            assertThat(allArrived.await(30, TimeUnit.SECONDS)).isTrue();
            client.abortAll();
            for (Future<StreamResult> f : results) {
                assertThat(f.get(10, TimeUnit.SECONDS).error().kind()).isEqualTo(RequestError.Kind.CANCELLED);
            }
            StreamResult later = client.stream("/v1/completions", RawServer.body(), "b", Duration.ofSeconds(60), 4, false);
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
                StreamResult r = client.stream("/v1/completions", RawServer.body(), "c-" + i, Duration.ofSeconds(10), 4, false);
                assertThat(r.error()).isNull();
                assertThat(r.chunkNanos()).hasSize(1);
            }
            assertThat(server.connections.get()).isEqualTo(3);
        }
    }
}
