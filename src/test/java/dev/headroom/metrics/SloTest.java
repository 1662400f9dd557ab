package dev.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SloTest {

    @Test
    void parsesPerRequestThresholdsWithUnits() {
        Slo slo = Slo.parse("ttft=1500ms, tpot=50ms,e2el=5s");
        assertThat(slo.perRequestNanos()).containsEntry(SloMetric.TTFT, 1_500_000_000L)
                .containsEntry(SloMetric.TPOT, 50_000_000L).containsEntry(SloMetric.E2EL, 5_000_000_000L);
        assertThat(slo.percentileTargets()).isEmpty();
        assertThat(slo.hasPerRequest()).isTrue();
    }

    @Test
    void parsesPercentileTargets() {
        Slo slo = Slo.parse("p95_e2el=5s,p99.9_itl=0.5s,P99_TTFT=1m");
        assertThat(slo.perRequestNanos()).isEmpty();
        assertThat(slo.percentileTargets()).containsExactly(
                new Slo.PercentileTarget(95, SloMetric.E2EL, 5_000_000_000L),
                new Slo.PercentileTarget(99.9, SloMetric.ITL, 500_000_000L),
                new Slo.PercentileTarget(99, SloMetric.TTFT, 60_000_000_000L));
        assertThat(slo.percentileTargets().get(1).key()).isEqualTo("p99.9_itl");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "''|is not key=duration",
        "ttft|'ttft' is not key=duration",
        "ttft=fast|'ttft=fast' has no valid duration",
        "ttft=1500|'ttft=1500' has no valid duration",
        "latency=1s|unknown key 'latency'",
        "p95_speed=1s|unknown key 'p95_speed'",
        "p0_ttft=1s|must be in (0, 100]",
        "p101_ttft=1s|must be in (0, 100]",
        "itl=50ms|'itl' has no per-request form",
        "ttft=1s,ttft=2s|'ttft' is given twice",
        "ttft=-1s|'ttft=-1s' has no valid duration"})
    void badInputNamesThePartAndTheAcceptedForms(String spec, String message) {
        assertThatThrownBy(() -> Slo.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--slo: ")
                .hasMessageContaining(message)
                .hasMessageContaining("durations like 500ms, 2s, 1m")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
