package dev.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class SummaryTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final Offset<Double> EPS = within(1e-9);

    private static RequestRecord ok(String id, long scheduled, long sent, int prompt, int out, boolean usage,
                                    long firstContent, long... chunks) {
        return new RequestRecord(id, scheduled, sent, chunks, firstContent, prompt, out, usage, null);
    }

    private static RequestRecord failed(String id, int prompt) {
        return RequestRecord.failed(id, 0, 0, prompt, new RequestError(RequestError.Kind.HTTP, 500, "boom"));
    }

    /** A: ttft 100 ms, e2el 250 ms, 5 tokens, gaps 50 and 100 ms. B: sent 50 ms late, one chunk, 1 token. */
    private static List<RequestRecord> twoOkOneFailed() {
        return List.of(
                ok("a", 0, 0, 10, 5, true, 150 * MS, 100 * MS, 150 * MS, 250 * MS),
                ok("b", 0, 50 * MS, 20, 1, false, -1, 250 * MS),
                failed("c", 30));
    }

    @Test
    void countsThroughputsAndDistributionsAsVllm() {
        Summary s = Summary.compute(twoOkOneFailed(), 2 * S, null);
        assertThat(s.completed()).isEqualTo(2);
        assertThat(s.failed()).isEqualTo(1);
        assertThat(s.durationSeconds()).isEqualTo(2.0);
        assertThat(s.totalInputTokens()).as("failed prompts are not counted").isEqualTo(30);
        assertThat(s.totalOutputTokens()).isEqualTo(6);
        assertThat(s.requestThroughput()).isCloseTo(1.0, EPS);
        assertThat(s.outputThroughput()).isCloseTo(3.0, EPS);
        assertThat(s.totalTokenThroughput()).isCloseTo(18.0, EPS);
        // ttft [100, 200] ms
        assertThat(s.ttft().meanMs()).isCloseTo(150, EPS);
        assertThat(s.ttft().medianMs()).isCloseTo(150, EPS);
        assertThat(s.ttft().stdMs()).isCloseTo(50, EPS);
        assertThat(s.ttft().percentileMs(90)).isCloseTo(100 + 100 * 0.9, EPS);
        assertThat(s.ttft().maxMs()).isCloseTo(200, EPS);
        // e2el [250, 200] ms
        assertThat(s.e2el().meanMs()).isCloseTo(225, EPS);
        // itl pooled [50, 100] ms
        assertThat(s.itl().count()).isEqualTo(2);
        assertThat(s.itl().meanMs()).isCloseTo(75, EPS);
        assertThat(s.usageReportedFraction()).isEqualTo(0.5);
        assertThat(s.requestGoodput()).isNull();
    }

    @Test
    void tpotExcludesRequestsWithAtMostOneOutputToken() {
        Summary s = Summary.compute(twoOkOneFailed(), S, null);
        // only A: (250 - 100) / (5 - 1)
        assertThat(s.tpot().count()).isEqualTo(1);
        assertThat(s.tpot().meanMs()).isCloseTo(150.0 / 4, EPS);
        assertThat(s.tpot().stdMs()).isZero();
        assertThat(s.distribution("decode_itl").meanMs()).isCloseTo(150.0 / 4, EPS);
        // ntpot = e2el / out for both: 250/5 and 200/1
        assertThat(s.distribution("ntpot").meanMs()).isCloseTo((50 + 200) / 2.0, EPS);
    }

    @Test
    void pooledItlIsChunkWeightedWhileTpotIsRequestWeighted() {
        long[] longChunks = new long[11];
        for (int i = 0; i <= 10; i++) longChunks[i] = 100 * MS + i * 10 * MS; // ten 10 ms gaps
        List<RequestRecord> records = List.of(
                ok("long", 0, 0, 1, 11, true, -1, longChunks),
                ok("short", 0, 0, 1, 2, true, -1, 100 * MS, 200 * MS)); // one 100 ms gap
        Summary s = Summary.compute(records, S, null);
        assertThat(s.itl().count()).isEqualTo(11);
        assertThat(s.itl().meanMs()).isCloseTo((10 * 10 + 100) / 11.0, EPS);
        assertThat(s.itl().medianMs()).isCloseTo(10, EPS);
        assertThat(s.tpot().meanMs()).isCloseTo((10 + 100) / 2.0, EPS);
    }

    @Test
    void clientQueueAndLatencyFromTheScheduledSend() {
        Summary s = Summary.compute(twoOkOneFailed(), S, null);
        // B was scheduled at 0 and sent at 50 ms: queue [0, 50]; e2el incl. queue [250, 250]; ttft incl. [100, 250]
        assertThat(s.distribution("client_queue_time").meanMs()).isCloseTo(25, EPS);
        assertThat(s.distribution("e2el_including_client_queue").meanMs()).isCloseTo(250, EPS);
        assertThat(s.distribution("ttft_including_client_queue").maxMs()).isCloseTo(250, EPS);
        // only A has content: 150 ms after send
        assertThat(s.distribution("ttft_content").count()).isEqualTo(1);
        assertThat(s.distribution("ttft_content").meanMs()).isCloseTo(150, EPS);
    }

    @Test
    void peakConcurrencyIsASweepOverHalfOpenIntervals() {
        List<RequestRecord> records = List.of(
                ok("a", 0, 0, 1, 1, true, -1, 100 * MS),
                ok("b", 0, 100 * MS, 1, 1, true, -1, 200 * MS), // starts as a ends: not concurrent
                ok("c", 0, 150 * MS, 1, 1, true, -1, 400 * MS),
                ok("d", 0, 160 * MS, 1, 1, true, -1, 300 * MS),
                failed("e", 1));
        assertThat(Summary.compute(records, S, null).maxConcurrentRequests()).isEqualTo(3);
        List<RequestRecord> touching = List.of(
                ok("a", 0, 0, 1, 1, true, -1, 100 * MS),
                ok("b", 0, 100 * MS, 1, 1, true, -1, 200 * MS));
        assertThat(Summary.compute(touching, S, null).maxConcurrentRequests()).isEqualTo(1);
    }

    @Test
    void peakOutputCountsChunksPerOneSecondBucketFromTheEarliestSend() {
        List<RequestRecord> records = List.of(
                ok("a", 0, 200 * MS, 1, 4, true, -1, 300 * MS, 700 * MS, 1100 * MS, 1200 * MS),
                ok("b", 0, 500 * MS, 1, 3, true, -1, 1200 * MS, 1500 * MS, 2190 * MS));
        // buckets from 200 ms: [0.2,1.2) holds 300, 700, 1100 → 3; [1.2,2.2) holds 1200, 1200, 1500, 2190 → 4
        assertThat(Summary.compute(records, 3 * S, null).maxOutputTokensPerS()).isEqualTo(4.0);
    }

    @Test
    void goodputCountsRequestsMeetingEveryThresholdAndAttainmentCountsFailures() {
        Summary s = Summary.compute(twoOkOneFailed(), 2 * S, Slo.parse("ttft=120ms"));
        // A ttft 100 ≤ 120 good; B 200 not; C failed
        assertThat(s.requestGoodput()).isCloseTo(0.5, EPS);
        assertThat(s.slo().attainmentPct()).isCloseTo(100.0 / 3, EPS);
        assertThat(s.toMap()).containsEntry("request_goodput", 0.5);

        Summary tpotOnly = Summary.compute(twoOkOneFailed(), S, Slo.parse("tpot=30ms"));
        // A tpot 37.5 > 30; B has one token so its tpot counts as 0 (serve.py)
        assertThat(tpotOnly.slo().goodRequests()).isEqualTo(1);

        Summary both = Summary.compute(twoOkOneFailed(), S, Slo.parse("ttft=1s,e2el=240ms"));
        // A e2el 250 > 240; B e2el 200 ok and ttft 200 ok
        assertThat(both.slo().goodRequests()).isEqualTo(1);
    }

    @Test
    void percentileTargetsReportMeasuredValueAndPass() {
        // e2el [250, 200]: p95 = 200 + 50 * 0.95 = 247.5 ms
        Summary fail = Summary.compute(twoOkOneFailed(), S, Slo.parse("p95_e2el=240ms"));
        SloResult.Check check = fail.slo().checks().get(0);
        assertThat(check.measuredMs()).isCloseTo(247.5, EPS);
        assertThat(check.pass()).isFalse();
        assertThat(fail.slo().pass()).isFalse();
        assertThat(fail.slo().attainmentPct()).as("no per-request thresholds").isNull();
        assertThat(fail.requestGoodput()).isNull();
        Summary pass = Summary.compute(twoOkOneFailed(), S, Slo.parse("p95_e2el=250ms"));
        assertThat(pass.slo().pass()).isTrue();
        assertThat(pass.toMap()).containsEntry("slo_pass", true);
    }

    @Test
    void percentileTargetFailsWhenNothingWasMeasured() {
        Summary s = Summary.compute(List.of(failed("x", 1)), S, Slo.parse("p99_ttft=10s"));
        assertThat(s.slo().pass()).isFalse();
    }

    @Test
    void allFailedReportsZerosLikeVllm() {
        Summary s = Summary.compute(List.of(failed("x", 5), failed("y", 5)), S, null);
        assertThat(s.completed()).isZero();
        assertThat(s.failed()).isEqualTo(2);
        assertThat(s.ttft().meanMs()).isZero();
        assertThat(s.itl().percentileMs(99)).isZero();
        assertThat(s.maxOutputTokensPerS()).isZero();
        assertThat(s.maxConcurrentRequests()).isZero();
    }

    @Test
    void mapHasVllmKeysFirstInVllmOrder() {
        Map<String, Object> m = Summary.compute(twoOkOneFailed(), S, null).toMap();
        List<String> keys = new ArrayList<>(m.keySet());
        assertThat(keys.subList(0, 11)).containsExactly("duration", "completed", "failed", "total_input_tokens",
                "total_output_tokens", "request_throughput", "request_goodput", "output_throughput",
                "total_token_throughput", "max_output_tokens_per_s", "max_concurrent_requests");
        assertThat(keys.subList(11, 18)).containsExactly("mean_ttft_ms", "median_ttft_ms", "std_ttft_ms",
                "p90_ttft_ms", "p95_ttft_ms", "p99_ttft_ms", "p99.9_ttft_ms");
        assertThat(keys.indexOf("p99.9_e2el_ms")).isLessThan(keys.indexOf("max_ttft_ms"));
        assertThat(m).containsKeys("mean_tpot_ms", "p99_itl_ms", "max_e2el_ms", "mean_client_queue_time_ms",
                "p99_e2el_including_client_queue_ms", "median_ttft_content_ms", "mean_ntpot_ms",
                "p95_decode_itl_ms", "usage_reported_fraction");
        assertThat(m).doesNotContainKey("slo");
        assertThat(m.get("request_goodput")).isNull();
    }

    @Test
    void requestLengthsAreTheSucceededRequestsTokensAsSentAndReceived() {
        // Prompts [10, 20, 40, 80] and outputs [5, 1, 7, 3] succeeded; the failed 1000-token prompt is not counted.
        List<RequestRecord> records = List.of(
                ok("a", 0, 0, 10, 5, true, 150 * MS, 100 * MS, 150 * MS, 250 * MS),
                ok("b", 0, 0, 20, 1, true, -1, 250 * MS),
                ok("c", 0, 0, 40, 7, true, -1, 100 * MS, 300 * MS),
                ok("d", 0, 0, 80, 3, true, -1, 100 * MS, 200 * MS),
                failed("e", 1000));
        Map<String, Object> m = Summary.compute(records, S, null).toMap();
        // numpy: mean [10,20,40,80] = 37.5, median 30, percentile 90 = 40 + 0.7 * 40 = 68.
        assertThat((Double) m.get("mean_input_tokens")).isCloseTo(37.5, EPS);
        assertThat((Double) m.get("median_input_tokens")).isCloseTo(30, EPS);
        assertThat((Double) m.get("p90_input_tokens")).isCloseTo(68, EPS);
        // [1, 3, 5, 7]: mean 4, median 4, percentile 90 = 5 + 0.7 * 2 = 6.4.
        assertThat((Double) m.get("mean_output_tokens")).isCloseTo(4, EPS);
        assertThat((Double) m.get("median_output_tokens")).isCloseTo(4, EPS);
        assertThat((Double) m.get("p90_output_tokens")).isCloseTo(6.4, EPS);
        Map<String, Object> none = Summary.compute(List.of(failed("x", 5)), S, null).toMap();
        assertThat(none).containsEntry("mean_input_tokens", null).containsEntry("p90_output_tokens", null);
    }

    @Test
    void zeroDurationIsRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Summary.compute(List.of(), 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("durationNanos");
    }
}
