package dev.headroom.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.results.GroupKey;
import dev.headroom.results.Point;
import org.junit.jupiter.api.Test;
import java.util.List;

/** The limiting factors that the fixture sweeps do not show: the client, errors, a dead server, KV without preemption. */
class LimitFinderTest {

    private static final Judge JUDGE = new Judge(SloChoice.playbook("chat"), 0.01);

    private static List<LoadPoint> curve(Points... points) {
        return Analyzer.combine(List.of(points).stream().map(Points::build).toList(), Axis.CONCURRENCY);
    }

    @Test
    void theClientWinsATieBecauseItSkewsEveryOtherSign() {
        List<LoadPoint> points = curve(Points.at(8).latencies(500, 50, 12, 900),
                Points.at(16).latencies(900, 60, 13, 1000).with("server_preemptions", 3).clientLimited());
        Limit limit = LimitFinder.find(points, JUDGE, Axis.CONCURRENCY);
        assertThat(limit.factor()).isEqualTo(Factor.CLIENT);
        assertThat(limit.onset()).isEqualTo(16.0);
        assertThat(limit.evidence()).containsExactly(
                "at concurrency 16 the load generator, not the server, set the pace",
                "also: the server preempted 3 requests at concurrency 16 (0 at 8)");
    }

    @Test
    void aLoadTheRunDidNotDeliverIsTheClientsLimitAndNeverTheBestPoint() {
        // c=16 has the best throughput within the SLO, but its run kept fewer than 16 in flight.
        List<Point> points = List.of(Points.at(8).latencies(500, 50, 12, 900).build(),
                Points.at(16).latencies(900, 60, 13, 1000).notDelivered().build());
        GroupResult g = Analyzer.analyze(new GroupKey("default", "chat", null, null, false, null, false), points, null, 0.01);
        assertThat(g.best().load()).isEqualTo(8.0);
        assertThat(g.limit().factor()).isEqualTo(Factor.CLIENT);
        assertThat(g.limit().evidence()).containsExactly(
                "at concurrency 16 the run did not deliver that load (the run's summary says which validity check failed)");
    }

    @Test
    void requestsTheClientLostFromSomeLoadUpAreTheClientsLimitNotErrors() {
        List<LoadPoint> points = curve(Points.at(8).latencies(500, 50, 12, 900),
                Points.at(16).latencies(900, 60, 13, 1000).failures(32, 2, 2),
                Points.at(32).latencies(1000, 70, 14, 1100).failures(32, 5, 5));
        Limit limit = LimitFinder.find(points, JUDGE, Axis.CONCURRENCY);
        assertThat(limit.factor()).isEqualTo(Factor.CLIENT);
        assertThat(limit.onset()).isEqualTo(16.0);
        assertThat(limit.evidence()).containsExactly("at concurrency 16 the client lost 2 of 32 requests "
                + "(failures on the client's side, not counted against the server)");
    }

    @Test
    void aLoadTheClientDidNotDeliverBelowDeliveredOnesIsNoLimit() {
        List<LoadPoint> points = curve(Points.at(8).latencies(500, 50, 12, 900).notDelivered(),
                Points.at(16).latencies(900, 60, 13, 1000));
        assertThat(LimitFinder.find(points, JUDGE, Axis.CONCURRENCY).factor()).isEqualTo(Factor.NONE_OBSERVED);
    }

    @Test
    void errorsAboveTheCeilingLimitAndSayHowMany() {
        List<LoadPoint> points = curve(Points.at(8).latencies(500, 50, 12, 900),
                Points.at(16).latencies(600, 60, 13, 1000).with("completed", 56).with("failed", 8));
        Limit limit = LimitFinder.find(points, JUDGE, Axis.CONCURRENCY);
        assertThat(limit.factor()).isEqualTo(Factor.ERRORS);
        assertThat(limit.evidence()).containsExactly(
                "error rate 12.5% at concurrency 16 (8 of 64 requests failed; the ceiling is 1.0%)");
        assertThat(JUDGE.passes(points.get(1))).as("latency within the SLO, errors not").isFalse();
    }

    @Test
    void aDeadServerIsAnError() {
        List<LoadPoint> points = curve(Points.at(8).latencies(500, 50, 12, 900),
                Points.at(16).status("server_died").with("completed", 0).with("failed", 0));
        Limit limit = LimitFinder.find(points, JUDGE, Axis.CONCURRENCY);
        assertThat(limit.factor()).isEqualTo(Factor.ERRORS);
        assertThat(limit.evidence()).containsExactly("the point at concurrency 16 ended with status server_died");
        assertThat(points.get(1).errorRate()).isEqualTo(1.0);
    }

    @Test
    void aFullKvCacheWithoutPreemptionsIsStillKvCapacity() {
        List<LoadPoint> points = curve(Points.at(8).latencies(500, 50, 12, 900).with("kv_cache_usage_max", 0.7),
                Points.at(16).latencies(900, 60, 13, 1000).with("kv_cache_usage_max", 0.97).with("server_preemptions", 0));
        Limit limit = LimitFinder.find(points, JUDGE, Axis.CONCURRENCY);
        assertThat(limit.factor()).isEqualTo(Factor.KV_CAPACITY);
        assertThat(limit.evidence()).containsExactly("the KV cache was 97.0% full at concurrency 16 (70.0% at 8)");
    }

    @Test
    void tpotGrowingWhileTheKvCacheIsFullIsNotDecodeBandwidth() {
        List<LoadPoint> points = curve(Points.at(8).latencies(500, 50, 10, 1300).with("kv_cache_usage_max", 0.5),
                Points.at(16).latencies(700, 60, 20, 2600).with("kv_cache_usage_max", 0.99).with("server_preemptions", 5));
        Limit limit = LimitFinder.find(points, JUDGE, Axis.CONCURRENCY);
        assertThat(limit.factor()).isEqualTo(Factor.KV_CAPACITY);
        assertThat(limit.evidence()).noneMatch(e -> e.contains("median TPOT"));
    }

    @Test
    void latencyThatBarelyGrewLimitsNothing() {
        List<LoadPoint> points = curve(Points.at(1).latencies(80, 20, 12, 1590), Points.at(4).latencies(300, 73, 13, 1680));
        assertThat(LimitFinder.find(points, JUDGE, Axis.CONCURRENCY).factor()).isEqualTo(Factor.NONE_OBSERVED);
    }

    @Test
    void withoutWaitingTelemetryPrefillIsInferredFromTtftAndSaysSo() {
        List<LoadPoint> points = curve(Points.at(1).latencies(80, 20, 12, 1500), Points.at(8).latencies(500, 900, 13, 2500));
        Limit limit = LimitFinder.find(points, JUDGE, Axis.CONCURRENCY);
        assertThat(limit.factor()).isEqualTo(Factor.PREFILL_COMPUTE);
        assertThat(limit.evidence().get(0)).contains("split from time to first token alone, as the server exposed no timing and no queue gauge");
    }
}
