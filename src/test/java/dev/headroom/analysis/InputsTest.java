package dev.headroom.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.results.ConfigRow;
import dev.headroom.results.Point;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class InputsTest {

    @Test
    void aSweepFolderGivesItsRowsAndConfigs() {
        Inputs in = Inputs.load(List.of(Fixtures.dir("kv-sweep")));
        assertThat(in.points()).hasSize(7);
        Point first = in.points().get(0);
        assertThat(first.config()).isEqualTo("mns128");
        assertThat(first.concurrency()).isEqualTo(1);
        assertThat(first.rate()).isNull();
        assertThat(first.value("output_throughput")).isEqualTo(100.0);
        assertThat(first.served().maxNumSeqs()).as("the server config is typed").isEqualTo(128);
        assertThat(in.configs()).extracting(ConfigRow::status).containsExactly("ran", "failed_to_start");
        assertThat(in.configs().get(1).message()).startsWith("torch.OutOfMemoryError: CUDA out of memory.")
                .contains("1.02 GiB, GPU 0");
    }

    @Test
    void runFoldersAtTheSameLoadAreRepeats(@TempDir Path tmp) throws IOException {
        Path a = copyRun(Fixtures.dir("compare/predicted-c4"), tmp.resolve("a"));
        Path b = copyRun(Fixtures.dir("compare/predicted-c4"), tmp.resolve("b"));
        Inputs in = Inputs.load(List.of(a, b, Fixtures.dir("compare/predicted-c8")));
        assertThat(in.points()).extracting(Point::repeat).containsExactly(0, 1, 0);
        assertThat(in.points()).allSatisfy(p -> {
            assertThat(p.predicted()).isTrue();
            assertThat(p.workload()).isEqualTo("chat");
            assertThat(p.gpu()).isEqualTo("Tesla T4");
        });
    }

    private static Path copyRun(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String f : List.of("summary.json", "run.yaml")) Files.copy(from.resolve(f), to.resolve(f));
        return to;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing folder       | -                                        | is not a folder
            empty folder         | empty                                    | holds neither capacity.csv (a sweep folder), summary.json (a run folder) nor another tool's results files
            summary, no run.yaml | summary.json={}                          | has summary.json but no run.yaml
            ragged capacity.csv  | capacity.csv=workload,concurrencyNLchat  | capacity.csv line 2 has 1 fields; its header has 2
            bad concurrency      | capacity.csv=workload,concurrencyNLchat,0 | concurrency '0' is not a whole number ≥ 1
            no workload          | capacity.csv=workload,concurrencyNL,4    | has no workload
            broken json          | summary.json={NLrun.yaml=inputs: {}       | cannot read it
            """)
    void badInputIsOneLine(String what, String files, String message, @TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("dir");
        if (!files.equals("-")) {
            Files.createDirectories(dir);
            if (!files.equals("empty")) {
                String[] parts = files.replace("NLrun.yaml=", "\u0000run.yaml=").split("\u0000");
                for (String part : parts) {
                    int eq = part.indexOf('=');
                    Files.writeString(dir.resolve(part.substring(0, eq)), part.substring(eq + 1).replace("NL", "\n"));
                }
            }
        }
        assertThatThrownBy(() -> Inputs.load(List.of(dir))).as(what).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message).hasMessageNotContaining("\n");
    }
}
