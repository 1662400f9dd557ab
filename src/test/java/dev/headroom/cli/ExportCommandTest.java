package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.results.BenchmarkReport;
import dev.headroom.results.BrSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code headroom export DIR --format llmd-br}: older run and sweep folders get the report a run writes today. */
class ExportCommandTest {

    private static final List<String> POINTS = List.of("points/default/random-c1", "points/default/random-c2");

    @Test
    void anOlderSweepGetsTheSameReportsItsRunsWouldHaveWritten(@TempDir Path dir) throws IOException {
        assertThat(SweepCommandTest.sweep(dir, "--offline", "--concurrency", "1,2").exit()).isZero();
        List<String> written = POINTS.stream().map(p -> read(dir.resolve(p).resolve(BenchmarkReport.FILE))).toList();
        for (String p : POINTS) Files.delete(dir.resolve(p).resolve(BenchmarkReport.FILE));

        CliRun r = CliRun.headroom("export", dir.toString(), "--format", "llmd-br");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("for 2 run folders");
        for (int i = 0; i < POINTS.size(); i++) {
            Path file = dir.resolve(POINTS.get(i)).resolve(BenchmarkReport.FILE);
            assertThat(read(file)).isEqualTo(written.get(i));
            assertThat(BrSchema.errors(file)).isEmpty();
        }
    }

    @Test
    void outWritesUnderItsOwnFolderAndLeavesTheRunFoldersAlone(@TempDir Path dir) throws IOException {
        Path sweep = dir.resolve("sweep");
        assertThat(SweepCommandTest.sweep(sweep, "--offline", "--concurrency", "1,2").exit()).isZero();
        for (String p : POINTS) Files.delete(sweep.resolve(p).resolve(BenchmarkReport.FILE));
        Path out = dir.resolve("exported");

        CliRun r = CliRun.headroom("export", sweep.toString(), "--format", "llmd-br", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        for (String p : POINTS) {
            assertThat(out.resolve(p).resolve(BenchmarkReport.FILE)).isRegularFile();
            assertThat(sweep.resolve(p).resolve(BenchmarkReport.FILE)).doesNotExist();
        }
    }

    @Test
    void anUnknownFormatIsOneLineNamingTheKnownOne(@TempDir Path dir) {
        CliRun r = CliRun.headroom("export", dir.toString(), "--format", "guidellm");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("--format").contains("'guidellm'").contains("llmd-br");
    }

    @Test
    void aFolderWithoutRunsIsOneLine(@TempDir Path dir) {
        CliRun r = CliRun.headroom("export", dir.toString(), "--format", "llmd-br");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("holds no run folder");
    }

    @Test
    void anUnreadableSummaryIsOneLineNamingTheFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("summary.json"), "{\"duration\": 1.0, ");
        Files.writeString(dir.resolve("run.yaml"), "tool: headroom\n");
        Files.writeString(dir.resolve("requests.jsonl"), "");
        CliRun r = CliRun.headroom("export", dir.toString(), "--format", "llmd-br");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains(dir.resolve("summary.json").toString()).contains("not readable");
        assertThat(dir.resolve(BenchmarkReport.FILE)).doesNotExist();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
