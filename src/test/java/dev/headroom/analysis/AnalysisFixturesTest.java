package dev.headroom.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.results.GroupKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.List;
import java.util.stream.Stream;

/** Every fixture sweep against the answers worked out by hand (see each fixture's numbers in the comments). */
class AnalysisFixturesTest {

    static Stream<Arguments> knownAnswers() {
        return Stream.of(
                // name, best load, knee load (null: none), max load, interpolated, factor, onset
                Arguments.of("kv-sweep", 32.0, 16.0, 32 * Math.pow(2, 0.125), true, Factor.KV_CAPACITY, 64.0),
                Arguments.of("prefill-sweep", 16.0, 8.0, 16.0, false, Factor.PREFILL_COMPUTE, 8.0),
                Arguments.of("decode-sweep", 1.0, null, 1 + (1 - 1310 / 1500.0) / ((1566 - 1310) / 1500.0), true,
                        Factor.DECODE_BANDWIDTH, 3.0),
                Arguments.of("none-pass", null, null, null, false, Factor.NONE_OBSERVED, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownAnswers")
    void knownAnswers(String name, Double best, Double knee, Double maxLoad, boolean interpolated, Factor factor,
                      Double onset) {
        GroupResult g = Fixtures.only(name);
        assertThat(g.best() == null ? null : g.best().load()).as("best").isEqualTo(best);
        assertThat(g.knee() == null ? null : g.knee().load()).as("knee").isEqualTo(knee);
        if (maxLoad == null) {
            assertThat(g.maxLoad().load()).as("max load").isNull();
        } else {
            assertThat(g.maxLoad().load()).as("max load").isCloseTo(maxLoad, within(1e-9));
        }
        assertThat(g.maxLoad().interpolated()).isEqualTo(interpolated);
        assertThat(g.limit().factor()).isEqualTo(factor);
        assertThat(g.limit().onset()).isEqualTo(onset);
    }

    @Test
    void kvSweepVerdictAndEvidenceCarryTheNumbers() {
        GroupResult g = Fixtures.only("kv-sweep");
        assertThat(g.verdict()).isEqualTo("Serve chat with config mns128 at concurrency 32: 1,100 tok/s, p95 E2E 1.40 s."
                + " Beyond 32 the KV cache fills and requests are preempted.");
        assertThat(g.limit().evidence()).containsExactly("server_preemptions 37 at concurrency 64 (0 at 32)",
                "kv_cache_usage_max 0.99 at concurrency 64 (0.80 at 32)");
        assertThat(g.maxLoad().bracketLow()).isEqualTo(32.0);
        assertThat(g.maxLoad().bracketHigh()).isEqualTo(64.0);
        assertThat(g.maxLoad().metric()).isEqualTo("p95_e2el_ms");
        assertThat(g.maxLoad().confidence()).startsWith("low: one run per load").contains("log(load)");
        assertThat(g.maxLoad().nextLoad()).as("bisects [32, 64], not the estimate 34.9").isEqualTo(48.0);
        assertThat(g.maxLoad().suggestion()).isEqualTo("run concurrency 48 to halve the bracket [32, 64]");
        assertThat(g.slo().source()).isEqualTo("playbook chat default");
        assertThat(g.gpu()).as("the device name a run records is the catalog's t4").isEqualTo("t4");
    }

    @Test
    void prefillNamesTheWaitingQueueAndEveryPassingLoadAsksForMore() {
        GroupResult g = Fixtures.only("prefill-sweep");
        assertThat(g.slo().toMap()).containsEntry("p95_e2el_ms", 5000.0);
        assertThat(g.limit().evidence().get(0)).startsWith("p95 TTFT rose from 100 ms at concurrency 1 to 2.00 s at "
                + "concurrency 16 while num_requests_waiting_mean rose from 0 to 12.0");
        assertThat(g.verdict()).endsWith("Beyond 4 requests queue for prefill and TTFT grows with the waiting queue.");
        assertThat(g.maxLoad().bracketHigh()).isNull();
        assertThat(g.maxLoad().nextLoad()).isEqualTo(32.0);
        assertThat(g.maxLoad().suggestion()).isEqualTo("run concurrency 32 to find where the SLO breaks");
    }

    @Test
    void decodeOnARateAxisWithAnUnknownWorkloadUsesChatsTargetAndSaysSo() {
        GroupResult g = Fixtures.only("decode-sweep");
        assertThat(g.axis()).isEqualTo(Axis.RATE);
        assertThat(g.slo().source()).isEqualTo("playbook chat default (the playbook has no target for workload 'random')");
        assertThat(g.limit().evidence().get(0)).startsWith("median TPOT rose from 10 ms at rate 1 req/s to 24 ms at rate 4 req/s (2.40×)")
                .contains("num_requests_running_mean rose from 8.00 to 50.0", "kv_cache_usage_max 0.60 (not full)");
        assertThat(g.verdict()).isEqualTo("Serve random at rate 1 req/s: 128 tok/s, p95 E2E 1.31 s."
                + " Beyond 2 req/s decode slows as the batch grows: memory bandwidth sets the pace.");
        assertThat(g.maxLoad().nextLoad()).as("bisects [1, 2]").isEqualTo(1.5);
    }

    @Test
    void noPassingPointLeavesBestNullAndTheVerdictSaysWhatTheLowestLoadAchieved() {
        GroupResult g = Fixtures.only("none-pass");
        assertThat(g.best()).isNull();
        assertThat(g.verdict()).startsWith("No load meets the SLO (p95 E2E ≤ 1.50 s) for chat: at concurrency 1, "
                + "the lowest load run, p95 E2E 1.60 s.");
        assertThat(g.maxLoad().bracketHigh()).isEqualTo(1.0);
        assertThat(g.maxLoad().nextLoad()).isNull();
        assertThat(g.maxLoad().suggestion()).contains("change the server config or the SLO");
    }

    @Test
    void repeatsAreCombinedAndAgreeingRepeatsGiveARange() {
        GroupResult g = Fixtures.only("repeats-sweep");
        assertThat(g.points()).extracting(LoadPoint::load).containsExactly(8.0, 16.0, 32.0);
        assertThat(g.points()).allSatisfy(p -> assertThat(p.repeats()).hasSize(3));
        LoadPoint at16 = g.points().get(1);
        assertThat(at16.mean("output_throughput")).isCloseTo(900.0, within(1e-9));
        assertThat(at16.min("p95_e2el_ms")).isEqualTo(1280.0);
        assertThat(at16.max("p95_e2el_ms")).isEqualTo(1350.0);
        MaxLoad m = g.maxLoad();
        // means: 1310 at 16, 1700 at 32 on a doubling grid; worst repeats 1350/1750, best 1280/1650
        assertThat(m.load()).isCloseTo(crossing(16, 1310, 32, 1700), within(1e-9));
        assertThat(m.rangeLow()).isCloseTo(crossing(16, 1350, 32, 1750), within(1e-9));
        assertThat(m.rangeHigh()).isCloseTo(crossing(16, 1280, 32, 1650), within(1e-9));
        assertThat(m.confidence()).startsWith("medium: 3 repeats per load agree");
    }

    private static double crossing(double x1, double e1, double x2, double e2) {
        double t = (1 - e1 / 1500) / ((e2 - e1) / 1500);
        return Math.exp(Math.log(x1) + t * (Math.log(x2) - Math.log(x1)));
    }

    @Test
    void aMeasuredSweepAndPredictedRunFoldersOfTheSameGridAreCompared() {
        Analysis a = Fixtures.analyze(null, "compare/measured", "compare/predicted-c4", "compare/predicted-c8");
        assertThat(a.groups()).extracting(GroupResult::key).containsExactly(
                new GroupKey("default", "chat", "Tesla T4", "qwen2.5-1.5b-instruct", false, null, false),
                new GroupKey("default", "chat", "Tesla T4", "qwen2.5-1.5b-instruct", false, null, true));
        assertThat(a.comparison()).hasSize(6);
        Difference thr4 = a.comparison().get(0);
        assertThat(thr4.concurrency()).isEqualTo(4);
        assertThat(thr4.metric()).isEqualTo("output_throughput");
        assertThat(thr4.measured()).isEqualTo(300.0);
        assertThat(thr4.predicted()).isEqualTo(320.0);
        assertThat(thr4.errorPct()).isCloseTo(20.0 / 3, within(1e-9));
        assertThat(a.comparison()).filteredOn(d -> d.concurrency() == 8 && d.metric().equals("median_tpot_ms"))
                .singleElement().satisfies(d -> assertThat(d.errorPct()).isCloseTo(-100.0 / 14, within(1e-9)));
        assertThat(a.comparison()).extracting(Difference::metric).containsOnly(List.of("output_throughput",
                "median_tpot_ms", "p95_e2el_ms").toArray(String[]::new));
    }

    @Test
    void anSloOverrideMovesTheBestPoint() {
        GroupResult g = Fixtures.analyze("p95_e2el=1s", "kv-sweep").groups().get(0);
        assertThat(g.best().load()).isEqualTo(4.0);
        assertThat(g.slo().source()).isEqualTo("--slo p95_e2el=1s");
        GroupResult perRequest = Fixtures.analyze("ttft=100ms", "kv-sweep").groups().get(0);
        assertThat(perRequest.slo().toMap()).containsOnlyKeys("p95_ttft_ms");
        assertThat(perRequest.best().load()).isEqualTo(32.0);
    }
}
