package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The life of a request splits TTFT as the server says, and never books queue the server's gauge denies. */
class RequestLifeTest {

    /** A request sent at 0 whose first token came at {@code ttftMs} and last at {@code ttftMs + decodeMs}. */
    private static RequestTimes request(double ttftMs, double decodeMs, double serverQueueMs, double serverPrefillMs) {
        return new RequestTimes(0, 0, ttftMs, ttftMs + decodeMs, new double[] {ttftMs, ttftMs + decodeMs}, 512, 32, true,
                serverQueueMs, serverPrefillMs);
    }

    private static List<RequestTimes> run(double queueMs, double prefillMs) {
        List<RequestTimes> rs = new ArrayList<>();
        for (int i = 0; i < 100; i++) rs.add(request(queueMs + prefillMs + i, 1000, Double.NaN, Double.NaN));
        return rs;
    }

    @Test
    void withNobodyWaitingTheWholeTtftIsPrefillNotQueue() {
        // The old estimate booked TTFT minus the run's fastest TTFT as queue: 99 ms for the p99 request here.
        RequestLife.Dissection d = RequestLife.of(run(0, 300), Map.of("num_requests_waiting_mean", 0.0)).orElseThrow();
        assertThat(d.p99().serverQueueMs()).isZero();
        assertThat(d.median().serverQueueMs()).isZero();
        assertThat(d.p99().prefillMs()).isEqualTo(399.0);
        assertThat(d.method()).contains("0 requests waiting on average");
    }

    @Test
    void withRequestsWaitingAndNoServerTimingTheQueueIsStillEstimated() {
        RequestLife.Dissection d = RequestLife.of(run(0, 300), Map.of("num_requests_waiting_mean", 3.0)).orElseThrow();
        assertThat(d.p99().serverQueueMs()).isEqualTo(99.0);
        assertThat(d.method()).contains("estimated as the run's fastest time to first token");
    }

    @Test
    void theServersOwnQueueTimeIsTheQueueWithinOneStep() {
        // The simulator's engine (as vLLM's per-request metrics): queue 0, engine TTFT 180 ms, 20 ms in the front end.
        List<RequestTimes> rs = new ArrayList<>();
        for (int i = 0; i < 100; i++) rs.add(request(200 + i, 1000, 0, 180 + i));
        RequestLife.Dissection d = RequestLife.of(rs, Map.of("num_requests_waiting_mean", 2.0)).orElseThrow();
        assertThat(d.p99().serverQueueMs()).as("the engine said 0 ms, whatever the gauge").isZero();
        assertThat(d.p99().prefillMs()).isEqualTo(299.0);
        assertThat(d.method()).contains("the server's own queue time for each request");
    }

    @Test
    void aSlotServerBooksTheRestOfTtftAsQueueOnlyWhileRequestsWait() {
        // llama.cpp: prompt evaluation 1,147 ms of a 1,160 ms TTFT; the rest is queue only when requests were deferred.
        List<RequestTimes> alone = List.of(request(1160, 3000, Double.NaN, 1147));
        RequestLife quiet = RequestLife.of(alone, Map.of("num_requests_waiting_mean", 0.0)).orElseThrow().median();
        assertThat(quiet.serverQueueMs()).isZero();
        assertThat(quiet.prefillMs()).isEqualTo(1160.0);
        List<RequestTimes> deferred = List.of(request(5160, 3000, Double.NaN, 1147));
        RequestLife busy = RequestLife.of(deferred, Map.of("num_requests_waiting_mean", 7.5)).orElseThrow().median();
        assertThat(busy.serverQueueMs()).isCloseTo(4013.0, within(1e-9));
        assertThat(busy.prefillMs()).isCloseTo(1147.0, within(1e-9));
    }
}
