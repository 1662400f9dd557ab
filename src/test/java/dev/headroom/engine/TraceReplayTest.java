package dev.headroom.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.metrics.RequestRecord;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Trace;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A Mooncake trace replayed on the simulated engine: its times are kept and its shared hash_ids hit the prefix cache. */
class TraceReplayTest {

    private static Trace mooncake() throws URISyntaxException {
        return Trace.read(Path.of(TraceReplayTest.class.getResource("/dev/headroom/workload/traces/mooncake.jsonl").toURI()));
    }

    private static OfflineRunner.Result replay(Trace.Replay replay, boolean caching) {
        EngineConfig config = new EngineConfig(6_000, 16, 16, 2048, 4096, caching, true, 0, 32_000);
        LoadPattern pattern = LoadPattern.openLoop(replay.meanRatePerSecond(), 1, 0);
        return OfflineRunner.run(config, OfflineRunnerTest.LINEAR, replay.prompts(), pattern, replay.offsetsNanos(),
                new OfflineRunner.Options(PromptFormat.CHAT, true, 0));
    }

    @Test
    void sharedHashIdsYieldTheExpectedHitRate() throws URISyntaxException {
        Trace trace = mooncake();
        Trace.Replay replay = trace.replay(0, 1, 3, PrefixPlanHitRateTest.simCounter(PromptFormat.CHAT));
        OfflineRunner.Result result = replay(replay, true);
        double achieved = (double) result.snapshot().prefixCacheHits() / result.snapshot().prefixCacheQueries();
        double expected = trace.expectedHitRate(0, 16);
        assertThat(expected).isCloseTo(0.545, within(0.001));
        // The chat template's 3 header tokens shift every prompt's 512-token blocks alike: the KV blocks reused stay the same.
        assertThat(achieved).isCloseTo(expected, within(0.01));
    }

    @Test
    void requestsAreSentAtTheirScaledTimestamps() throws URISyntaxException {
        Trace.Replay replay = mooncake().replay(0, 0.25, 3, PrefixPlanHitRateTest.simCounter(PromptFormat.CHAT));
        OfflineRunner.Result result = replay(replay, false);
        for (int i = 0; i < replay.offsetsNanos().length; i++) {
            RequestRecord r = result.records().get(i);
            assertThat(r.scheduledNanos()).isEqualTo(replay.offsetsNanos()[i]);
            assertThat(r.sentNanos()).isEqualTo(replay.offsetsNanos()[i]);
            assertThat(r.promptTokens()).isEqualTo(replay.prompts().get(i).inputTokens());
        }
        assertThat(replay.offsetsNanos()[9]).isEqualTo(1_125_000_000L);
    }
}
