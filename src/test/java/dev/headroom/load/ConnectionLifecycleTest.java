package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.RequestError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How a connection lives through a request: settle at [DONE], drain to the terminator, reuse, and when not to re-send. */
class ConnectionLifecycleTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void aTerminatorSentApartFromDoneStillReturnsTheConnectionToThePool() throws Exception {
        int requests = 60;
        CountDownLatch[] settled = new CountDownLatch[requests];
        CountDownLatch[] terminated = new CountDownLatch[requests];
        for (int i = 0; i < requests; i++) {
            settled[i] = new CountDownLatch(1);
            terminated[i] = new CountDownLatch(1);
        }
        AtomicInteger settledBeforeTerminator = new AtomicInteger();
        try (RawServer server = new RawServer((request, out) -> {
            out.write(RawServer.chunkedHead());
            out.write(RawServer.chunks(RawServer.sse(3, true), 1000));
            out.flush();
            // The terminator goes out only once the client has its result: the exchange must settle at [DONE].
            if (settled[request].await(10, TimeUnit.SECONDS)) settledBeforeTerminator.incrementAndGet();
            out.write(RawServer.terminator());
            out.flush();
            terminated[request].countDown();
            return true;
        });
             StreamingClient client = KeepAliveClient.of(server.endpoint())) {
            for (int i = 0; i < requests; i++) {
                StreamResult r = client.stream("/v1/completions", RawServer.body(), "d-" + i, TIMEOUT, 4, false);
                settled[i].countDown();
                // The next request goes once the terminator is on the wire, as a sequential client's next one would.
                assertThat(terminated[i].await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(r.error()).isNull();
                assertThat(r.chunkNanos()).hasSize(3);
            }
            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(client.connectionsOpened()).isEqualTo(1);
            assertThat(server.requests.get()).isEqualTo(requests);
        }
        assertThat(settledBeforeTerminator.get()).isEqualTo(requests);
    }

    @Test
    void aProxyThatSplitsEveryResponseIntoTinyPiecesChangesNothing() throws Exception {
        byte[] response = RawServer.sseResponse(5);
        try (RawServer server = new RawServer((request, out) -> {
            out.write(response);
            out.flush();
            return true;
        });
             SplittingProxy proxy = new SplittingProxy(server.listener.getLocalPort());
             StreamingClient client = KeepAliveClient.of(proxy.endpoint())) {
            for (int i = 0; i < 30; i++) {
                StreamResult r = client.stream("/v1/completions", RawServer.body(), "p-" + i, TIMEOUT, 6, false);
                assertThat(r.error()).isNull();
                assertThat(r.chunkNanos()).hasSize(5);
                assertThat(r.completionTokens()).isEqualTo(5);
            }
            assertThat(proxy.connections.get()).isEqualTo(1);
            assertThat(server.requests.get()).isEqualTo(30);
        }
    }

    @Test
    void aCloseRightAfterTheRequestIsReadOnAFreshConnectionFailsAsTheServersConnectionClosedWithoutASecondSend() throws Exception {
        byte[] response = RawServer.sseResponse(2);
        try (RawServer server = new RawServer((request, out) -> {
            if (request == 0) return false; // Reads the first request, then closes without a byte of answer.
            out.write(response);
            out.flush();
            return true;
        });
             StreamingClient client = KeepAliveClient.of(server.endpoint())) {
            StreamResult closed = client.stream("/v1/completions", RawServer.body(), "c-0", TIMEOUT, 4, false);
            assertThat(closed.error().kind()).isEqualTo(RequestError.Kind.CONNECTION_CLOSED);
            assertThat(closed.error().kind().byClient()).isFalse();
            assertThat(closed.connection().attempts()).isEqualTo(1);
            assertThat(server.requests.get()).isEqualTo(1);
            StreamResult after = client.stream("/v1/completions", RawServer.body(), "c-1", TIMEOUT, 4, false);
            assertThat(after.error()).isNull();
            assertThat(after.connection().openedConnection()).isTrue();
            assertThat(server.requests.get()).isEqualTo(2);
        }
    }

    @Test
    void aReusedConnectionTheServerClosesAsTheRequestArrivesFailsAsTheClientsStaleConnectionWithoutASecondSend() throws Exception {
        try (LingeringServer server = new LingeringServer(false);
             StreamingClient client = KeepAliveClient.of(server.endpoint())) {
            assertThat(client.stream("/v1/completions", RawServer.body(), "c-0", TIMEOUT, 4, false).error()).isNull();
            // Reused at once, before the server's close: it closes as the request arrives, unread.
            StreamResult stale = client.stream("/v1/completions", RawServer.body(), "c-1", TIMEOUT, 4, false);
            assertThat(stale.error().kind()).isEqualTo(RequestError.Kind.STALE_CONNECTION);
            assertThat(stale.error().kind().byClient()).isTrue();
            assertThat(stale.connection().attempts()).isEqualTo(1);
            assertThat(stale.connection().openedConnection()).isFalse();
            StreamResult after = client.stream("/v1/completions", RawServer.body(), "c-2", TIMEOUT, 4, false);
            assertThat(after.error()).isNull();
            assertThat(after.connection().openedConnection()).isTrue();
            // Learned on the selector thread before it took c-2, so known by the time c-2 answered.
            assertThat(client.serverClosesConnections()).as("a close right after a response teaches the client").isTrue();
            assertThat(server.answered.get()).isEqualTo(2);
        }
    }

    @Test
    void aCleanEndWithoutDoneOrFinishReasonIsTruncatedAndWithAFinishReasonIsNot() throws Exception {
        String cut = "data: {\"choices\":[{\"index\":0,\"text\":\" a\",\"finish_reason\":null}]}\n\n".repeat(5);
        String finished = cut + "data: {\"choices\":[{\"index\":0,\"text\":\" b\",\"finish_reason\":\"length\"}]}\n\n";
        try (RawServer server = new RawServer((request, out) -> {
            out.write(RawServer.chunkedHead());
            out.write(RawServer.chunks(request == 0 ? cut : finished, 64));
            out.write(RawServer.terminator());
            out.flush();
            return true;
        });
             StreamingClient client = KeepAliveClient.of(server.endpoint())) {
            StreamResult truncated = client.stream("/v1/completions", RawServer.body(), "t-0", TIMEOUT, 16, false);
            assertThat(truncated.error().kind()).isEqualTo(RequestError.Kind.TRUNCATED);
            assertThat(truncated.chunkNanos()).hasSize(5);
            StreamResult complete = client.stream("/v1/completions", RawServer.body(), "t-1", TIMEOUT, 16, false);
            assertThat(complete.error()).isNull();
            assertThat(complete.chunkNanos()).hasSize(6);
            assertThat(server.connections.get()).isEqualTo(1);
        }
    }

    @Test
    void theHeadLimitCountsHeadBytesOnlyNotTheBodyThatShareItsRead() throws Exception {
        byte[] body = ("{\"data\":\"" + "x".repeat(40_000) + "\"}").getBytes(StandardCharsets.US_ASCII);
        byte[] huge = ("HTTP/1.1 200 OK\r\nx-big: " + "y".repeat(17_000) + "\r\ncontent-length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII);
        try (RawServer server = new RawServer((request, out) -> {
            if (request == 0) {
                out.write(("HTTP/1.1 200 OK\r\ncontent-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
            } else {
                out.write(huge);
            }
            out.flush();
            return true;
        });
             StreamingClient client = new StreamingClient(server.endpoint(), Map.of(), Duration.ofSeconds(5))) {
            assertThat(client.send("GET", "/big", null, TIMEOUT).body()).hasSize(body.length);
            StreamResult r = client.stream("/v1/completions", RawServer.body(), "h", TIMEOUT, 4, false);
            assertThat(r.error().kind()).isEqualTo(RequestError.Kind.PARSE);
            assertThat(r.error().message()).contains("response head larger than 16 KiB");
        }
    }

    /** Forwards client bytes as they come and server bytes 1 to 7 at a time, each piece flushed on its own. */
    private static final class SplittingProxy implements AutoCloseable {
        final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger connections = new AtomicInteger();

        SplittingProxy(int upstreamPort) throws IOException {
            Thread.ofPlatform().daemon().start(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        client.setTcpNoDelay(true);
                        connections.incrementAndGet();
                        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                        upstream.setTcpNoDelay(true);
                        InputStream fromClient = client.getInputStream();
                        InputStream fromUpstream = upstream.getInputStream();
                        Thread.ofVirtual().start(() -> pipe(fromClient, upstream, Integer.MAX_VALUE));
                        Thread.ofVirtual().start(() -> pipe(fromUpstream, client, 7));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private static void pipe(InputStream in, Socket to, int maxPiece) {
            try (in; to) {
                OutputStream out = to.getOutputStream();
                Random random = new Random(maxPiece);
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    for (int off = 0; off < n; ) {
                        int piece = Math.min(n - off, maxPiece == Integer.MAX_VALUE ? n : 1 + random.nextInt(maxPiece));
                        out.write(buffer, off, piece);
                        out.flush();
                        off += piece;
                    }
                }
            } catch (IOException e) {
                // One side closed: the other follows.
            }
        }

        Endpoint endpoint() {
            return Endpoint.parse("http://127.0.0.1:" + listener.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
