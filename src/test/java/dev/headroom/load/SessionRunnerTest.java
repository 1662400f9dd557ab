package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.RequestRecord;
import dev.headroom.selftest.Schedule;
import dev.headroom.selftest.ScheduleServer;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Session;
import dev.headroom.workload.SessionScript;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Multi-turn sessions over HTTP: turns in order, think time after each answer, slots freed as sessions end, stop. */
class SessionRunnerTest {

    private static final long THINK_NANOS = 20_000_000L;

    private static List<Session> sessions(int count, int turns) {
        List<String> users = IntStream.range(0, turns).mapToObj(t -> "question " + t).toList();
        SessionScript script = new SessionScript("be brief", users, Collections.nCopies(turns, 2), Collections.nCopies(turns, 6));
        return IntStream.range(0, count).mapToObj(i -> new Session("s" + i, script, THINK_NANOS)).toList();
    }

    private static RunSettings settings(LoadPattern pattern, int sessions) {
        return new RunSettings(Api.COMPLETIONS, "schedule-model", true, Map.of(), Duration.ofSeconds(30), pattern, sessions,
                null, 0, 1, 1, "t-");
    }

    private static List<RequestRecord> run(LoadPattern pattern, long[] offsets, int count, int turns) throws IOException {
        List<RequestRecord> records = Collections.synchronizedList(new ArrayList<>());
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ofMillis(2), Duration.ofMillis(1)), 0);
             StreamingClient client = new StreamingClient(Endpoint.parse(server.baseUrl()), Map.of(), Duration.ofSeconds(3))) {
            LoadRunner.Outcome outcome = new SessionRunner(client, settings(pattern, count)).run(sessions(count, turns), offsets, records::add);
            assertThat(outcome.issued()).isEqualTo(count * turns);
            assertThat(outcome.stopReason()).isNull();
        }
        return records;
    }

    private static List<RequestRecord> session(List<RequestRecord> records, int s) {
        return records.stream().filter(r -> r.requestId().startsWith("t-" + s + "-"))
                .sorted(Comparator.comparingInt(RequestRecord::turn)).toList();
    }

    @Test
    void eachTurnWaitsItsThinkTimeAfterThePreviousAnswer() throws IOException {
        List<RequestRecord> records = run(LoadPattern.closedLoop(2), null, 4, 3);
        assertThat(records).hasSize(12).allSatisfy(r -> assertThat(r.ok()).as(String.valueOf(r.error())).isTrue());
        for (int s = 0; s < 4; s++) {
            List<RequestRecord> turns = session(records, s);
            assertThat(turns).extracting(RequestRecord::turn).containsExactly(0, 1, 2);
            for (int t = 1; t < 3; t++) {
                assertThat(turns.get(t).scheduledNanos()).isGreaterThanOrEqualTo(turns.get(t - 1).lastTokenNanos() + THINK_NANOS);
                assertThat(turns.get(t).sentNanos()).isGreaterThanOrEqualTo(turns.get(t).scheduledNanos());
            }
        }
    }

    @Test
    void aCappedOpenLoopStartsAWaitingSessionWhenOneEndsAndTimesItFromItsArrival() throws IOException {
        List<RequestRecord> records = run(LoadPattern.openLoop(1000, 1, 1), new long[] {0, 1_000_000, 2_000_000}, 3, 2);
        assertThat(records).hasSize(6);
        for (int s = 1; s < 3; s++) {
            RequestRecord first = session(records, s).get(0);
            assertThat(first.scheduledNanos()).isEqualTo(s * 1_000_000L);
            // One slot: session s starts only once session s-1 answered its last turn.
            assertThat(first.sentNanos()).isGreaterThan(session(records, s - 1).get(1).lastTokenNanos());
        }
    }

    @Test
    void stopEndsTheRunWithNoFurtherTurns() throws IOException {
        List<RequestRecord> records = Collections.synchronizedList(new ArrayList<>());
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ofMillis(2), Duration.ofMillis(1)), 0);
             StreamingClient client = new StreamingClient(Endpoint.parse(server.baseUrl()), Map.of(), Duration.ofSeconds(3))) {
            SessionRunner runner = new SessionRunner(client, settings(LoadPattern.closedLoop(1), 5));
            LoadRunner.Outcome outcome = runner.run(sessions(5, 4), null, r -> {
                records.add(r);
                if (records.size() == 3) runner.stop("enough");
            });
            assertThat(outcome.stopReason()).isEqualTo("enough");
            assertThat(outcome.issued()).isEqualTo(3);
        }
        assertThat(records).hasSize(3);
    }

    @Test
    void aFailedLaterTurnIsRecordedWithItsOwnPromptLengthHistoryIncluded() throws Exception {
        String answer = "data: {\"choices\":[{\"index\":0,\"text\":\" fine\"}]}\n\n".repeat(6)
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":300,\"completion_tokens\":6}}\n\ndata: [DONE]\n\n";
        String error = "{\"error\":{\"message\":\"boom\"}}";
        byte[] failure = ("HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: "
                + error.length() + "\r\n\r\n" + error).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        List<RequestRecord> records = Collections.synchronizedList(new ArrayList<>());
        try (RawServer server = new RawServer((request, out) -> {
            if (request == 0) {
                out.write(RawServer.chunkedHead());
                out.write(RawServer.chunks(answer, 100));
                out.write(RawServer.terminator());
            } else {
                out.write(failure);
            }
            out.flush();
            return true;
        });
             StreamingClient client = new StreamingClient(server.endpoint(), Map.of(), Duration.ofSeconds(3))) {
            new SessionRunner(client, settings(LoadPattern.closedLoop(1), 1)).run(sessions(1, 2), null, records::add);
        }
        List<RequestRecord> turns = session(records, 0);
        assertThat(turns.get(0).ok()).isTrue();
        assertThat(turns.get(0).promptTokens()).isEqualTo(300);
        RequestRecord failed = turns.get(1);
        assertThat(failed.error().status()).isEqualTo(500);
        // The server's 300-token first prompt, its 6-token answer, and the 2-token new question: not the question alone.
        assertThat(failed.promptTokens()).isEqualTo(300 + 6 + 2);
        assertThat(failed.usageReported()).isFalse();
    }
}
