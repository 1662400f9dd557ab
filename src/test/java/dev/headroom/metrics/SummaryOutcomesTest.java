package dev.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What summary.json says about failures, cancellations, connections and queueing: nothing hidden, nothing made up. */
class SummaryOutcomesTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    private static RequestRecord ok(String id, long scheduled, long sent, ConnectionTimings c, long... chunks) {
        return new RequestRecord(id, scheduled, sent, chunks, -1, 10, chunks.length, true, null, c);
    }

    private static RequestRecord failed(String id, RequestError.Kind kind) {
        return RequestRecord.failed(id, 0, 0, 10, new RequestError(kind, 0, "x"));
    }

    @Test
    void failuresAreCountedByKindAndCancelledOnesApart() {
        Summary s = Summary.compute(List.of(ok("a", 0, 0, ConnectionTimings.NONE, 10 * MS),
                failed("b", RequestError.Kind.TIMEOUT), failed("c", RequestError.Kind.CONNECTION_CLOSED),
                failed("d", RequestError.Kind.TIMEOUT), failed("e", RequestError.Kind.CANCELLED)), S, null);
        assertThat(s.failed()).isEqualTo(3);
        assertThat(s.cancelled()).isEqualTo(1);
        assertThat(s.failedByKind()).containsExactly(Map.entry("connection_closed", 1), Map.entry("timeout", 2));
        Map<String, Object> json = s.toMap();
        assertThat(json).containsEntry("failed", 3).containsEntry("cancelled", 1)
                .containsEntry("failed_by_kind", Map.of("connection_closed", 1, "timeout", 2));
        assertThat(s.noneSucceeded()).isFalse();
    }

    @Test
    void failuresTheClientCausedAreCountedApartAndJudgedByTheOneRule() {
        Summary s = Summary.compute(List.of(ok("a", 0, 0, ConnectionTimings.NONE, 10 * MS),
                failed("b", RequestError.Kind.STALE_CONNECTION), failed("c", RequestError.Kind.TOOL),
                failed("d", RequestError.Kind.HTTP), failed("e", RequestError.Kind.CANCELLED)), S, null);
        assertThat(s.failed()).isEqualTo(3);
        assertThat(s.clientFailed()).isEqualTo(2);
        assertThat(s.toMap()).containsEntry("client_failed", 2).containsEntry("short_outputs", 0)
                .containsEntry("failed_by_kind", Map.of("http", 1, "stale_connection", 1, "tool", 1));
        assertThat(s.errors()).isEqualTo(new PointErrors(1, 3, 2, 0));
        assertThat(s.errors().serverFailures()).isEqualTo(1);
    }

    @Test
    void completedRequestsCutShortOfTheirExactOutputAreShortOutputs() {
        RequestRecord full = new RequestRecord("a", 0, 0, new long[] {MS, 2 * MS, 3 * MS, 4 * MS}, -1, 10, 4, true, null)
                .withExactOutput(4);
        RequestRecord cut = new RequestRecord("b", 0, 0, new long[] {MS, 2 * MS}, -1, 10, 2, true, null).withExactOutput(4);
        RequestRecord notExact = new RequestRecord("c", 0, 0, new long[] {MS, 2 * MS}, -1, 10, 2, true, null);
        RequestRecord noUsage = new RequestRecord("d", 0, 0, new long[] {MS, 2 * MS}, -1, 10, 2, false, null).withExactOutput(4);
        assertThat(List.of(full, cut, notExact, noUsage)).extracting(RequestRecord::shortOutput)
                .containsExactly(false, true, false, false);
        Summary s = Summary.compute(List.of(full, cut, notExact, noUsage), S, null);
        assertThat(s.completed()).isEqualTo(4);
        assertThat(s.shortOutputs()).isEqualTo(1);
        assertThat(s.toMap()).containsEntry("short_outputs", 1).containsEntry("client_failed", 0);
        assertThat(s.errors().serverFailures()).isEqualTo(1);
    }

    @Test
    void whenNoRequestSucceedsEveryLatencyIsNullNotZero() {
        Summary s = Summary.compute(List.of(failed("a", RequestError.Kind.HTTP), failed("b", RequestError.Kind.HTTP)), S, null);
        assertThat(s.noneSucceeded()).isTrue();
        Map<String, Object> json = s.toMap();
        for (String metric : List.of("ttft", "tpot", "itl", "e2el", "client_queue_time", "ntpot")) {
            assertThat(json).containsEntry("mean_" + metric + "_ms", null).containsEntry("p99_" + metric + "_ms", null)
                    .containsEntry("max_" + metric + "_ms", null);
        }
        assertThat(json).containsEntry("completed", 0).containsEntry("failed", 2);
    }

    @Test
    void connectionsOpenedCountsTheRequestsThatConnectedAndTtftSaysWhereItStarts() {
        Summary s = Summary.compute(List.of(ok("a", 0, 5 * MS, new ConnectionTimings(2 * MS, 3 * MS, 1), 20 * MS),
                ok("b", 0, 30 * MS, ConnectionTimings.NONE, 40 * MS), ok("c", 0, 50 * MS, new ConnectionTimings(MS, -1, 2), 60 * MS)), S, null);
        assertThat(s.connectionsOpened()).isEqualTo(2);
        assertThat(s.toMap()).containsEntry("connections_opened", 2).containsEntry("ttft_starts_at", "request_write");
    }

    @Test
    void sloAttainmentAndGoodputAreAlsoJudgedFromTheScheduledSend() {
        // Both meet e2el=100ms from their actual send; b waited 200 ms in the client before it, so from its scheduled send it does not.
        Summary s = Summary.compute(List.of(ok("a", 0, 0, ConnectionTimings.NONE, 50 * MS),
                ok("b", 0, 200 * MS, ConnectionTimings.NONE, 250 * MS)), 2 * S, Slo.parse("e2el=100ms"));
        assertThat(s.slo().attainmentPct()).isEqualTo(100.0);
        assertThat(s.slo().attainmentFromScheduledPct()).isEqualTo(50.0);
        assertThat(s.requestGoodput()).isEqualTo(1.0);
        assertThat(s.requestGoodputFromScheduled()).isEqualTo(0.5);
        assertThat(s.toMap()).containsEntry("slo_attainment_pct", 100.0).containsEntry("slo_attainment_from_scheduled_pct", 50.0)
                .containsEntry("request_goodput_from_scheduled", 0.5);
    }
}
