package dev.headroom.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.results.Point;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The load analyze recommends by each workload's objective, on curves shaped like the demo's T4 and A100 sweeps
 * (predicted by headroom's simulator): chat by latency, batch summarization by throughput with the SLO shown.
 * The playbook's SLOs (chat p95 E2E ≤ 1.5 s, summarize ≤ 5 s) and a 1% error ceiling throughout.
 */
class RecommenderTest {

    /** Batch summarization on a 16 GB T4: load, output tok/s, p95 E2E ms, p95 TTFT ms, median TPOT ms. */
    private static final double[][] BATCH_T4 = {
            {1, 70, 3826, 290, 13.7}, {2, 133, 3964, 378, 14.0}, {4, 242, 4505, 771, 14.4}, {8, 408, 5253, 825, 17.6},
            {16, 609, 7283, 1654, 23.5}, {32, 807, 12115, 3309, 34.5}, {64, 968, 22432, 7487, 58.5},
            {128, 1107, 38734, 16646, 93.0}};
    /** Chat with 96-token answers on a 16 GB T4. */
    private static final double[][] CHAT_T4 = {
            {1, 73, 1318, 25, 13.6}, {2, 142, 1350, 45, 13.7}, {4, 272, 1414, 87, 14.0}, {8, 499, 1541, 169, 14.4},
            {16, 838, 1796, 201, 16.8}, {32, 1267, 2659, 606, 21.9}};
    /** Chat on an A100-40GB: decode slows from 32, the knee and the highest load meeting the SLO are at 64. */
    private static final double[][] CHAT_A100 = {
            {1, 188, 511, 8, 5.3}, {2, 369, 521, 12, 5.4}, {4, 709, 542, 20, 5.5}, {8, 1317, 583, 38, 5.7},
            {16, 2313, 665, 42, 6.5}, {32, 3630, 869, 90, 8.2}, {64, 5062, 1329, 229, 11.6}, {128, 6293, 2316, 570, 18.3},
            {256, 7361, 4029, 1325, 30.1}};

    private static List<Points> curve(String workload, double[][] rows, double outputTokens) {
        List<Points> out = new ArrayList<>();
        for (double[] r : rows) {
            out.add(Points.at(r[0]).workload(workload).latencies(r[1], r[3], r[4], r[2])
                    .with("request_throughput", r[1] / outputTokens).with("server_preemptions", 0)
                    .with("kv_cache_usage_max", 0.1));
        }
        return out;
    }

    private static GroupResult analyze(List<Points> points) {
        return analyze(points, Objectives.DEFAULTS);
    }

    private static GroupResult analyze(List<Points> points, Objectives objectives) {
        List<Point> built = points.stream().map(Points::build).toList();
        return Analysis.of(new Inputs(built, List.of()), null, 0.01, objectives).groups().get(0);
    }

    @Test
    void batchIsServedAtTheHighestThroughputAndTheSloIsShownWithWhatItWouldCost() {
        GroupResult g = analyze(curve("summarize", BATCH_T4, 256));
        assertThat(g.recommendation().objective().objective()).isEqualTo(ServingObjective.THROUGHPUT);
        assertThat(g.recommendation().load().load()).isEqualTo(128.0);
        assertThat(g.best().load()).as("best keeps its meaning: the highest throughput within the SLO").isEqualTo(4.0);
        assertThat(g.recommendation().sloBound().load()).isEqualTo(4.0);
        assertThat(g.verdict()).startsWith("Serve summarize at concurrency 128: 1,107 tok/s, p95 E2E 38.73 s. It gives the "
                        + "highest output throughput without preemptions or server errors, so the least cost per million tokens")
                .contains("The load below it, concurrency 64, gives 968 tok/s at p95 E2E 22.43 s.",
                        "Its p95 E2E 38.73 s is over the latency SLO (p95 E2E ≤ 5.00 s); applied, that SLO alone would hold "
                                + "the load to concurrency 4 at 242 tok/s, 4.6× lower throughput at 4.6× the cost per million "
                                + "tokens, so it is shown, not applied.");
    }

    @Test
    void batchStopsBelowTheFirstLoadThatPreemptsEvenWhenAHigherOneGivesMore() {
        List<Points> points = curve("summarize", BATCH_T4, 256);
        points.get(6).with("server_preemptions", 5);
        GroupResult g = analyze(points);
        assertThat(g.recommendation().load().load()).isEqualTo(32.0);
        assertThat(g.verdict()).startsWith("Serve summarize at concurrency 32: 807 tok/s")
                .contains("concurrency 64 preempts requests (5 preemptions).");
    }

    @Test
    void batchStopsBelowTheFirstLoadWithServerErrors() {
        List<Points> points = curve("summarize", BATCH_T4, 256);
        points.get(7).failures(100, 5, 0);
        GroupResult g = analyze(points);
        assertThat(g.recommendation().load().load()).isEqualTo(64.0);
        assertThat(g.verdict()).contains("concurrency 128 fails 5.0% of requests.");
    }

    @Test
    void chatIsServedAtTheHighestLoadMeetingTheSloWithTheCostOfCrossingToTheNext() {
        GroupResult g = analyze(curve("chat", CHAT_T4, 96));
        assertThat(g.recommendation().objective().objective()).isEqualTo(ServingObjective.LATENCY);
        assertThat(g.recommendation().load().load()).isEqualTo(4.0);
        assertThat(g.recommendation().next().load()).isEqualTo(8.0);
        assertThat(g.verdict()).startsWith("Serve chat at concurrency 4: 272 tok/s, p95 E2E 1.41 s. It is the highest load "
                + "meeting the SLO (p95 E2E ≤ 1.50 s); concurrency 8 would give 499 tok/s (+83%) at p95 E2E 1.54 s, 3% over the SLO.");
    }

    @Test
    void chatIsNotServedAboveALoadThatMissedTheSloEvenWhenAHigherOneMetIt() {
        List<Points> points = curve("chat", CHAT_T4, 96);
        points.get(4).with("p95_e2el_ms", 1450);
        GroupResult g = analyze(points);
        assertThat(g.best().load()).as("the highest throughput within the SLO").isEqualTo(16.0);
        assertThat(g.verdict()).startsWith("Serve chat at concurrency 4:");
    }

    @Test
    void theKneeAndTheLimitAreEachNamedOnceAndALimitBelowTheRecommendedLoadIsNotBeyondIt() {
        GroupResult g = analyze(curve("chat", CHAT_A100, 96));
        assertThat(g.recommendation().load().load()).isEqualTo(64.0);
        assertThat(g.limit().onset()).isEqualTo(32.0);
        assertThat(g.verdict()).doesNotContain("Beyond", "beyond")
                .endsWith("The knee is at concurrency " + Text.number(g.knee().load()) + "; the limit is decode bandwidth "
                        + "from concurrency 32, below the recommended load: decode slows as the batch grows and memory "
                        + "bandwidth sets the pace.");
    }

    @Test
    void objectiveOverridesApplyToEveryWorkloadOrToTheOneNamed() {
        Objectives throughput = new Objectives(Objectives.parse("throughput"), null);
        GroupResult chat = analyze(curve("chat", CHAT_T4, 96), throughput);
        assertThat(chat.recommendation().load().load()).isEqualTo(32.0);
        assertThat(chat.recommendation().objective().source()).isEqualTo("--objective throughput");

        Objectives latency = new Objectives(Objectives.parse("summarize=latency,chat=throughput"), null);
        GroupResult batch = analyze(curve("summarize", BATCH_T4, 256), latency);
        assertThat(batch.recommendation().load().load()).isEqualTo(4.0);
        assertThat(batch.recommendation().objective().source()).isEqualTo("--objective summarize=latency");
        assertThat(Objectives.parse("chat=latency,summarize=throughput"))
                .isEqualTo(Map.of("chat", ServingObjective.LATENCY, "summarize", ServingObjective.THROUGHPUT));
    }

    @Test
    void aJobWithADeadlineNamesTheLowestLoadThatFinishesItInTime() {
        GroupResult g = analyze(curve("summarize", BATCH_T4, 256),
                new Objectives(Map.of(), new Objectives.Job(10_000, Duration.ofHours(1))));
        assertThat(g.recommendation().load().load()).isEqualTo(128.0);
        assertThat(g.recommendation().inTime().load()).as("10,000 / (807/256 req/s) = 53 min").isEqualTo(32.0);
        assertThat(g.verdict()).contains("A job of 10,000 requests takes 39 min here, within its deadline of 1 h; "
                + "concurrency 32 is the lowest load that finishes it in time (53 min).");
    }

    @Test
    void aJobNoLoadFinishesInTimeSaysHowManyGpusItNeeds() {
        GroupResult g = analyze(curve("summarize", BATCH_T4, 256),
                new Objectives(Map.of(), new Objectives.Job(10_000, Duration.ofMinutes(20))));
        assertThat(g.recommendation().inTime()).isNull();
        assertThat(g.verdict()).contains("A job of 10,000 requests takes 39 min here, past its deadline of 20 min, and no "
                + "load finishes it sooner: it needs 2 GPUs like this one to finish in time.");
    }
}
