package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.selftest.StepCorpus.Metric;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedPointTest {

    private static StepCorpus point(int concurrency, String stat) {
        return StepCorpus.parse("t.csv", "t|qwen3-4b|rtx4090|0.11.0||random|256|11||" + concurrency + "|inf||" + stat
                + "|30|||2||||||||https://e.org|n|q");
    }

    /**
     * A point run with --random-range-ratio 0.5 draws each request's lengths as vLLM's random dataset does: uniform
     * over [floor(len·0.5), ceil(len·1.5)], input and output each, not the nominal lengths for every request.
     */
    @Test
    void aRangeRatioDrawsEachRequestsLengthsAsVllmDoes() {
        StepCorpus p = StepCorpus.parse("t.csv", "t|qwen3-4b|rtx4090|0.11.0||random|256|11|0.5|4|inf|400|mean"
                + "|30|||2||||||||https://e.org|n|q");
        SimulatedPoint sim = SimulatedPoint.of(p);
        assertThat(sim.prompts()).hasSize(400);
        assertThat(sim.prompts()).allSatisfy(q -> {
            assertThat(q.inputTokens()).isBetween(128, 384);
            assertThat(q.outputTokens()).isBetween(5, 17);
        });
        assertThat(sim.prompts().stream().mapToInt(q -> q.inputTokens()).distinct().count()).isGreaterThan(100);
        assertThat(sim.prompts().stream().mapToInt(q -> q.outputTokens()).distinct().count()).as("5..17").isEqualTo(13);
        assertThat(sim.prompts().stream().mapToInt(q -> q.inputTokens()).average().orElseThrow()).isCloseTo(256, within(12.0));
    }

    /** Every step takes 1 ms: a single stream's first token comes after one prefill step, then one token a step. */
    @Test
    void aSingleStreamFollowsTheEngineSchedule() {
        SimulatedPoint sim = SimulatedPoint.of(point(1, "mean"));
        Map<Metric, Double> m = sim.predict(work -> 1_000_000);
        assertThat(sim.requests()).as("unpublished prompt count: a steady state").isEqualTo(20);
        assertThat(m.get(Metric.TTFT)).isCloseTo(1.0, within(1e-9));
        assertThat(m.get(Metric.TPOT)).isCloseTo(1.0, within(1e-9));
        assertThat(m.get(Metric.ITL)).isCloseTo(1.0, within(1e-9));
        assertThat(m.get(Metric.E2E)).as("11 tokens, one per step").isCloseTo(11.0, within(1e-9));
        assertThat(m.get(Metric.THROUGHPUT)).as("one request per 11 ms").isCloseTo(1000 / 11.0, within(1e-6));
    }

    /**
     * Four streams start at once (vllm bench serve's closed loop): the first wave prefills together in one step; the
     * next request of a stream is sent when its previous one ends and prefills beside the others' decodes.
     */
    @Test
    void aClosedLoopStartsEveryStreamAtOnce() {
        Map<Metric, Double> m = SimulatedPoint.of(point(4, "p50")).predict(work -> 1_000_000);
        assertThat(m.get(Metric.TTFT)).isCloseTo(1.0, within(1e-9));
        assertThat(m.get(Metric.E2E)).isCloseTo(11.0, within(1e-9));
        assertThat(m.get(Metric.THROUGHPUT)).as("four requests per 11 ms").isCloseTo(4000 / 11.0, within(1e-6));
    }

    @Test
    void percentilesInterpolateAsNumpyDoes() {
        double[] v = {1, 2, 3, 4};
        assertThat(SimulatedPoint.percentile(v, 50)).isEqualTo(2.5);
        assertThat(SimulatedPoint.percentile(v, 90)).isCloseTo(3.7, within(1e-12));
        assertThat(SimulatedPoint.percentile(new double[0], 50)).isNaN();
    }
}
