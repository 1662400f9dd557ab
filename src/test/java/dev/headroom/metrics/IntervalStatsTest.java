package dev.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IntervalStatsTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    /** ttft = ttftMs, then out-1 more chunks 10 ms apart, so TPOT is 10 ms. */
    private static RequestRecord record(long ttftMs, int out) {
        long[] chunks = new long[out];
        for (int i = 0; i < out; i++) chunks[i] = ttftMs * MS + i * 10 * MS;
        return new RequestRecord("r", 0, 0, chunks, -1, 1, out, true, null);
    }

    @Test
    void reportsTheIntervalAndThenResets() {
        IntervalStats stats = new IntervalStats(0);
        for (int i = 1; i <= 100; i++) {
            stats.requestSent();
            stats.tokensReceived(5);
            stats.requestFinished(record(i, 5)); // ttft 1..100 ms
        }
        stats.requestSent(); // still in flight
        stats.requestSent();
        stats.requestFinished(RequestRecord.failed("f", 0, 0, 1, RequestError.noTokens()));

        IntervalStats.Interval first = stats.sample(2 * S);
        assertThat(first.seconds()).isEqualTo(2.0);
        assertThat(first.completed()).isEqualTo(100);
        assertThat(first.failed()).isEqualTo(1);
        assertThat(first.inFlight()).isEqualTo(1);
        assertThat(first.requestsPerSecond()).isEqualTo(50.0);
        assertThat(first.outputTokensPerSecond()).isEqualTo(250.0);
        assertThat(first.ttftP50Ms()).isCloseTo(50, withinPercentage(1));
        assertThat(first.ttftP95Ms()).isCloseTo(95, withinPercentage(1));
        assertThat(first.tpotP50Ms()).isCloseTo(10, withinPercentage(1));

        stats.requestFinished(record(500, 1)); // one token: no TPOT
        IntervalStats.Interval second = stats.sample(3 * S);
        assertThat(second.seconds()).isEqualTo(1.0);
        assertThat(second.completed()).isEqualTo(1);
        assertThat(second.totalCompleted()).isEqualTo(101);
        assertThat(second.ttftP50Ms()).isCloseTo(500, withinPercentage(1));
        assertThat(second.tpotP50Ms()).isNaN();
        assertThat(second.outputTokensPerSecond()).isZero();
    }

    @Test
    void recordsFromManyThreadsWithoutLoss() throws Exception {
        IntervalStats stats = new IntervalStats(0);
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 2000; i++) {
                        stats.requestSent();
                        stats.tokensReceived(1);
                        stats.requestFinished(record(20, 3));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) f.get();
        }
        IntervalStats.Interval i = stats.sample(S);
        assertThat(i.completed()).isEqualTo(8000);
        assertThat(i.inFlight()).isZero();
        assertThat(i.outputTokensPerSecond()).isEqualTo(8000.0);
    }
}
