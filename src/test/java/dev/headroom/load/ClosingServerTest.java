package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.RequestRecord;
import dev.headroom.metrics.Summary;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Prompt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Servers that close connections the client would pool, as llama.cpp's server does after every stream (cpp-httplib
 * closes the socket once its content provider returns false, after the chunked terminator and without
 * {@code Connection: close}): no request may be written on such a connection, and the client learns to keep none.
 */
class ClosingServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** Answers like llama-server: a whole chunked SSE stream ([DONE], terminator), keep-alive implied, then closes. */
    private static RawServer closingServer() throws Exception {
        byte[] response = RawServer.sseResponse(3);
        return new RawServer((request, out) -> {
            out.write(response);
            out.flush();
            return false;
        });
    }

    @Test
    void aSequentialLoopOverAServerThatClosesAfterEveryStreamLosesNoRequest() throws Exception {
        int requests = 40;
        try (RawServer server = closingServer();
             StreamingClient client = new StreamingClient(server.endpoint(), Map.of(), Duration.ofSeconds(5))) {
            assertThat(client.serverClosesConnections()).isFalse();
            firstStreamUntilTheServerClosed(client, server);
            for (int i = 1; i < requests; i++) {
                StreamResult r = stream(client, "s-" + i);
                assertThat(r.error()).as("request %d", i).isNull();
                assertThat(r.chunkNanos()).hasSize(3);
                assertThat(r.connection().openedConnection()).isTrue();
                assertThat(r.connection().attempts()).isEqualTo(1);
                assertThat(client.serverClosesConnections()).isTrue();
            }
            assertThat(client.connectionsOpened()).isEqualTo(requests);
            assertThat(server.connections.get()).isEqualTo(requests);
            assertThat(server.requests.get()).isEqualTo(requests);
        }
    }

    @Test
    void aConcurrencyEightClosedLoopOverAServerThatClosesAfterEveryStreamLosesNoRequest() throws Exception {
        int workers = 8;
        int perWorker = 12;
        try (RawServer server = closingServer();
             StreamingClient client = new StreamingClient(server.endpoint(), Map.of(), Duration.ofSeconds(5));
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            firstStreamUntilTheServerClosed(client, server);
            List<Future<List<StreamResult>>> loops = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                String prefix = "w" + w + "-";
                loops.add(callers.submit(() -> {
                    List<StreamResult> results = new ArrayList<>();
                    for (int i = 0; i < perWorker; i++) results.add(stream(client, prefix + i));
                    return results;
                }));
            }
            for (Future<List<StreamResult>> loop : loops) {
                for (StreamResult r : loop.get(60, TimeUnit.SECONDS)) {
                    assertThat(r.error()).isNull();
                    assertThat(r.chunkNanos()).hasSize(3);
                    assertThat(r.connection().openedConnection()).isTrue();
                }
            }
            int requests = 1 + workers * perWorker;
            assertThat(client.serverClosesConnections()).isTrue();
            assertThat(client.connectionsOpened()).isEqualTo(requests);
            assertThat(server.requests.get()).isEqualTo(requests);
        }
    }

    @Test
    void aClosedLoopOfEightOverAServerThatClosesRightAfterTheLastByteLosesNoRequestFromTheFirst() throws Exception {
        int requests = 200;
        try (RawServer server = closingServer();
             StreamingClient client = new StreamingClient(server.endpoint(), Map.of(), Duration.ofSeconds(5))) {
            List<RequestRecord> records = closedLoop(client, 8, requests);
            assertThat(records).hasSize(requests).allSatisfy(r -> {
                assertThat(r.error()).as(r.requestId()).isNull();
                assertThat(r.connection().attempts()).isEqualTo(1);
            });
            assertThat(server.requests.get()).isEqualTo(requests);
            assertThat(Summary.compute(records, 1, null).toMap()).containsEntry("failed", 0).containsEntry("client_failed", 0);
        }
    }

    /**
     * The worst case of a server that closes after every response: its FIN comes only as the next request arrives,
     * or 300 ms on. A client that reuses a connection before it knows the server keeps them loses that request (the
     * old client lost one per connection); this one reuses none, so every request reaches the server, whether or not
     * the server says {@code Connection: close}.
     */
    @ParameterizedTest(name = "Connection: close said: {0}")
    @ValueSource(booleans = {false, true})
    void aClosedLoopOverAServerWhoseCloseComesLateLosesNoRequest(boolean sayClose) throws Exception {
        int requests = 160;
        loadTheClientsCode();
        try (LingeringServer server = new LingeringServer(sayClose, Duration.ofMillis(300));
             StreamingClient client = new StreamingClient(server.endpoint(), Map.of(), Duration.ofSeconds(5))) {
            List<RequestRecord> records = closedLoop(client, 8, requests);
            assertThat(records).hasSize(requests).allSatisfy(r -> assertThat(r.error()).as(r.requestId()).isNull());
            assertThat(server.answered.get()).isEqualTo(requests);
            assertThat(server.dropped.get()).isZero();
            assertThat(client.connectionsOpened()).isEqualTo(requests);
        }
    }

    @Test
    void aServerThatKeepsConnectionsServesSixtySequentialStreamsOnOneAndIsNotMarked() throws Exception {
        byte[] response = RawServer.sseResponse(3);
        try (RawServer server = new RawServer((request, out) -> {
            out.write(response);
            out.flush();
            return true;
        });
             StreamingClient client = KeepAliveClient.of(server.endpoint())) {
            for (int i = 0; i < 60; i++) {
                StreamResult r = stream(client, "k-" + i);
                assertThat(r.error()).isNull();
                assertThat(r.connection().openedConnection()).isEqualTo(i == 0);
            }
            assertThat(client.connectionsOpened()).isEqualTo(1);
            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(client.serverClosesConnections()).isFalse();
        }
    }

    @Test
    void anIdleConnectionThatReceivedUnaskedBytesIsReplacedNotReused() throws Exception {
        byte[] response = RawServer.sseResponse(3);
        byte[] unasked = "HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        CountDownLatch sentUnasked = new CountDownLatch(1);
        try (RawServer server = new RawServer((request, out) -> {
            out.write(response);
            out.flush();
            if (request == 0) {
                out.write(unasked);
                out.flush();
                sentUnasked.countDown();
            }
            return true;
        });
             StreamingClient client = KeepAliveClient.of(server.endpoint())) {
            assertThat(stream(client, "u-0").error()).isNull();
            assertThat(sentUnasked.await(10, TimeUnit.SECONDS)).isTrue();
            StreamResult next = stream(client, "u-1");
            assertThat(next.error()).isNull();
            assertThat(next.connection().openedConnection()).isTrue();
            assertThat(server.connections.get()).isEqualTo(2);
            assertThat(server.requests.get()).isEqualTo(2);
            assertThat(client.serverClosesConnections()).isFalse();
        }
    }

    /**
     * The first stream, then a wait until the server has closed its connection. A FIN still in flight when the
     * next request is written cannot be told from a lost request, so the client must have had the chance to see
     * the first close; from then on it keeps no connection and nothing is left to chance.
     */
    private static void firstStreamUntilTheServerClosed(StreamingClient client, RawServer server) throws Exception {
        StreamResult first = stream(client, "first");
        assertThat(first.error()).isNull();
        assertThat(server.closed.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * One request through a throwaway client first, so that the client's classes are loaded and its first response
     * is handled in moments, not in the hundreds of milliseconds a cold JVM takes: the server's linger then outlasts it.
     */
    private static void loadTheClientsCode() throws Exception {
        try (RawServer server = new RawServer((request, out) -> {
            out.write(RawServer.sseResponse(3));
            out.flush();
            return true;
        });
             StreamingClient client = new StreamingClient(server.endpoint(), Map.of(), Duration.ofSeconds(5))) {
            closedLoop(client, 1, 2);
        }
    }

    /** A closed loop of {@code concurrency} over {@code requests} requests through the load runner, without warm-up. */
    private static List<RequestRecord> closedLoop(StreamingClient client, int concurrency, int requests) {
        RunSettings settings = new RunSettings(Api.COMPLETIONS, "m", false, Map.of(), TIMEOUT,
                LoadPattern.closedLoop(concurrency), requests, null, 0, 1, 1, "c-");
        List<RequestRecord> records = Collections.synchronizedList(new ArrayList<>());
        new LoadRunner(client, settings).run(List.of(new Prompt(null, "x", 1, 3)), records::add);
        return List.copyOf(records);
    }

    private static StreamResult stream(StreamingClient client, String id) {
        return client.stream("/v1/completions", RawServer.body(), id, TIMEOUT, 4, false);
    }
}
