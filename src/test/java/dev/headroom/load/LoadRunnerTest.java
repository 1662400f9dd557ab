package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.RequestError;
import dev.headroom.metrics.ConnectionTimings;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.selftest.Schedule;
import dev.headroom.selftest.ScheduleServer;
import dev.headroom.workload.Arrivals;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Prompt;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The runner against a loopback server with a known schedule; medians, so a busy 2-core machine passes. */
class LoadRunnerTest {

    private static final long MS = 1_000_000L;

    private static RunSettings settings(LoadPattern pattern, int requests, Duration duration, int warmup, double maxErrorRate,
                                        Duration timeout) {
        return new RunSettings(Api.COMPLETIONS, "schedule-model", true, Map.of(), timeout, pattern, requests, duration,
                warmup, 11, maxErrorRate, "t-");
    }

    private static List<Prompt> prompts(int outputTokens) {
        return List.of(new Prompt(null, "alpha beta gamma", 3, outputTokens), new Prompt("sys", "delta", 2, outputTokens));
    }

    private record Run(LoadRunner.Outcome outcome, List<RequestRecord> records) {}

    private static Run run(ScheduleServer server, RunSettings s, List<Prompt> prompts) {
        List<RequestRecord> records = Collections.synchronizedList(new ArrayList<>());
        try (StreamingClient client = new StreamingClient(Endpoint.parse(server.baseUrl()), Map.of(), Duration.ofSeconds(3))) {
            LoadRunner.Outcome outcome = new LoadRunner(client, s).run(prompts, records::add);
            return new Run(outcome, List.copyOf(records));
        }
    }

    private static double median(List<Long> values) {
        long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }

    @Test
    @Tag("bench") // Asserts timings within a few ms of the schedule: a benchmark, not a unit test.
    void closedLoopTimesMatchTheSchedule() throws IOException {
        Schedule schedule = Schedule.of(Duration.ofMillis(30), Duration.ofMillis(10));
        try (ScheduleServer server = ScheduleServer.start(schedule, 0)) {
            Run run = run(server, settings(LoadPattern.closedLoop(4), 16, null, 0, 1, Duration.ofSeconds(30)), prompts(20));
            assertThat(run.records()).hasSize(16).allSatisfy(r -> {
                assertThat(r.ok()).isTrue();
                assertThat(r.outputTokens()).isEqualTo(20);
                assertThat(r.usageReported()).isTrue();
                assertThat(r.chunkNanos()).hasSize(20);
                assertThat(r.sentNanos()).isGreaterThanOrEqualTo(r.scheduledNanos());
            });
            assertThat(run.records()).extracting(RequestRecord::requestId).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.range(0, 16).mapToObj(i -> "t-" + i).toList());
            List<Long> ttft = run.records().stream().map(RequestRecord::ttftNanos).toList();
            List<Long> tpot = run.records().stream().map(r -> (r.e2elNanos() - r.ttftNanos()) / 19).toList();
            List<Long> itl = new ArrayList<>();
            for (RequestRecord r : run.records()) {
                for (int i = 1; i < r.chunkNanos().length; i++) itl.add(r.chunkNanos()[i] - r.chunkNanos()[i - 1]);
            }
            // Tolerances: TTFT 30 ms +0/+5 ms (connect, server emitter lateness); TPOT and ITL 10 ms ± 1 ms.
            assertThat(median(ttft)).isBetween(30.0 * MS, 35.0 * MS);
            assertThat(median(tpot)).isBetween(9.0 * MS, 11.0 * MS);
            assertThat(median(itl)).isBetween(9.0 * MS, 11.0 * MS);
            assertThat(run.outcome().durationNanos()).isGreaterThanOrEqualTo(4 * 220 * MS);
            assertThat(run.outcome().stopReason()).isNull();
        }
    }

    @Test
    void openLoopFollowsVllmArrivalsAndShowsClientQueueing() throws IOException {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ZERO, Duration.ofMillis(5)), 0)) {
            // Capacity with 2 in flight: 2 / (20 × 5 ms) = 20 req/s, under the 100 req/s offered: the queue must grow.
            Run run = run(server, settings(LoadPattern.openLoop(100, 1, 2), 20, null, 0, 1, Duration.ofSeconds(30)), prompts(20));
            long[] offsets = Arrivals.offsetsNanos(20, 100, 1, 11);
            long[] scheduled = run.records().stream().mapToLong(RequestRecord::scheduledNanos).sorted().toArray();
            assertThat(scheduled).isEqualTo(offsets);
            RequestRecord last = run.records().stream().filter(r -> r.requestId().equals("t-19")).findFirst().orElseThrow();
            assertThat(last.clientQueueNanos()).isGreaterThan(300 * MS);
            assertThat(run.records()).allSatisfy(r -> assertThat(r.ok()).isTrue());
        }
    }

    @Test
    void failedRequestsAreRecordedAndTheRunGoesOn() throws IOException {
        Schedule schedule = Schedule.of(Duration.ZERO, Duration.ofMillis(1)).withFault(new Schedule.Fault(Schedule.Kind.TRUNCATE, 0, 2), 3);
        try (ScheduleServer server = ScheduleServer.start(schedule, 0)) {
            Run run = run(server, settings(LoadPattern.closedLoop(1), 12, null, 0, 1, Duration.ofSeconds(30)), prompts(5));
            assertThat(run.records()).hasSize(12);
            assertThat(run.records().stream().filter(r -> !r.ok()).map(r -> r.error().kind()))
                    .hasSize(4).containsOnly(RequestError.Kind.TRUNCATED);
        }
    }

    @Test
    void maxErrorRateStopsEarlyWithPartialResults() throws IOException {
        Schedule schedule = Schedule.of(Duration.ZERO, Duration.ofMillis(1)).withFault(new Schedule.Fault(Schedule.Kind.STATUS, 500, 0), 1);
        try (ScheduleServer server = ScheduleServer.start(schedule, 0)) {
            Run run = run(server, settings(LoadPattern.closedLoop(2), 500, null, 0, 0.5, Duration.ofSeconds(30)), prompts(5));
            assertThat(run.outcome().stopReason()).contains("--max-error-rate");
            assertThat(run.records().size()).isBetween(LoadRunner.MIN_FINISHED_FOR_ERROR_RATE, 20);
            assertThat(run.records()).allSatisfy(r -> assertThat(r.error().kind()).isIn(RequestError.Kind.HTTP, RequestError.Kind.CANCELLED));
        }
    }

    @Test
    void stalledStreamsTimeOut() throws IOException {
        Schedule schedule = Schedule.of(Duration.ZERO, Duration.ofMillis(1)).withFault(new Schedule.Fault(Schedule.Kind.STALL, 0, 1), 1);
        try (ScheduleServer server = ScheduleServer.start(schedule, 0)) {
            Run run = run(server, settings(LoadPattern.closedLoop(2), 2, null, 0, 1, Duration.ofSeconds(1)), prompts(5));
            assertThat(run.records()).hasSize(2).allSatisfy(r -> {
                assertThat(r.error().kind()).isEqualTo(RequestError.Kind.TIMEOUT);
                assertThat(r.chunkNanos()).hasSize(1);
            });
        }
    }

    @Test
    void stopCancelsRequestsInFlight() throws Exception {
        Schedule schedule = Schedule.of(Duration.ZERO, Duration.ofMillis(1)).withFault(new Schedule.Fault(Schedule.Kind.STALL, 0, 0), 1);
        try (ScheduleServer server = ScheduleServer.start(schedule, 0);
             StreamingClient client = new StreamingClient(Endpoint.parse(server.baseUrl()), Map.of(), Duration.ofSeconds(3))) {
            LoadRunner runner = new LoadRunner(client, settings(LoadPattern.closedLoop(3), 3, null, 0, 1, Duration.ofSeconds(60)));
            List<RequestRecord> records = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<LoadRunner.Outcome> outcome = CompletableFuture.supplyAsync(() -> runner.run(prompts(5), records::add));
            long deadline = System.nanoTime() + 10_000 * MS;
            while (server.completionRequests() < 3 && System.nanoTime() < deadline) LockSupport.parkNanos(MS);
            runner.stop("test stop");
            assertThat(outcome.get(10, java.util.concurrent.TimeUnit.SECONDS).stopReason()).isEqualTo("test stop");
            assertThat(records).hasSize(3).allSatisfy(r -> assertThat(r.error().kind()).isEqualTo(RequestError.Kind.CANCELLED));
        }
    }

    @Test
    void warmupIsSentButNotRecordedAndDurationBoundsTheRun() throws IOException {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ZERO, Duration.ofMillis(2)), 0)) {
            Run counted = run(server, settings(LoadPattern.closedLoop(2), 5, null, 3, 1, Duration.ofSeconds(30)), prompts(3));
            assertThat(counted.records()).hasSize(5);
            assertThat(server.completionRequests()).isEqualTo(8);
            Run timed = run(server, settings(LoadPattern.closedLoop(2), 0, Duration.ofMillis(300), 0, 1, Duration.ofSeconds(30)), prompts(3));
            assertThat(timed.records()).isNotEmpty().allSatisfy(r -> assertThat(r.scheduledNanos()).isLessThan(300 * MS));
        }
    }

    @Test
    void withoutUsageTheOutputCountIsTheContentChunksAndSaysSo() {
        StreamResult r = new StreamResult(100, new long[] {150, 160, 170}, null, 160, 2, -1, -1, null, ConnectionTimings.NONE);
        RequestRecord record = LoadRunner.toRecord("x", r, new Prompt(null, "p", 9, 3), false, 90, 50);
        assertThat(record.usageReported()).isFalse();
        assertThat(record.outputTokens()).isEqualTo(2);
        assertThat(record.promptTokens()).isEqualTo(9);
        assertThat(record.chunkNanos()).containsExactly(100, 110, 120);
        assertThat(record.scheduledNanos()).isEqualTo(40);
        assertThat(record.sentNanos()).isEqualTo(50);
        assertThat(Arrays.stream(record.chunkNanos()).min().orElseThrow()).isEqualTo(record.firstTokenNanos());
    }

    /** The most platform threads alive, and senders among them, seen each time a record arrives. */
    private static final class ThreadWatch {
        private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        final int before = threads.getThreadCount();
        int maxThreads;
        int maxSenders;

        synchronized void look() {
            maxThreads = Math.max(maxThreads, threads.getThreadCount());
            int senders = (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("headroom-sender-")).count();
            maxSenders = Math.max(maxSenders, senders);
        }
    }

    @Test
    void aCappedOpenLoopAtAHighRateKeepsItsThreadsToTheCap() throws Exception {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ZERO, Duration.ofMillis(1)), 0);
             StreamingClient client = KeepAliveClient.of(Endpoint.parse(server.baseUrl()))) {
            ThreadWatch watch = new ThreadWatch();
            List<RequestRecord> records = Collections.synchronizedList(new ArrayList<>());
            new LoadRunner(client, settings(LoadPattern.openLoop(500, 1, 4), 300, null, 0, 1, Duration.ofSeconds(30)))
                    .run(prompts(2), r -> {
                        records.add(r);
                        watch.look();
                    });
            assertThat(records).hasSize(300).allSatisfy(r -> assertThat(r.ok()).isTrue());
            assertThat(watch.maxSenders).isBetween(1, 4);
            assertThat(watch.maxThreads - watch.before).isLessThan(60);
            assertThat(client.connectionsOpened()).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void anUncappedOpenLoopHoldsNoThreadPerRequest() throws IOException {
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ZERO, Duration.ofMillis(2)), 0);
             StreamingClient client = new StreamingClient(Endpoint.parse(server.baseUrl()), Map.of(), Duration.ofSeconds(3))) {
            ThreadWatch watch = new ThreadWatch();
            List<RequestRecord> records = Collections.synchronizedList(new ArrayList<>());
            new LoadRunner(client, settings(LoadPattern.openLoop(400, 1, 0), 120, null, 0, 1, Duration.ofSeconds(30)))
                    .run(prompts(20), r -> {
                        records.add(r);
                        watch.look();
                    });
            assertThat(records).hasSize(120).allSatisfy(r -> {
                assertThat(r.ok()).isTrue();
                assertThat(r.sentNanos()).isGreaterThanOrEqualTo(r.scheduledNanos());
            });
            assertThat(records.stream().mapToLong(r -> r.connection().openedConnection() ? 1 : 0).sum())
                    .isEqualTo(client.connectionsOpened());
            assertThat(watch.maxSenders).isZero();
            assertThat(watch.maxThreads - watch.before).isLessThan(20);
        }
    }

    @Test
    void anExactOutputRequestAnsweredWithFewerTokensIsAShortOutputAndOneWithoutExactOutputIsNot() throws Exception {
        byte[] threeTokens = RawServer.sseResponse(3);
        try (RawServer server = new RawServer((request, out) -> {
            out.write(threeTokens);
            out.flush();
            return true;
        });
             StreamingClient client = new StreamingClient(server.endpoint(), Map.of(), Duration.ofSeconds(3))) {
            List<Prompt> askFive = List.of(new Prompt(null, "alpha", 1, 5));
            for (boolean exact : new boolean[] {true, false}) {
                RunSettings s = new RunSettings(Api.COMPLETIONS, "m", exact, Map.of(), Duration.ofSeconds(10),
                        LoadPattern.closedLoop(1), 2, null, 0, 1, 1, "x-");
                List<RequestRecord> records = Collections.synchronizedList(new ArrayList<>());
                new LoadRunner(client, s).run(askFive, records::add);
                assertThat(records).hasSize(2).allSatisfy(r -> {
                    assertThat(r.ok()).isTrue();
                    assertThat(r.outputTokens()).isEqualTo(3);
                    assertThat(r.exactOutputTokens()).isEqualTo(exact ? 5 : -1);
                    assertThat(r.shortOutput()).isEqualTo(exact);
                });
            }
        }
    }
}
