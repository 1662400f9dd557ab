package dev.headroom.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.Slo;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SloChoiceTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            chat      | 1500 | playbook chat default
            summarize | 5000 | playbook summarize default
            random    | 1500 | playbook chat default (the playbook has no target for workload 'random')
            """)
    void playbookDefaultsByWorkload(String workload, double thresholdMs, String source) {
        SloChoice slo = SloChoice.resolve(workload, null, null);
        assertThat(slo.toMap()).isEqualTo(Map.of("p95_e2el_ms", thresholdMs));
        assertThat(slo.source()).isEqualTo(source);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            p95_e2el=5s                   | p95_e2el_ms=5000.0            | p95 E2E ≤ 5.00 s
            ttft=1500ms,tpot=50ms         | p95_ttft_ms=1500.0 p95_tpot_ms=50.0 | p95 TTFT ≤ 1.50 s, p95 TPOT ≤ 50 ms
            p99_ttft=300ms,p50_e2el=1s    | p99_ttft_ms=300.0 median_e2el_ms=1000.0 | p99 TTFT ≤ 300 ms, median E2E ≤ 1.00 s
            """)
    void theRunVerbsSyntaxOverrides(String spec, String keys, String described) {
        SloChoice slo = SloChoice.resolve("chat", Slo.parse(spec), Slo.parse("p95_e2el=9s"));
        StringBuilder written = new StringBuilder();
        slo.toMap().forEach((k, v) -> written.append(written.isEmpty() ? "" : " ").append(k).append('=').append(v));
        assertThat(written.toString()).isEqualTo(keys);
        assertThat(slo.describe()).isEqualTo(described);
        assertThat(slo.source()).isEqualTo("--slo " + spec);
    }

    @Test
    void theRunsOwnSloComesBeforeThePlaybook() {
        SloChoice slo = SloChoice.resolve("chat", null, Slo.parse("p95_e2el=2s"));
        assertThat(slo.toMap()).isEqualTo(Map.of("p95_e2el_ms", 2000.0));
        assertThat(slo.source()).isEqualTo("the run's --slo p95_e2el=2s");
    }

    @Test
    void theRatioIsTheWorstObjective() {
        SloChoice slo = SloChoice.resolve("chat", Slo.parse("p95_ttft=100ms,p95_e2el=1s"), null);
        Map<String, Double> values = Map.of("p95_ttft_ms", 150.0, "p95_e2el_ms", 900.0);
        assertThat(slo.ratio(values::get)).isEqualTo(1.5);
        assertThat(slo.binding(values::get).key()).isEqualTo("p95_ttft_ms");
        assertThat(slo.ratio(Map.of("p95_ttft_ms", 50.0)::get)).as("E2E missing").isNull();
    }
}
