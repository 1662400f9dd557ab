package dev.headroom.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The latency factor is the component of the request's time that grew, split with what the server says. */
class LatencyLimitTest {

    private static final Judge JUDGE = new Judge(SloChoice.playbook("chat"), 0.01);

    private static List<LoadPoint> curve(Points... points) {
        return Analyzer.combine(List.of(points).stream().map(Points::build).toList(), Axis.CONCURRENCY);
    }

    /** A point with mean TTFT and E2E, median TPOT, and the running and waiting gauges. */
    private static Points at(double c, double ttftMs, double e2elMs, double tpotMs, double running, double waiting) {
        return Points.at(c).latencies(100 * c, ttftMs, tpotMs, e2elMs).with("mean_ttft_ms", ttftMs).with("mean_e2el_ms", e2elMs)
                .with("num_requests_running_mean", running).with("num_requests_running_max", running)
                .with("num_requests_waiting_mean", waiting);
    }

    /** llama-server with 4 slots on 2 CPU cores: each response's timings give the prompt's evaluation. */
    private static List<LoadPoint> slotServer() {
        return curve(at(1, 1200, 3200, 16, 1, 0).with("mean_engine_prefill_ms", 1150),
                at(2, 1500, 5500, 30, 2, 0).with("mean_engine_prefill_ms", 1450),
                at(4, 2000, 9000, 50, 4, 0).with("mean_engine_prefill_ms", 1950),
                at(8, 9000, 16000, 52, 4, 4).with("mean_engine_prefill_ms", 2000),
                at(16, 25000, 32000, 52, 4, 12).with("mean_engine_prefill_ms", 2000));
    }

    @Test
    void aSlotServerQueueingForItsSlotsIsNamedFromTheLoadsWhereTheQueueLed() {
        Limit limit = LimitFinder.find(slotServer(), JUDGE, Axis.CONCURRENCY);
        assertThat(limit.factor()).isEqualTo(Factor.QUEUEING);
        assertThat(limit.onset()).as("decode led up to 4; the queue from 8 on").isEqualTo(8.0);
        assertThat(limit.evidence()).hasSize(1);
        assertThat(limit.evidence().get(0)).startsWith("the time requests waited in the server's queue rose from 0.0 ms at "
                + "concurrency 1 to 23.00 s at concurrency 16, with 12 requests waiting on average and at most 4 running at "
                + "once: they waited for a free slot").contains("queue +23.00 s, prefill +800 ms, decode +5.00 s",
                "the server's own per-request timings").doesNotContain("num_requests", "_ms");
    }

    @Test
    void aServerWhoseGaugeSaysNobodyWaitedNeverQueues() {
        // TTFT grows tenfold, but the waiting gauge stays at 0: the growth is prefill, whatever else it could be.
        List<LoadPoint> points = curve(at(1, 200, 1200, 10, 1, 0), at(8, 2000, 3200, 11, 8, 0), at(16, 4000, 5300, 12, 16, 0.1));
        Limit limit = LimitFinder.find(points, JUDGE, Axis.CONCURRENCY);
        assertThat(limit.factor()).isEqualTo(Factor.PREFILL_COMPUTE);
        assertThat(limit.evidence().get(0)).contains("with no request waiting in the server's queue", "queue +0.0 ms");
    }

    @Test
    void theSameTtftGrowthWhileRequestsWaitIsQueueing() {
        List<LoadPoint> points = curve(at(1, 200, 1200, 10, 1, 0), at(8, 2000, 3200, 11, 4, 4), at(16, 4000, 5300, 12, 4, 12));
        Limit limit = LimitFinder.find(points, JUDGE, Axis.CONCURRENCY);
        assertThat(limit.factor()).isEqualTo(Factor.QUEUEING);
        assertThat(limit.evidence().get(0)).contains("queue +3.80 s");
    }

    @Test
    void decodeStepsGrowingWithTheBatchAreComputeNotBandwidth() {
        // 2 CPU cores: the time per step grew 6.6x from batch 1 to 13.
        List<LoadPoint> cpu = curve(at(1, 100, 2100, 10, 1, 0), at(16, 130, 13300, 66, 13, 0));
        Limit limit = LimitFinder.find(cpu, JUDGE, Axis.CONCURRENCY);
        assertThat(limit.factor()).isEqualTo(Factor.DECODE_COMPUTE);
        assertThat(limit.evidence().get(0)).contains("while the batch grew from 1 to 13 requests", "compute sets the pace");
    }

    @Test
    void stepsGrowingWithTheLoadWhileMostTokensArePromptsArePrefillInterference() {
        // Summaries: 2,048 prompt tokens for every 384 generated; the step grew 6x as the batch grew 16x.
        List<LoadPoint> summaries = curve(
                at(1, 300, 6000, 15, 1, 0).with("total_input_tokens", 204800).with("total_output_tokens", 38400),
                at(16, 900, 36000, 90, 16, 0).with("total_input_tokens", 204800).with("total_output_tokens", 38400));
        Limit limit = LimitFinder.find(summaries, JUDGE, Axis.CONCURRENCY);
        assertThat(limit.factor()).isEqualTo(Factor.PREFILL_INTERFERENCE);
        assertThat(limit.evidence().get(0)).contains("84.2% of the tokens sent and generated were prompt tokens",
                "new prompts' prefill");
    }

    @Test
    void stepsGrowingWithTheBatchWhileMostTokensAreGeneratedAreDecodeCompute() {
        List<LoadPoint> answers = curve(
                at(1, 300, 6000, 15, 1, 0).with("total_input_tokens", 12800).with("total_output_tokens", 51200),
                at(16, 900, 36000, 90, 16, 0).with("total_input_tokens", 12800).with("total_output_tokens", 51200));
        assertThat(LimitFinder.find(answers, JUDGE, Axis.CONCURRENCY).factor()).isEqualTo(Factor.DECODE_COMPUTE);
    }

    @Test
    void decodeStepsNearlyFlatAsTheBatchGrowsAreBandwidth() {
        List<LoadPoint> gpu = curve(at(1, 100, 2100, 10, 1, 0), at(64, 130, 5100, 25, 60, 0));
        assertThat(LimitFinder.find(gpu, JUDGE, Axis.CONCURRENCY).factor()).isEqualTo(Factor.DECODE_BANDWIDTH);
    }

    @Test
    void theServersOwnQueueTimeOverridesTheGauge() {
        // vLLM's per-request metrics: queue time 0 at every load, though TTFT grew (the simulator's engine split).
        List<LoadPoint> points = curve(at(1, 200, 1200, 10, 1, 0).with("mean_engine_queue_ms", 0).with("mean_engine_prefill_ms", 190),
                at(64, 2200, 3400, 11, 60, 2).with("mean_engine_queue_ms", 0).with("mean_engine_prefill_ms", 2150));
        Limit limit = LimitFinder.find(points, JUDGE, Axis.CONCURRENCY);
        assertThat(limit.factor()).isEqualTo(Factor.PREFILL_COMPUTE);
        assertThat(limit.evidence().get(0)).contains("queue +0.0 ms, prefill +2.00 s");
    }
}
