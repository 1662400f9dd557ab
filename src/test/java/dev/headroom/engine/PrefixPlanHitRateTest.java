package dev.headroom.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.workload.Arrivals;
import dev.headroom.workload.ChatWorkload;
import dev.headroom.workload.Lengths;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.PrefixPlan;
import dev.headroom.workload.Prompt;
import dev.headroom.workload.RandomWorkload;
import dev.headroom.workload.TokenCounter;
import dev.headroom.workload.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shared-prefix workloads reach their planned prefix-cache hit rate on the simulated engine's own counters. */
class PrefixPlanHitRateTest {

    private static final int VOCAB = 32_000;
    private static final int REQUESTS = 160;

    private static EngineConfig config(boolean caching) {
        return new EngineConfig(6_000, 16, 16, 2048, 4096, caching, true, 0, VOCAB);
    }

    /** Prompt lengths as the simulated server counts them (what {@code run --offline} uses). */
    static TokenCounter simCounter(PromptFormat format) {
        return format.counter(new SimTokenizer(VOCAB));
    }

    private static OfflineRunner.Result run(Workload workload, PromptFormat format, boolean caching) {
        return run(workload, format, caching, LoadPattern.closedLoop(8), null);
    }

    private static OfflineRunner.Result run(Workload workload, PromptFormat format, boolean caching, LoadPattern pattern,
                                            long[] arrivals) {
        List<Prompt> prompts = workload.prompts(REQUESTS, 7, simCounter(format));
        return OfflineRunner.run(config(caching), OfflineRunnerTest.LINEAR, prompts, pattern, arrivals,
                new OfflineRunner.Options(format, true, 0));
    }

    private static double hitRate(OfflineRunner.Result result) {
        return (double) result.snapshot().prefixCacheHits() / result.snapshot().prefixCacheQueries();
    }

    private static double medianTtftMs(OfflineRunner.Result result) {
        return TestWorkloads.median(result.records().stream().mapToDouble(r -> r.ttftNanos() / 1e6).toArray());
    }

    @Test
    void chatTrafficReachesTheHitTargetWithinFivePoints() {
        Workload workload = new ChatWorkload(Lengths.fixed(1024), Lengths.fixed(16)).withPrefix(PrefixPlan.hitTarget(0.6, 4));
        OfflineRunner.Result result = run(workload, PromptFormat.CHAT, true);
        assertThat(hitRate(result)).isCloseTo(0.6, within(0.05));
        assertThat(hitRate(result)).isCloseTo(workload.expectedPrefixHitRate(REQUESTS).orElseThrow(), within(0.01));
    }

    @Test
    void variedLengthsAndManyGroupsStillReachTheTarget() {
        Lengths input = new Lengths(1500, 0.3, 0, 1, Integer.MAX_VALUE);
        Workload workload = new RandomWorkload(input, Lengths.fixed(8)).withPrefix(PrefixPlan.hitTarget(0.35, 16));
        OfflineRunner.Result result = run(workload, PromptFormat.COMPLETIONS, true);
        assertThat(hitRate(result)).isCloseTo(0.35, within(0.05));
    }

    @Test
    void withoutPrefixCachingNothingHitsAndTtftIsHigher() {
        Workload workload = new ChatWorkload(Lengths.fixed(1024), Lengths.fixed(16)).withPrefix(PrefixPlan.hitTarget(0.6, 4));
        // An open loop below saturation, so TTFT is the prefill itself rather than queueing behind a closed loop.
        LoadPattern pattern = LoadPattern.openLoop(10, 1, 0);
        long[] arrivals = Arrivals.offsetsNanos(REQUESTS, 10, 1, 3);
        OfflineRunner.Result on = run(workload, PromptFormat.CHAT, true, pattern, arrivals);
        OfflineRunner.Result off = run(workload, PromptFormat.CHAT, false, pattern, arrivals);
        assertThat(hitRate(on)).isCloseTo(0.6, within(0.05));
        // vLLM records no prefix-cache stats with caching off: both counters stay at zero.
        assertThat(off.snapshot().prefixCacheHits()).isZero();
        assertThat(off.snapshot().prefixCacheQueries()).isZero();
        // Prefill of 1024 tokens against about 410 uncached ones: 11.2 ms against 5.1 ms per step alone.
        assertThat(medianTtftMs(off)).isGreaterThan(medianTtftMs(on) * 1.5);
    }

    @Test
    void aGivenPrefixLengthHitsItsFullBlocks() {
        Workload workload = new ChatWorkload(Lengths.fixed(800), Lengths.fixed(8)).withPrefix(PrefixPlan.shared(512, 2));
        OfflineRunner.Result result = run(workload, PromptFormat.CHAT, true);
        // Fitted to 520 counted tokens, 515 shared before the user text: 32 blocks for all but the groups' first.
        double expected = (REQUESTS - 2) * 32.0 * 16 / (REQUESTS * 800.0);
        assertThat(hitRate(result)).isCloseTo(expected, within(0.01));
        assertThat(workload.expectedPrefixHitRate(REQUESTS).orElseThrow()).isCloseTo(expected, within(0.02));
    }
}
