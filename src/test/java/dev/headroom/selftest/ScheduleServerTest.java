package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.load.Endpoint;
import dev.headroom.load.StreamResult;
import dev.headroom.load.StreamingClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleServerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"hello world|2", "a, b!|4", "  |0", "don't stop|4", "x1 y2|2"})
    void countsWordRunsAndPunctuation(String text, int tokens) {
        assertThat(ScheduleServer.countTokens(text == null ? "" : text)).isEqualTo(tokens);
    }

    @Test
    void answersModelsTokenizeAndNotFoundAndRecordsItsLateness() throws IOException {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ZERO, Duration.ofMillis(1)), 0);
             StreamingClient client = new StreamingClient(Endpoint.parse(server.baseUrl()), Map.of(), Duration.ofSeconds(3))) {
            assertThat(client.send("GET", "/v1/models", null, Duration.ofSeconds(5)).text()).contains("\"id\":\"schedule-model\"");
            StreamingClient.Response count = client.send("POST", "/tokenize",
                    "{\"prompt\":\"one two, three\"}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
            assertThat(count.text()).contains("\"count\":4");
            assertThat(client.send("GET", "/nope", null, Duration.ofSeconds(5)).status()).isEqualTo(404);
            byte[] body = "{\"stream\":true,\"max_tokens\":30,\"prompt\":\"x\"}".getBytes(StandardCharsets.UTF_8);
            StreamResult stream = client.stream("/v1/completions", body, "l-1", Duration.ofSeconds(10), 32, true);
            assertThat(stream.chunkNanos()).hasSize(30);
            Histogram lateness = server.takeLateness();
            assertThat(lateness.getTotalCount()).isEqualTo(30);
            // Recorded for every chunk, in nanoseconds: no chunk was written further past its due time than the whole
            // exchange took. Its size is the harness baseline `selftest client` prints, the machine's to decide.
            long exchange = stream.chunkNanos()[29] - stream.sentNanos();
            assertThat(lateness.getMaxValue()).isLessThanOrEqualTo(lateness.highestEquivalentValue(exchange));
        }
    }

    @Test
    void nonStreamingRequestsAreRefusedWithAVllmStyleError() throws IOException {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ZERO, Duration.ofMillis(1)), 0);
             StreamingClient client = new StreamingClient(Endpoint.parse(server.baseUrl()), Map.of(), Duration.ofSeconds(3))) {
            StreamingClient.Response r = client.send("POST", "/v1/completions",
                    "{\"prompt\":\"x\",\"max_tokens\":3}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).contains("only streams");
        }
    }

    @Test
    void lockstepStreamsFallDueOnTheTicksOfOneGlobalStepClock() {
        Schedule perStream = Schedule.of(Duration.ZERO, Duration.ofMillis(20));
        Schedule lockstep = perStream.withLockstepSteps();
        long start = 1_000_000_000L;
        assertThat(perStream.firstDueNanos(start + 7_000_000L, start)).isEqualTo(start + 7_000_000L);
        assertThat(lockstep.firstDueNanos(start + 7_000_000L, start)).isEqualTo(start + 20_000_000L);
        assertThat(lockstep.firstDueNanos(start + 40_000_000L, start)).isEqualTo(start + 40_000_000L);
        assertThat(lockstep.firstDueNanos(start + 40_000_001L, start)).isEqualTo(start + 60_000_000L);
        assertThat(lockstep.withTokensPerChunk(2).withoutUsage().lockstep()).isTrue();
    }

    @Test
    void lockstepStreamsStartedOffPhaseFallDueOnTheSameTicksAndNoChunkLeavesEarly() throws Exception {
        long step = Duration.ofMillis(20).toNanos();
        Schedule lockstep = Schedule.of(Duration.ZERO, Duration.ofNanos(step)).withLockstepSteps();
        byte[] body = "{\"stream\":true,\"max_tokens\":20,\"prompt\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        try (ScheduleServer server = ScheduleServer.start(lockstep, 0);
             StreamingClient client = new StreamingClient(Endpoint.parse(server.baseUrl()), Map.of(), Duration.ofSeconds(3))) {
            var first = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> client.stream("/v1/completions", body, "a", Duration.ofSeconds(10), 22, true));
            java.util.concurrent.locks.LockSupport.parkNanos(7_000_000L);
            long[] b = client.stream("/v1/completions", body, "b", Duration.ofSeconds(10), 22, true).serverSentNanos();
            long[] a = first.get().serverSentNanos();
            Map<String, Uploads.Upload> uploads = new java.util.HashMap<>();
            server.takeUploads().forEach(u -> uploads.put(u.requestId(), u));
            // The schedule the server kept: each stream's first chunk fell due at the first tick of the one step clock
            // after its body was read, so both streams' chunks fall due on the same ticks, however late each arrived.
            for (String id : List.of("a", "b")) {
                Uploads.Upload u = uploads.get(id);
                assertThat(u.firstDueNanos() - u.bodyReadNanos()).as(id).isNotNegative().isLessThan(step);
            }
            assertThat(Math.floorMod(uploads.get("b").firstDueNanos() - uploads.get("a").firstDueNanos(), step)).isZero();
            for (String id : List.of("a", "b")) {
                long[] sent = id.equals("a") ? a : b;
                assertThat(sent).as(id).hasSize(20).isSorted();
                for (int k = 0; k < sent.length; k++) {
                    assertThat(sent[k]).as(id + " chunk " + k).isGreaterThanOrEqualTo(uploads.get(id).firstDueNanos() + k * step);
                }
            }
        }
    }

    @Test
    @Tag("bench") // Asserts that two streams' chunks leave within 3 ms of each other: a benchmark, not a unit test.
    void lockstepServerSendsEveryRunningStreamsChunkInTheSamePass() throws Exception {
        Schedule lockstep = Schedule.of(Duration.ZERO, Duration.ofMillis(20)).withLockstepSteps();
        byte[] body = "{\"stream\":true,\"max_tokens\":20,\"prompt\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        try (ScheduleServer server = ScheduleServer.start(lockstep, 0);
             StreamingClient client = new StreamingClient(Endpoint.parse(server.baseUrl()), Map.of(), Duration.ofSeconds(3))) {
            var first = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> client.stream("/v1/completions", body, "a", Duration.ofSeconds(10), 22, true));
            // Start the second stream off the first's phase: on one step clock its chunks still leave with the first's.
            java.util.concurrent.locks.LockSupport.parkNanos(7_000_000L);
            long[] b = client.stream("/v1/completions", body, "b", Duration.ofSeconds(10), 22, true).serverSentNanos();
            long[] a = first.get().serverSentNanos();
            long[] gaps = java.util.Arrays.stream(b).map(sent -> java.util.Arrays.stream(a).map(x -> Math.abs(x - sent)).min().orElseThrow())
                    .sorted().toArray();
            assertThat(gaps).hasSize(20);
            assertThat(gaps[gaps.length / 2]).isLessThan(3_000_000L);
        }
    }

    @Test
    void scheduleValidatesItsParts() {
        assertThatThrownBy(() -> Schedule.of(Duration.ZERO, Duration.ZERO)).hasMessageContaining("step > 0");
        assertThatThrownBy(() -> Schedule.of(Duration.ZERO, Duration.ofMillis(1)).withTokensPerChunk(0)).hasMessageContaining("tokensPerChunk");
    }
}
