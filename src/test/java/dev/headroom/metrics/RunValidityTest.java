package dev.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunValidityTest {

    private static final long MS = 1_000_000;

    /** A successful request sent at {@code sentMs} whose {@code tokens} tokens arrive one per message until {@code endMs}. */
    private static RequestRecord request(double sentMs, double endMs, int tokens, int messages) {
        long[] chunks = new long[messages];
        for (int i = 0; i < messages; i++) chunks[i] = Math.round((sentMs + (endMs - sentMs) * (i + 1) / messages) * MS);
        return new RequestRecord("r", Math.round(sentMs * MS), Math.round(sentMs * MS), chunks, chunks[0], 10, tokens, true, null);
    }

    /** A closed loop of {@code slots} slots, each sending 100 ms requests with {@code gapMs} between them. */
    private static List<RequestRecord> closedLoop(int slots, int perSlot, double gapMs) {
        List<RequestRecord> records = new ArrayList<>();
        for (int s = 0; s < slots; s++) {
            double t = s * 0.5;
            for (int i = 0; i < perSlot; i++) {
                records.add(request(t, t + 100, 10, 10));
                t += 100 + gapMs;
            }
        }
        return records;
    }

    private static RunValidity.Asked closed(int concurrency) {
        return new RunValidity.Asked(concurrency, null, 1, true, false, null);
    }

    @Test
    void aClosedLoopThatKeptItsSlotsBusyDeliveredItsConcurrency() {
        RunValidity v = RunValidity.of(closedLoop(4, 20, 0.1), closed(4));
        assertThat(v.valid()).isTrue();
        assertThat(v.checks()).extracting(RunValidity.Check::name).containsExactly("concurrency_delivered", "client_not_limited",
                "no_client_failures", "one_token_per_message");
        assertThat(v.checks().get(0).detail()).startsWith("4.0 of 4 requests in flight");
    }

    @Test
    void aClosedLoopThatIdledBetweenRequestsDidNot() {
        // Each slot waits 50 ms after every 100 ms request: two thirds of the level in flight.
        RunValidity v = RunValidity.of(closedLoop(6, 20, 50), closed(6));
        assertThat(v.valid()).isFalse();
        assertThat(v.failures(RunValidity.Level.INVALID)).contains("4.0 of 6 requests in flight").contains("lighter load");
    }

    @Test
    void aRunWithFailuresLeavesItsLoadToTheErrorRate() {
        // A failed request's end is not recorded: its time in flight cannot be counted.
        List<RequestRecord> records = new ArrayList<>(closedLoop(4, 10, 0));
        records.add(RequestRecord.failed("f", 50 * MS, 50 * MS, 10, new RequestError(RequestError.Kind.TIMEOUT, 0, "timed out")));
        assertThat(RunValidity.of(records, closed(4)).checks()).extracting(RunValidity.Check::name)
                .doesNotContain("concurrency_delivered");
    }

    @Test
    void aRunNoLongerThanItsLevelHasNoSteadyPartToCheck() {
        assertThat(RunValidity.of(closedLoop(8, 1, 0), closed(8)).checks()).extracting(RunValidity.Check::name)
                .doesNotContain("concurrency_delivered");
    }

    @Test
    void anOpenLoopIsHeldToItsRateWithinTheSpreadOfItsArrivals() {
        List<RequestRecord> onTime = new ArrayList<>();
        List<RequestRecord> slow = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            onTime.add(request(i * 100.0, i * 100.0 + 50, 5, 5)); // 10 req/s
            slow.add(request(i * 200.0, i * 200.0 + 50, 5, 5));   // 5 req/s
        }
        RunValidity.Asked tenPerSecond = new RunValidity.Asked(null, 10.0, 1, true, false, null);
        assertThat(RunValidity.of(onTime, tenPerSecond).valid()).isTrue();
        RunValidity capped = RunValidity.of(slow, tenPerSecond);
        assertThat(capped.valid()).isFalse();
        assertThat(capped.failures(RunValidity.Level.INVALID)).contains("5.00 req/s against 10.0").contains("-50.0%")
                .contains("the concurrency cap held the rate down");
        RunValidity unlimited = RunValidity.of(slow, new RunValidity.Asked(null, Double.POSITIVE_INFINITY, 1, false, false, null));
        assertThat(unlimited.checks()).extracting(RunValidity.Check::name).doesNotContain("rate_delivered");
    }

    @Test
    void severalTokensPerMessageIsACautionNotAnInvalidRun() {
        List<RequestRecord> packed = List.of(request(0, 100, 40, 10), request(0, 100, 40, 10), request(0, 100, 10, 10));
        RunValidity v = RunValidity.of(packed, new RunValidity.Asked(null, null, 1, false, false, null));
        assertThat(v.valid()).isTrue();
        assertThat(v.failures(RunValidity.Level.CAUTION)).contains("67% of streams").contains("3.00 tokens per message")
                .contains("ITL is per message");
    }

    @Test
    void theClientSettingThePaceInvalidatesAMeasuredRunAndAPredictedRunHasNoClientToCheck() {
        List<RequestRecord> records = closedLoop(2, 5, 0);
        RunValidity limited = RunValidity.of(records, new RunValidity.Asked(2, null, 1, true, true, "client CPU at 93% of 2 cores"));
        assertThat(limited.valid()).isFalse();
        assertThat(limited.failures(RunValidity.Level.INVALID)).isEqualTo("the client set the pace: client CPU at 93% of 2 cores");
        RunValidity predicted = RunValidity.of(records, new RunValidity.Asked(2, null, 1, true, null, null));
        assertThat(predicted.checks()).extracting(RunValidity.Check::name).doesNotContain("client_not_limited");
        assertThat(predicted.toMap()).containsEntry("valid", true).containsKey("validity");
    }

    @Test
    void requestsTheClientFailedMakeTheRunNotDeliverItsLoad() {
        List<RequestRecord> records = new ArrayList<>(closedLoop(4, 10, 0));
        records.add(RequestRecord.failed("s1", 50 * MS, 50 * MS, 10, new RequestError(RequestError.Kind.STALE_CONNECTION, 0, "eof")));
        records.add(RequestRecord.failed("s2", 60 * MS, 60 * MS, 10, new RequestError(RequestError.Kind.STALE_CONNECTION, 0, "eof")));
        records.add(RequestRecord.failed("h", 70 * MS, 70 * MS, 10, new RequestError(RequestError.Kind.HTTP, 500, "boom")));
        RunValidity v = RunValidity.of(records, closed(4));
        assertThat(v.valid()).isFalse();
        assertThat(v.failures(RunValidity.Level.INVALID)).contains("2 of 43 requests failed by the client")
                .contains("stale_connection 2");
        RunValidity clean = RunValidity.of(closedLoop(4, 10, 0), closed(4));
        assertThat(clean.checks()).filteredOn(c -> c.name().equals("no_client_failures")).singleElement()
                .satisfies(c -> assertThat(c.pass()).isTrue());
    }
}
