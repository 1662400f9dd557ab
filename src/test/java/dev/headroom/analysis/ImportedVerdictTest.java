package dev.headroom.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.Slo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Other tools' results judged like headroom's own: the round trip through llm-d's Benchmark Report converter
 * (tools/llmd-br-roundtrip.py made the fixtures) and a real inference-perf rate sweep.
 */
class ImportedVerdictTest {

    private static final Path IMPORTED = Path.of("src/test/resources/dev/headroom/results/imported");
    /** The SLO the headroom sweep was given (the chat playbook's), given explicitly to both. */
    private static final Slo SLO = Slo.parse("p95_e2el=1500ms");

    private static GroupResult only(Path dir) {
        List<GroupResult> groups = Analysis.of(Inputs.load(List.of(dir)), SLO, 0.01).groups();
        assertThat(groups).hasSize(1);
        return groups.get(0);
    }

    @Test
    void benchmarkReportsMadeByLlmdsConverterFromAHeadroomSweepGiveItsVerdict() {
        GroupResult headroom = only(IMPORTED.resolve("roundtrip/headroom-sweep"));
        GroupResult reports = only(IMPORTED.resolve("roundtrip/br"));
        assertThat(reports.points()).hasSameSizeAs(headroom.points());
        assertThat(reports.recommendation().load().load()).isEqualTo(headroom.recommendation().load().load()).isEqualTo(8.0);
        assertThat(reports.limit().factor()).isEqualTo(headroom.limit().factor()).isEqualTo(Factor.DECODE_BANDWIDTH);
        assertThat(reports.knee().load()).isEqualTo(headroom.knee().load());
        assertThat(reports.points().get(0).repeats().get(0).importedFrom().describe())
                .isEqualTo("llm-d Benchmark Report 0.2 (load from vllm-benchmark)");
    }

    /**
     * The same round trip on a sweep measured on a real H100 (llama-server, 1 to 64 streams): measured points carry no
     * prediction range, so every part of the verdict survives llm-d's converter, the limiting factor included.
     */
    @Test
    void aSweepMeasuredOnARealGpuGivesItsVerdictThroughLlmdsConverter() {
        GroupResult headroom = only(IMPORTED.resolve("roundtrip-h100/headroom-sweep"));
        GroupResult reports = only(IMPORTED.resolve("roundtrip-h100/br"));
        assertThat(reports.points()).hasSameSizeAs(headroom.points()).hasSize(4);
        assertThat(reports.recommendation().load().load()).isEqualTo(headroom.recommendation().load().load()).isEqualTo(8.0);
        assertThat(reports.knee().load()).isEqualTo(headroom.knee().load()).isEqualTo(8.0);
        assertThat(reports.limit().factor()).isEqualTo(headroom.limit().factor()).isEqualTo(Factor.DECODE_COMPUTE);
    }

    @Test
    void anInferencePerfRateSweepHasAKneeWhereThroughputLevelsOff() {
        GroupResult g = only(IMPORTED.resolve("inference-perf/vllm+batch_size"));
        assertThat(g.axis()).isEqualTo(Axis.RATE);
        assertThat(g.points()).hasSize(7);
        assertThat(g.recommendation().load().load()).isEqualTo(74.94);
        assertThat(g.knee()).isNotNull();
    }
}
