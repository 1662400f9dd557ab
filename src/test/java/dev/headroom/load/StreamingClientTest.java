package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.RequestError;
import dev.headroom.selftest.Schedule;
import dev.headroom.selftest.ScheduleServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StreamingClientTest {

    private static final Duration STEP = Duration.ofMillis(5);
    private static final Duration PREFILL = Duration.ofMillis(20);

    static byte[] chatBody(int maxTokens) {
        return ("{\"model\":\"schedule-model\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_tokens\":"
                + maxTokens + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello there world\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] completionBody(int maxTokens) {
        return ("{\"model\":\"schedule-model\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_tokens\":"
                + maxTokens + ",\"prompt\":\"one two three\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static StreamResult stream(ScheduleServer server, String path, byte[] body, Duration timeout) {
        try (StreamingClient client = new StreamingClient(Endpoint.parse(server.baseUrl()), Map.of(), Duration.ofSeconds(3))) {
            return client.stream(path, body, "t-1", timeout, 64, true);
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    @Test
    @Tag("bench") // Asserts TTFT, gaps and stamp error within 1-15 ms: a benchmark, not a unit test.
    void completionStreamFollowsTheSchedule() throws IOException {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(PREFILL, STEP), 0)) {
            StreamResult r = stream(server, "/v1/completions", completionBody(20), Duration.ofSeconds(10));
            assertThat(r.error()).isNull();
            assertThat(r.chunkNanos()).hasSize(20);
            assertThat(r.completionTokens()).isEqualTo(20);
            assertThat(r.promptTokens()).isEqualTo(3);
            long ttft = r.chunkNanos()[0] - r.sentNanos();
            assertThat(ttft).isBetween(PREFILL.toNanos(), PREFILL.toNanos() + 15_000_000L);
            long[] gaps = new long[19];
            for (int i = 1; i < 20; i++) gaps[i - 1] = r.chunkNanos()[i] - r.chunkNanos()[i - 1];
            assertThat(median(gaps)).isBetween(STEP.toNanos() - 1_000_000L, STEP.toNanos() + 1_000_000L);
            long[] errors = new long[20];
            for (int i = 0; i < 20; i++) errors[i] = r.chunkNanos()[i] - r.serverSentNanos()[i];
            assertThat(median(errors)).isBetween(0L, 2_000_000L);
        }
    }

    @Test
    void chatRoleChunkCountsAsTheFirstTokenBearingMessage() throws IOException {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ZERO, STEP), 0)) {
            StreamResult r = stream(server, "/v1/chat/completions", chatBody(5), Duration.ofSeconds(10));
            assertThat(r.error()).isNull();
            // vLLM bench counts the role-only delta as token-bearing: 1 role chunk + 5 token chunks.
            assertThat(r.chunkNanos()).hasSize(6);
            assertThat(r.firstContentNanos()).isEqualTo(r.chunkNanos()[1]);
            assertThat(r.completionTokens()).isEqualTo(5);
            assertThat(r.promptTokens()).isEqualTo(3);
        }
    }

    @Test
    void severalTokensPerChunkCountAsOneTokenBearingMessage() throws IOException {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ZERO, STEP).withTokensPerChunk(4), 0)) {
            StreamResult r = stream(server, "/v1/completions", completionBody(10), Duration.ofSeconds(10));
            assertThat(r.chunkNanos()).hasSize(3);
            assertThat(r.completionTokens()).isEqualTo(10);
            assertThat(r.contentChunks()).isEqualTo(3);
        }
    }

    @Test
    void keepAliveConnectionsAreReused() throws IOException {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ZERO, Duration.ofMillis(1)), 0);
             StreamingClient client = new StreamingClient(Endpoint.parse(server.baseUrl()), Map.of(), Duration.ofSeconds(3))) {
            for (int i = 0; i < 5; i++) {
                StreamResult r = client.stream("/v1/completions", completionBody(3), "k-" + i, Duration.ofSeconds(10), 4, false);
                assertThat(r.error()).isNull();
                assertThat(r.chunkNanos()).hasSize(3);
            }
            StreamingClient.Response models = client.send("GET", "/v1/models", null, Duration.ofSeconds(5));
            assertThat(models.status()).isEqualTo(200);
            assertThat(models.text()).contains("schedule-model");
        }
    }

    @Test
    void ioThreadsGrowWithCoresUpToFour() {
        assertThat(StreamingClient.ioThreads(2)).isEqualTo(1);
        assertThat(StreamingClient.ioThreads(7)).isEqualTo(1);
        assertThat(StreamingClient.ioThreads(8)).isEqualTo(2);
        assertThat(StreamingClient.ioThreads(128)).isEqualTo(StreamingClient.MAX_IO_THREADS);
    }

    @Test
    void sequentialRequestsShareOneConnectionAcrossIoThreads() throws Exception {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ZERO, Duration.ofMillis(1)), 0);
             StreamingClient client = KeepAliveClient.of(Endpoint.parse(server.baseUrl()), javax.net.ssl.SSLContext.getDefault(), 3)) {
            for (int i = 0; i < 10; i++) {
                assertThat(client.stream("/v1/completions", completionBody(2), "s-" + i, Duration.ofSeconds(10), 3, false).error()).isNull();
            }
            assertThat(client.connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void streamsFillOneIoThreadBeforeTheNextThenGoToTheLeastLoaded() throws Exception {
        // Streams that stall after their first chunk stay unsettled until the client aborts them.
        Schedule stalls = Schedule.of(Duration.ZERO, Duration.ofMillis(1)).withFault(new Schedule.Fault(Schedule.Kind.STALL, 0, 1), 1);
        int perThread = StreamingClient.STREAMS_PER_IO_THREAD;
        try (ScheduleServer server = ScheduleServer.start(stalls, 0);
             StreamingClient client = new StreamingClient(Endpoint.parse(server.baseUrl()), Map.of(), Duration.ofSeconds(3),
                     javax.net.ssl.SSLContext.getDefault(), 2)) {
            java.util.List<java.util.concurrent.CompletableFuture<StreamResult>> streams = new java.util.ArrayList<>();
            for (int i = 0; i < perThread + 1; i++) {
                streams.add(client.streamAsync("/v1/completions", completionBody(5), "c-" + i, Duration.ofSeconds(30), 6, false));
            }
            assertThat(client.unsettledByIoThread()).containsExactly(perThread, 1);
            for (int i = 0; i < perThread - 1; i++) {
                streams.add(client.streamAsync("/v1/completions", completionBody(5), "d-" + i, Duration.ofSeconds(30), 6, false));
            }
            assertThat(client.unsettledByIoThread()).containsExactly(perThread, perThread); // the second filled too
            streams.add(client.streamAsync("/v1/completions", completionBody(5), "e-0", Duration.ofSeconds(30), 6, false));
            streams.add(client.streamAsync("/v1/completions", completionBody(5), "e-1", Duration.ofSeconds(30), 6, false));
            assertThat(client.unsettledByIoThread()).containsExactly(perThread + 1, perThread + 1); // both full: the least loaded
            client.abortAll();
            for (var f : streams) assertThat(f.join().error().kind()).isEqualTo(dev.headroom.metrics.RequestError.Kind.CANCELLED);
            assertThat(client.unsettledByIoThread()).containsExactly(0, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Schedule.Kind.class, names = {"STATUS", "DROP", "MID_STREAM_ERROR", "TRUNCATE", "GARBAGE", "STALL"})
    void everyFaultIsRecordedOnTheRequest(Schedule.Kind kind) throws IOException {
        Schedule schedule = Schedule.of(Duration.ZERO, Duration.ofMillis(1)).withFault(new Schedule.Fault(kind, 503, 2), 1);
        try (ScheduleServer server = ScheduleServer.start(schedule, 0)) {
            StreamResult r = stream(server, "/v1/completions", completionBody(10), Duration.ofSeconds(1));
            RequestError.Kind expected = switch (kind) {
                case STATUS -> RequestError.Kind.HTTP;
                case DROP -> RequestError.Kind.CONNECTION_CLOSED;
                case TRUNCATE -> RequestError.Kind.TRUNCATED;
                case MID_STREAM_ERROR -> RequestError.Kind.STREAM_ERROR;
                case GARBAGE -> RequestError.Kind.PARSE;
                case STALL -> RequestError.Kind.TIMEOUT;
                case NONE -> throw new AssertionError();
            };
            assertThat(r.error()).isNotNull();
            assertThat(r.error().kind()).isEqualTo(expected);
            if (kind == Schedule.Kind.STATUS) {
                assertThat(r.error().status()).isEqualTo(503);
                assertThat(r.error().message()).isEqualTo("schedule server: injected status 503");
            }
            if (kind == Schedule.Kind.MID_STREAM_ERROR) assertThat(r.error().message()).contains("injected failure");
            if (kind != Schedule.Kind.STATUS && kind != Schedule.Kind.DROP) assertThat(r.chunkNanos()).hasSize(2);
        }
    }

    @Test
    void refusedConnectionIsAConnectError() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (StreamingClient client = new StreamingClient(Endpoint.parse("http://127.0.0.1:" + port), Map.of(), Duration.ofSeconds(3))) {
            StreamResult r = client.stream("/v1/completions", completionBody(3), "r-1", Duration.ofSeconds(5), 4, false);
            assertThat(r.error().kind()).isEqualTo(RequestError.Kind.CONNECT);
            assertThat(r.error().status()).isZero();
        }
    }

    @Test
    void errorBodiesInBothVllmShapesGiveTheirMessage() {
        assertThat(Failures.errorMessage("{\"error\":{\"message\":\"too long\",\"code\":400}}".getBytes()))
                .isEqualTo("too long");
        assertThat(Failures.errorMessage("{\"object\":\"error\",\"message\":\"old shape\",\"code\":400}".getBytes()))
                .isEqualTo("old shape");
        assertThat(Failures.errorMessage("Bad Gateway".getBytes())).isEqualTo("Bad Gateway");
    }
}
