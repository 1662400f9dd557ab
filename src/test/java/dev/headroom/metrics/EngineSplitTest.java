package dev.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineSplitTest {

    /** A successful request whose client TTFT was {@code ttftMs}, with the engine's own timing (or none). */
    private static RequestRecord record(double ttftMs, EngineTiming engine) {
        long sent = 2_000_000;
        return new RequestRecord("r", 0, sent, new long[] {sent + Math.round(ttftMs * 1e6)}, -1, 10, 1, true, null,
                ConnectionTimings.NONE, -1, -1, engine);
    }

    @Test
    void theRestOfTheClientsTtftIsWhatTheEngineDidNotSee() {
        List<RequestRecord> records = List.of(
                record(40, new EngineTiming(5, 20, 100, 10)),   // 15 ms outside the engine
                record(60, new EngineTiming(25, 20, 100, 10)),  // 15 ms
                record(33, new EngineTiming(0, 30, 100, 10)),   // 3 ms
                record(50, null),                                 // a server without per-request metrics
                RequestRecord.failed("f", 0, 0, 10, RequestError.noTokens()).withEngineTiming(new EngineTiming(1, 1, 1, 1)));
        Map<String, Object> m = EngineSplit.toMap(records);
        assertThat(m).containsEntry("server_metrics_requests", 3).containsEntry("median_engine_queue_ms", 5.0)
                .containsEntry("median_engine_ttft_ms", 20.0);
        assertThat((Double) m.get("median_ttft_outside_engine_ms")).isCloseTo(15.0, within(1e-6));
        assertThat((Double) m.get("p95_ttft_outside_engine_ms")).isCloseTo(15.0, within(1e-6));
        assertThat((Double) m.get("p95_engine_queue_ms")).isCloseTo(23.0, within(1e-9)); // numpy: 5 + 0.9 × 20
    }

    @Test
    void withoutTheServersTimingEveryKeyIsThereAndNull() {
        Map<String, Object> m = EngineSplit.toMap(List.of(record(50, null), record(40, new EngineTiming(Double.NaN, 20, 1, 1))));
        assertThat(m).containsEntry("server_metrics_requests", 0).containsKeys("median_engine_queue_ms", "p99_ttft_outside_engine_ms");
        assertThat(m.entrySet().stream().filter(e -> !e.getKey().equals("server_metrics_requests")
                && !e.getKey().equals("mean_engine_prefill_ms"))).allSatisfy(e -> assertThat(e.getValue()).isNull());
        assertThat(m).as("a server that times prefill but not its queue (llama.cpp) still gives the prefill")
                .containsEntry("mean_engine_prefill_ms", 20.0);
    }

    @Test
    void anEngineReportsItsTimingFromItsOwnStamps() {
        // Received at 0, scheduled at 3 ms, first token at 10 ms, fifth and last at 30 ms.
        EngineTiming t = EngineTiming.of(0, 3_000_000, 10_000_000, 30_000_000, 5);
        assertThat(t).isEqualTo(new EngineTiming(3, 7, 20, 5));
        assertThat(EngineTiming.of(0, 3_000_000, 10_000_000, 10_000_000, 1).meanItlMs()).isNaN();
        assertThat(EngineTiming.of(0, -1, -1, -1, 0)).isNull();
    }
}
