package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.load.Endpoint;
import dev.headroom.load.StreamingClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;
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
            assertThat(client.stream("/v1/completions", body, "l-1", Duration.ofSeconds(10), 32, true).chunkNanos()).hasSize(30);
            Histogram lateness = server.takeLateness();
            assertThat(lateness.getTotalCount()).isEqualTo(30);
            // Recorded for every chunk; its size is the harness baseline `selftest client` prints (loose here: cold JVM, busy machine).
            assertThat(lateness.getValueAtPercentile(50)).isLessThan(50_000_000L);
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
