package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** analyze on other tools' real results files: a verdict naming the tool, or one line for a file it does not read. */
class AnalyzeImportedTest {

    private static final Path IMPORTED = Path.of("src/test/resources/dev/headroom/results/imported");

    private static Path copy(Path file, Path dir) throws IOException {
        Files.createDirectories(dir);
        return Files.copy(file, dir.resolve(file.getFileName()));
    }

    @Test
    void aGuideLlmReportGetsAVerdictThatNamesTheTool(@TempDir Path tmp) throws IOException {
        Path file = copy(IMPORTED.resolve("guidellm/guidellm_report_v2.json"), tmp.resolve("guidellm"));
        CliRun r = CliRun.headroom("analyze", file.toString(), "--slo", "p95_e2el=1500ms");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("== default · guidellm · rate · measured (e2e-mock-model)", "imported from GuideLLM 0.8.0.dev18",
                "Wrote " + tmp.resolve("guidellm/analysis.json"));
    }

    @Test
    void aBenchmarkReportOfAnotherVersionIsOneLineAndExitTwo(@TempDir Path tmp) throws IOException {
        Path file = copy(IMPORTED.resolve("benchmark-report/br_v0_1_example.yaml"), tmp.resolve("br"));
        CliRun r = CliRun.headroom("analyze", tmp.resolve("br").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n")
                .contains(file + ": Benchmark Report version 0.1 is not a version headroom reads (supported: ");
        assertThat(tmp.resolve("br/analysis.json")).doesNotExist();
    }
}
