package dev.headroom.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.load.Api;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Prompt;
import dev.headroom.workload.TokenCounter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Warm-up requests send prompts that are not in the measured set (a prefix cache they fill would otherwise make the
 * measured TTFT look better than fresh traffic gets), drawn like the measured ones and reproducible for a seed.
 */
class WarmupPromptsTest {

    private static LoadPoint point(String workload, int requests, int warmup, long seed) {
        return new LoadPoint(Api.CHAT, workload, null, null, LoadPattern.closedLoop(2), requests, null, warmup, seed,
                true, Map.of(), Duration.ofSeconds(30), 1, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chat", "random", "summarize"})
    void warmupPromptsAreNoneOfTheMeasuredOnesButDrawnAlike(String workload) {
        PreparedLoad load = PreparedLoad.of(point(workload, 6, 10, 42), TokenCounter.cl100k(), 16);

        assertThat(load.warmup()).hasSize(10);
        List<String> measured = load.prompts().stream().map(Prompt::user).toList();
        assertThat(load.warmup()).extracting(Prompt::user).doesNotContainAnyElementsOf(measured);
        double measuredMean = load.prompts().stream().mapToInt(Prompt::inputTokens).average().orElseThrow();
        double warmupMean = load.warmup().stream().mapToInt(Prompt::inputTokens).average().orElseThrow();
        assertThat(warmupMean).as("the warm-up's prompt lengths follow the workload's").isCloseTo(measuredMean,
                org.assertj.core.data.Percentage.withPercentage(50));
        assertThat(PreparedLoad.of(point(workload, 6, 10, 42), TokenCounter.cl100k(), 16).warmup())
                .as("reproducible for a seed").isEqualTo(load.warmup());
    }

    @Test
    void aDrawnPromptThatIsAlsoMeasuredIsLeftOutAndTheRestCycle() {
        Prompt a = new Prompt(null, "a", 1, 1);
        Prompt b = new Prompt(null, "b", 1, 1);
        Prompt c = new Prompt(null, "c", 1, 1);

        assertThat(PreparedLoad.apart(List.of(a, b, c), List.of(b), 5)).containsExactly(a, c, a, c, a);
        assertThat(PreparedLoad.apart(List.of(a), List.of(a), 3)).isEmpty();
    }
}
