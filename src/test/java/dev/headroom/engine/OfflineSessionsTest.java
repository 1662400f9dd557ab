package dev.headroom.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.RequestRecord;
import dev.headroom.workload.ChatWorkload;
import dev.headroom.workload.Lengths;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Prompt;
import dev.headroom.workload.Session;
import dev.headroom.workload.Turns;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Multi-turn sessions on the virtual clock: history grows by the engine's answers, turns wait their think time. */
class OfflineSessionsTest {

    private static final EngineConfig CONFIG = new EngineConfig(4_000, 16, 64, 2048, 8192, true, true, 0, 32_000);
    private static final long THINK_NANOS = 250_000_000L;

    private static List<Session> sessions(int count, int turns) {
        return new ChatWorkload(Lengths.fixed(64), Lengths.fixed(24)).sessions(count, 3,
                PrefixPlanHitRateTest.simCounter(PromptFormat.CHAT), Turns.fixed(turns), THINK_NANOS);
    }

    private static OfflineRunner.Result run(List<Session> sessions, LoadPattern pattern, long[] offsets, List<Prompt> warmup) {
        return OfflineSessions.run(CONFIG, OfflineRunnerTest.LINEAR, warmup, sessions, pattern, offsets,
                new OfflineRunner.Options(PromptFormat.CHAT, true, warmup.size(), 0, 0));
    }

    /** Session s's records in turn order, by the sim-S-T request ids. */
    private static Map<String, List<RequestRecord>> bySession(List<RequestRecord> records) {
        return records.stream().collect(Collectors.groupingBy(r -> r.requestId().substring(0, r.requestId().lastIndexOf('-')),
                Collectors.collectingAndThen(Collectors.toList(), l -> l.stream()
                        .sorted(Comparator.comparingInt(RequestRecord::turn)).toList())));
    }

    @Test
    void eachTurnGoesItsThinkTimeAfterTheAnswerAndCarriesTheGrowingHistory() {
        OfflineRunner.Result result = run(sessions(6, 3), LoadPattern.closedLoop(2), null, List.of());
        assertThat(result.records()).hasSize(18).allSatisfy(r -> assertThat(r.ok()).isTrue());
        for (List<RequestRecord> turns : bySession(result.records()).values()) {
            assertThat(turns).extracting(RequestRecord::turn).containsExactly(0, 1, 2);
            for (int t = 1; t < turns.size(); t++) {
                RequestRecord before = turns.get(t - 1);
                RequestRecord after = turns.get(t);
                assertThat(after.scheduledNanos()).isEqualTo(before.lastTokenNanos() + THINK_NANOS);
                assertThat(after.sentNanos()).isEqualTo(after.scheduledNanos());
                // The previous prompt, its 24-token answer and a new 64-token question, in the chat template.
                assertThat(after.promptTokens()).isGreaterThanOrEqualTo(before.promptTokens() + 24 + 64);
                // The history is a prefix of the next turn: its full blocks hit the cache.
                assertThat(after.cachedTokens()).isGreaterThanOrEqualTo(before.promptTokens() / 16 * 16 - 16);
            }
        }
    }

    @Test
    void aClosedLoopKeepsItsSessionsGoingAndTheNextStartsWhenOneEnds() {
        OfflineRunner.Result result = run(sessions(5, 2), LoadPattern.closedLoop(2), null, List.of());
        Map<String, List<RequestRecord>> by = bySession(result.records());
        long[] starts = by.values().stream().mapToLong(l -> l.get(0).scheduledNanos()).sorted().toArray();
        long[] ends = by.values().stream().mapToLong(l -> l.get(l.size() - 1).lastTokenNanos()).sorted().toArray();
        assertThat(starts[0]).isZero();
        assertThat(starts[1]).isZero();
        // Session 3 starts the moment the first of the two running sessions ends.
        assertThat(starts[2]).isEqualTo(ends[0]);
    }

    @Test
    void aCappedOpenLoopQueuesArrivalsAndCountsTheirLatencyFromArrival() {
        long[] offsets = {0, 1_000_000, 2_000_000, 3_000_000};
        OfflineRunner.Result result = run(sessions(4, 2), LoadPattern.openLoop(100, 1, 1), offsets, List.of());
        Map<String, List<RequestRecord>> by = bySession(result.records());
        RequestRecord firstOfSecond = by.get("sim-1").get(0);
        assertThat(firstOfSecond.scheduledNanos()).isEqualTo(1_000_000);
        assertThat(firstOfSecond.sentNanos()).isEqualTo(by.get("sim-0").get(1).lastTokenNanos());
    }

    @Test
    void warmUpRunsFirstAndIsLeftOut() {
        List<Session> s = sessions(3, 2);
        OfflineRunner.Result result = run(s, LoadPattern.closedLoop(3), null, List.of(new Prompt(null, "hello there", 3, 8)));
        assertThat(result.records()).hasSize(6).noneMatch(r -> r.requestId().startsWith("warmup-"));
        assertThat(result.records()).allSatisfy(r -> assertThat(r.scheduledNanos()).isNotNegative());
    }
}
