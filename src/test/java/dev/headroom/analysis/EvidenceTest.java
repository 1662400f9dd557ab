package dev.headroom.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.results.GroupKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Which points are evidence about the server, and what the verdict says about the others: loads the client did not
 * deliver (valid = false, or requests the client itself failed) and points headroom failed ({@code tool_error}).
 * The playbook's chat SLO, p95 E2E ≤ 1.5 s, and a 1% error ceiling throughout.
 */
class EvidenceTest {

    private static GroupResult analyze(Points... points) {
        return Analyzer.analyze(new GroupKey("default", "chat", null, null, false, null, false), Arrays.stream(points).map(Points::build).toList(),
                null, 0.01);
    }

    @Test
    void loadsThatMetTheSloButWereNotDeliveredAreNamedWithWhyAndBoundNothing() {
        GroupResult g = analyze(Points.at(8).latencies(500, 50, 12, 900),
                Points.at(16).latencies(900, 60, 13, 1000),
                Points.at(32).latencies(1300, 80, 14, 1200).failures(64, 4, 4),
                Points.at(64).latencies(1500, 90, 15, 1400).notDelivered());
        assertThat(g.best().load()).isEqualTo(16.0);
        assertThat(g.maxLoad().load()).as("the highest delivered load").isEqualTo(16.0);
        assertThat(g.maxLoad().bracketHigh()).isNull();
        assertThat(g.verdict()).startsWith("Serve chat at concurrency 16: 900 tok/s, p95 E2E 1.00 s. It is the highest "
                + "load meeting the SLO (p95 E2E ≤ 1.50 s); no higher load was delivered, so the SLO may allow more. "
                + "Concurrency 32 and 64 met the SLO but were not delivered by the client: at 32 the client lost 4 of 64 "
                + "requests; at 64 the run did not deliver that load (it failed a validity check). Throughput has not "
                + "levelled off (no knee); the client limits from concurrency 32 up");
    }

    @Test
    void whenOnlyUndeliveredLoadsMetTheSloTheVerdictSaysSoNotThatNoLoadMeetsIt() {
        GroupResult g = analyze(Points.at(1).latencies(80, 40, 12, 900).failures(32, 2, 2),
                Points.at(2).latencies(150, 45, 12, 1000).failures(32, 1, 1),
                Points.at(4).latencies(280, 600, 13, 1800));
        assertThat(g.best()).isNull();
        assertThat(g.verdict()).doesNotContain("No load meets the SLO")
                .startsWith("No delivered load meets the SLO (p95 E2E ≤ 1.50 s) for chat: at concurrency 4, the lowest "
                        + "delivered load, p95 E2E 1.80 s. Concurrency 1 and 2 met the SLO but were not delivered by the "
                        + "client: at 1 the client lost 2 of 32 requests; at 2 the client lost 1 of 32 "
                        + "requests.");
        assertThat(g.maxLoad().load()).isNull();
        assertThat(g.maxLoad().confidence()).startsWith("low: the lowest delivered load, concurrency 4, already misses");
        assertThat(g.maxLoad().suggestion())
                .isEqualTo("run concurrency 2 again from a client that delivers it to find a load that meets it");
    }

    @Test
    void anUndeliveredLoadThatMissedTheSloDoesNotBoundTheMaxLoadEither() {
        GroupResult g = analyze(Points.at(8).latencies(500, 50, 12, 900),
                Points.at(16).latencies(600, 700, 13, 2000).notDelivered(),
                Points.at(32).latencies(1200, 80, 14, 1300),
                Points.at(64).latencies(1300, 90, 15, 1700));
        assertThat(g.maxLoad().bracketLow()).isEqualTo(32.0);
        assertThat(g.maxLoad().bracketHigh()).isEqualTo(64.0);
        assertThat(g.maxLoad().confidence()).endsWith("; not delivered by the client, so not judged: concurrency 16");
        assertThat(g.verdict()).contains("Concurrency 16 missed the SLO but was not delivered by the client, so it "
                + "bounds nothing: the run did not deliver that load (it failed a validity check).");
        assertThat(g.limit().factor()).as("delivered loads above it: no client limit").isNotEqualTo(Factor.CLIENT);
    }

    @Test
    void aFewRequestsTheClientLostWithinTheCeilingLeaveTheLoadDelivered() {
        GroupResult g = analyze(Points.at(8).latencies(500, 50, 12, 900).failures(200, 1, 1));
        assertThat(g.judge().delivered(g.points().get(0))).isTrue();
        assertThat(g.best().load()).isEqualTo(8.0);
    }

    @Test
    void requestsTheClientFailedAtTheLowestLoadAreNotServerErrors() {
        // Every request of c=1 failed on the client's side (status failed: nothing completed): not the server's doing.
        GroupResult g = analyze(Points.at(1).failures(32, 32, 32).status("failed"),
                Points.at(2).latencies(150, 45, 12, 1000),
                Points.at(4).latencies(280, 50, 12, 1100));
        assertThat(g.points().get(0).errorRate()).isZero();
        assertThat(g.limit().factor()).isNotIn(Factor.ERRORS, Factor.CLIENT);
        assertThat(g.verdict()).startsWith("Serve chat at concurrency 4").doesNotContain("requests fail")
                .contains("Concurrency 1 missed the SLO but was not delivered by the client, so it bounds nothing: the "
                        + "client lost 32 of 32 requests.");
    }

    @Test
    void outputsTheServerCutShortCountAgainstTheServer() {
        GroupResult g = analyze(Points.at(8).latencies(500, 50, 12, 900),
                Points.at(16).latencies(900, 60, 13, 1000).with("short_outputs", 5));
        assertThat(g.judge().passes(g.points().get(1))).isFalse();
        assertThat(g.limit().factor()).isEqualTo(Factor.ERRORS);
        assertThat(g.limit().evidence()).containsExactly("error rate 5.0% at concurrency 16 (5 of 100 requests failed "
                + "or were cut short by the server; the ceiling is 1.0%)");
    }

    @Test
    void aToolErrorAtTheLowestLoadIsNamedWithItsCauseAndIsNotAServerError() {
        String cause = "java.io.UncheckedIOException: requests.jsonl: No space left on device";
        GroupResult g = analyze(Points.at(1).toolError(cause),
                Points.at(2).latencies(150, 45, 12, 1000),
                Points.at(4).latencies(280, 50, 12, 1100),
                Points.at(8).latencies(500, 60, 12, 1700));
        assertThat(g.points()).extracting(LoadPoint::load).containsExactly(2.0, 4.0, 8.0);
        assertThat(g.limit().factor()).isNotEqualTo(Factor.ERRORS);
        assertThat(g.maxLoad().bracketLow()).isEqualTo(4.0);
        assertThat(g.verdict()).startsWith("Serve chat at concurrency 4").doesNotContain("requests fail")
                .endsWith("Concurrency 1: headroom failed during the point: " + cause + ". Run it again: a failure "
                        + "inside headroom says nothing about the server.");
    }

    @Test
    void aGroupWhosePointsAllFailedInsideHeadroomMeasuredNothing() {
        GroupResult g = analyze(Points.at(1).toolError("java.lang.NullPointerException"), Points.at(2).toolError(null));
        assertThat(g.points()).isEmpty();
        assertThat(g.maxLoad()).isNull();
        assertThat(g.verdict()).isEqualTo("No load point of chat measured the server. Concurrency 1: headroom failed "
                + "during the point: java.lang.NullPointerException. Concurrency 2: headroom failed during the point: no "
                + "cause was recorded. Run them again: a failure inside headroom says nothing about the server.");
    }
}
