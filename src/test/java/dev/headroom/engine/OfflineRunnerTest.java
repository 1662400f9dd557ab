package dev.headroom.engine;

import dev.headroom.plan.StepCostModel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.RequestRecord;
import dev.headroom.workload.LoadPattern;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineRunnerTest {

    /** 1 ms fixed plus 10 µs per scheduled token: simple enough to reason about exact times. */
    static final StepCostModel LINEAR = w -> 1_000_000L + 10_000L * w.numTokens();

    static final EngineConfig CONFIG = new EngineConfig(2_000, 16, 64, 512, 2048, true, true, 0, 4096);

    private static OfflineRunner.Result run(LoadPattern pattern, long[] arrivals, int n, int warmup) {
        return OfflineRunner.run(CONFIG, LINEAR, TestWorkloads.random(n, 100, 20, 1), pattern, arrivals,
                new OfflineRunner.Options(PromptFormat.COMPLETIONS, true, warmup));
    }

    @Test
    void closedLoopKeepsExactlyConcurrencyInFlight() {
        List<RequestRecord> records = run(LoadPattern.closedLoop(4), null, 30, 0).records();
        assertThat(records).hasSize(30).allMatch(r -> r.ok() && r.outputTokens() == 20 && r.promptTokens() == 100);
        assertThat(records.subList(0, 4)).allMatch(r -> r.sentNanos() == 0);
        List<Long> finishes = new ArrayList<>(records.stream().map(RequestRecord::lastTokenNanos).sorted().toList());
        // Request k (k >= 4) is sent the instant the (k-4)-th finish frees a slot.
        for (int k = 4; k < 30; k++) {
            assertThat(records.get(k).sentNanos()).isEqualTo(finishes.get(k - 4));
            assertThat(records.get(k).scheduledNanos()).isEqualTo(records.get(k).sentNanos());
        }
        for (RequestRecord r : records) {
            long inFlight = records.stream().filter(o -> o.sentNanos() <= r.sentNanos()
                    && o.lastTokenNanos() > r.sentNanos()).count();
            assertThat(inFlight).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void tokensArriveAtStepEndsInOrder() {
        RequestRecord r = run(LoadPattern.closedLoop(1), null, 1, 0).records().getFirst();
        // Alone: prefill step of 100 tokens (2 ms) emits the first token, then 19 decode steps of 1.01 ms.
        assertThat(r.ttftNanos()).isEqualTo(2_000_000L);
        long[] c = r.chunkNanos();
        for (int i = 1; i < c.length; i++) assertThat(c[i] - c[i - 1]).isEqualTo(1_010_000L);
        assertThat(r.firstContentNanos()).isEqualTo(c[0]);
        assertThat(r.usageReported()).isTrue();
    }

    @Test
    void openLoopSendsAtArrivalAndCappedLoopWaitsForASlot() {
        long[] arrivals = {0, 100_000, 200_000, 300_000};
        List<RequestRecord> open = run(LoadPattern.openLoop(10, 1, 0), arrivals, 4, 0).records();
        for (int i = 0; i < 4; i++) {
            assertThat(open.get(i).scheduledNanos()).isEqualTo(arrivals[i]);
            assertThat(open.get(i).sentNanos()).isEqualTo(arrivals[i]);
        }
        List<RequestRecord> capped = run(LoadPattern.openLoop(10, 1, 1), arrivals, 4, 0).records();
        for (int i = 1; i < 4; i++) {
            assertThat(capped.get(i).scheduledNanos()).isEqualTo(arrivals[i]);
            assertThat(capped.get(i).sentNanos()).isEqualTo(capped.get(i - 1).lastTokenNanos());
        }
    }

    @Test
    void idleEngineJumpsToTheNextArrival() {
        long[] arrivals = {0, 5_000_000_000L};
        List<RequestRecord> records = run(LoadPattern.openLoop(0.4, 1, 0), arrivals, 2, 0).records();
        assertThat(records.get(1).ttftNanos()).isEqualTo(records.get(0).ttftNanos());
    }

    @Test
    void warmupRequestsRunFirstAndAreLeftOut() {
        OfflineRunner.Result result = run(LoadPattern.closedLoop(2), null, 10, 4);
        assertThat(result.records()).hasSize(6).allMatch(r -> r.requestId().startsWith("sim-"));
        assertThat(result.records().getFirst().sentNanos()).isZero();
        assertThat(result.snapshot().generationTokens()).isEqualTo(10 * 20);
    }

    @Test
    void withoutIgnoreEosRequestsStopAtTheirNaturalLength() {
        List<RequestRecord> records = OfflineRunner.run(CONFIG, LINEAR, TestWorkloads.random(40, 50, 400, 9),
                LoadPattern.closedLoop(8), null, new OfflineRunner.Options(PromptFormat.CHAT, false, 0)).records();
        assertThat(records).allMatch(r -> r.outputTokens() >= 16 && r.outputTokens() <= 400);
        assertThat(records.stream().mapToInt(RequestRecord::outputTokens).distinct().count()).isGreaterThan(20);
        assertThat(records).allMatch(r -> r.promptTokens() > 50);
    }

    @Test
    void requestsBeyondTheContextLengthFailLikeVllmsServer() {
        EngineConfig small = new EngineConfig(200, 16, 8, 256, 256, true, true, 0, 4096);
        List<RequestRecord> records = OfflineRunner.run(small, LINEAR, TestWorkloads.random(3, 200, 100, 2),
                LoadPattern.closedLoop(2), null, new OfflineRunner.Options(PromptFormat.COMPLETIONS, true, 0)).records();
        assertThat(records).hasSize(3).noneMatch(RequestRecord::ok);
        assertThat(records.getFirst().error().status()).isEqualTo(400);
        assertThat(records.getFirst().error().message()).startsWith("This model's maximum context length is 256 tokens. "
                + "However, you requested 300 tokens (200 in the messages, 100 in the completion).");
    }
}
