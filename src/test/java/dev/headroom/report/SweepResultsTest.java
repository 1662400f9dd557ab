package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.results.GroupKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;
import java.util.List;

class SweepResultsTest {

    @TempDir
    Path tmp;

    @Test
    void aRunFolderReadsAsAOnePointSweepAndItsSimulatorIsNamed() throws Exception {
        Path run = tmp.resolve("run");
        SweepFixtures.writeString(run.resolve("summary.json"), "{\"completed\": 24, \"output_throughput\": 569.76, \"median_tpot_ms\": 13.1}");
        SweepFixtures.writeString(run.resolve("run.yaml"), "inputs:\n  workload: chat\n  concurrency: 8\n  rate: null\n"
                + "simulated_target:\n  kind: embedded simulator\n  gpu: Tesla T4\n  max_model_len: 4096\n");

        Study study = Study.of(List.of(SweepResults.read(run)));

        Curve c = study.curves().get(0);
        assertThat(c.points()).extracting(LoadPoint::load).containsExactly(8.0);
        assertThat(c.points().get(0).num("output_throughput")).isEqualTo(569.76);
        assertThat(c.source()).isEqualTo("simulated");
        assertThat(c.gpuClass().label()).isEqualTo("T4 16 GB");
        assertThat(c.points().get(0).first().served().maxModelLen()).isEqualTo(4096);
    }

    @Test
    void aMissingFolderNamesItself() {
        assertThatThrownBy(() -> SweepResults.read(tmp.resolve("absent")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no such folder").hasMessageContaining("absent");
    }

    @Test
    void analysisGroupsAreFoundByTheirWholeKey() throws Exception {
        SweepResults chat = SweepResults.read(SweepFixtures.chatMeasured(tmp.resolve("chat")));
        Analysis a = chat.analysisIfAny().orElseThrow();

        GroupKey measured = chat.points().get(0).group();
        assertThat(a.verdict(measured)).get().extracting(v -> v.best().outputThroughput()).isEqualTo(1180.2);
        assertThat(a.verdict(measured.withPredicted(true))).isEmpty();
        assertThat(a.verdict(new GroupKey("default", "chat", "NVIDIA H100 80GB HBM3", measured.model(), false, null,
                false))).isEmpty();
    }
}
