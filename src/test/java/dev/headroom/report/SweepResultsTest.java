package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepResultsTest {

    @TempDir
    Path tmp;

    @Test
    void csvCellsMayHoldQuotedCommasQuotesAndLineBreaks() {
        List<Row> rows = Csv.parse("config,message,max_model_len\nutil095,\"CUDA out of memory, \"\"1.02 GiB\"\"\nmore\",4096\nshort\n");

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).text("message")).isEqualTo("CUDA out of memory, \"1.02 GiB\"\nmore");
        assertThat(rows.get(0).num("max_model_len")).isEqualTo(4096);
        assertThat(rows.get(1).text("message")).isEmpty();
        assertThat(rows.get(1).num("max_model_len")).isNaN();
    }

    @Test
    void aRunFolderReadsAsAOnePointSweepAndItsSimulatorIsNamed() throws Exception {
        Path run = tmp.resolve("run");
        SweepFixtures.writeString(run.resolve("summary.json"), "{\"completed\": 24, \"output_throughput\": 569.76, \"median_tpot_ms\": 13.1}");
        SweepFixtures.writeString(run.resolve("run.yaml"), "inputs:\n  workload: chat\n  concurrency: 8\n  rate: null\n"
                + "simulated_target:\n  kind: embedded simulator\n  gpu: Tesla T4\n  max_model_len: 4096\n");

        Study study = Study.of(List.of(SweepResults.read(run)));

        Curve c = study.curves().get(0);
        assertThat(c.points()).extracting(Point::load).containsExactly(8.0);
        assertThat(c.points().get(0).num("output_throughput")).isEqualTo(569.76);
        assertThat(c.source()).isEqualTo("simulated");
        assertThat(c.gpuClass().label()).isEqualTo("T4 16 GB");
        assertThat(c.points().get(0).first().text("max_model_len")).isEqualTo("4096");
    }

    @Test
    void aMissingFolderNamesItself() {
        assertThatThrownBy(() -> SweepResults.read(tmp.resolve("absent")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no such folder").hasMessageContaining("absent");
    }

    @Test
    void analysisGroupsAreFoundByConfigWorkloadSourceAndGpu() throws Exception {
        SweepResults chat = SweepResults.read(SweepFixtures.chatMeasured(tmp.resolve("chat")));
        Analysis a = chat.analysisIfAny().orElseThrow();

        assertThat(a.verdict("default", "chat", false, "Tesla T4")).get().extracting(v -> v.best().outputThroughput()).isEqualTo(1180.2);
        assertThat(a.verdict("default", "chat", true, "Tesla T4")).isEmpty();
        assertThat(a.verdict("default", "chat", false, "NVIDIA H100 80GB HBM3")).isEmpty();
    }
}
