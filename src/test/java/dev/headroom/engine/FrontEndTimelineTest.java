package dev.headroom.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.metrics.EngineTiming;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.plan.FixedStep;
import dev.headroom.plan.FrontEnd;
import dev.headroom.plan.StepCostModel;
import dev.headroom.workload.LoadPattern;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API server in front of the simulated engine: one process whose tokenization and streaming queue. */
class FrontEndTimelineTest {

    private static final EngineConfig CONFIG = OfflineRunnerTest.CONFIG;

    /** Every step 1 ms; the API server takes {@code ingestMs} per request and {@code tokenUs} per output token. */
    private static StepCostModel cost(double ingestMs, double tokenUs) {
        return cost(ingestMs, 0, tokenUs);
    }

    /** As {@link #cost(double, double)}, with {@code promptTokenUs} of tokenization per prompt token. */
    private static StepCostModel cost(double ingestMs, double promptTokenUs, double tokenUs) {
        return new FixedStep(1_000_000, new FrontEnd(ingestMs, promptTokenUs, tokenUs));
    }

    private static List<RequestRecord> run(StepCostModel cost, int concurrency, int requests) {
        return OfflineRunner.run(CONFIG, cost, TestWorkloads.random(requests, 100, 10, 3),
                LoadPattern.closedLoop(concurrency), null, new OfflineRunner.Options(PromptFormat.COMPLETIONS, true, 0)).records();
    }

    /** The client sees ingestion before the engine and streaming after it; the engine's own timing sees neither. */
    @Test
    void aSingleRequestPaysTheApiServerBeforeAndAfterTheEngine() {
        RequestRecord r = run(cost(2, 100), 1, 1).get(0);
        assertThat(r.ttftNanos()).as("2 ms ingestion, a 1 ms prefill step, 0.1 ms streaming").isEqualTo(3_100_000);
        assertThat(r.e2elNanos()).as("then nine 1 ms steps, each token streamed 0.1 ms after").isEqualTo(12_100_000);
        EngineTiming engine = r.engine();
        assertThat(engine.queueMs()).isZero();
        assertThat(engine.ttftMs()).as("the engine's own TTFT: its one prefill step").isEqualTo(1.0);
        assertThat(engine.outsideEngineMs(r.ttftNanos() / 1e6)).isCloseTo(2.1, within(1e-9));
    }

    /**
     * The per-request constant (HTTP, the hand-off to the engine core) delays each request without holding the others
     * back: four requests sent at once all reach the engine at 2 ms and share its 1 ms prefill step.
     */
    @Test
    void thePerRequestConstantDelaysWithoutQueueing() {
        List<RequestRecord> records = run(cost(2, 0), 4, 4);
        assertThat(records.stream().mapToLong(RequestRecord::ttftNanos).toArray())
                .containsExactly(3_000_000, 3_000_000, 3_000_000, 3_000_000);
    }

    /**
     * Four requests of 100 prompt tokens sent at once are tokenized one after another at 20 µs a token (done at 2, 4,
     * 6, 8 ms), and the API server works
     * first come, first served: the first tokens of the first three (engine steps ending at 3, 5, 7 ms) wait behind
     * the ingestions queued before them and reach their clients at 8 ms; the fourth's step ends at 9 ms.
     */
    @Test
    void requestsQueueInFrontOfTheApiServer() {
        List<RequestRecord> records = run(cost(0, 20, 0), 4, 4);
        assertThat(records).allMatch(r -> r.sentNanos() == 0);
        assertThat(records.stream().mapToLong(RequestRecord::ttftNanos).toArray())
                .containsExactly(8_000_000, 8_000_000, 8_000_000, 9_000_000);
        assertThat(records.stream().mapToDouble(r -> r.engine().queueMs() + r.engine().ttftMs()).toArray())
                .as("the engine saw each request only after its ingestion").containsExactly(1.0, 1.0, 1.0, 1.0);
    }

    /** A step's outputs are streamed one after another: the n-th token of a step reaches its client n·cost later. */
    @Test
    void aStepsOutputsStreamOneAfterAnother() {
        List<RequestRecord> records = run(cost(0, 500), 4, 4);
        long[] firsts = records.stream().mapToLong(RequestRecord::firstTokenNanos).sorted().toArray();
        assertThat(firsts).containsExactly(1_500_000, 2_000_000, 2_500_000, 3_000_000);
    }

    /** Without an API server the timeline is the engine's alone (the default of a bare step cost). */
    @Test
    void noFrontEndLeavesTheEnginesTimeline() {
        RequestRecord r = run(w -> 1_000_000, 1, 1).get(0);
        assertThat(r.ttftNanos()).isEqualTo(1_000_000);
        assertThat(r.engine().outsideEngineMs(r.ttftNanos() / 1e6)).isZero();
    }
}
