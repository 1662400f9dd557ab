package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.results.BenchmarkReport;
import dev.headroom.results.BrSchema;
import dev.headroom.selftest.Schedule;
import dev.headroom.selftest.ScheduleServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
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
    void aMeasuredRunKeepsTheEndItsReportStatedAndAnOlderOneTakesSummaryJsonsTime(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        try (ScheduleServer server = ScheduleServer.start(Schedule.of(Duration.ZERO, Duration.ofMillis(1)), 0)) {
            CliRun r = CliRun.headroom("run", "--url", server.baseUrl(), "--workload", "random", "--input-tokens", "16",
                    "--output-tokens", "8", "--concurrency", "2", "--requests", "6", "--out", run.toString(), "--no-progress");
            assertThat(r.exit()).as(r.err()).isZero();
        }
        JsonNode written = BenchmarkReportTest.report(run).path("run").path("time");
        // A copy that does not keep file times, as a fleet study's records come back: the report's end stands.
        Files.setLastModifiedTime(run.resolve("summary.json"), FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        assertThat(CliRun.headroom("export", run.toString(), "--format", "llmd-br").exit()).isZero();
        assertThat(BenchmarkReportTest.report(run).path("run").path("time")).isEqualTo(written);

        // A folder from before reports were written: the run ended when its summary.json was written.
        Files.delete(run.resolve(BenchmarkReport.FILE));
        assertThat(CliRun.headroom("export", run.toString(), "--format", "llmd-br").exit()).isZero();
        JsonNode time = BenchmarkReportTest.report(run).path("run").path("time");
        assertThat(time.path("end").asText()).isEqualTo("2030-01-01T00:00:00Z");
        assertThat(Instant.parse(time.path("start").asText()).plus(Duration.parse(time.path("duration").asText())))
                .isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(BrSchema.errors(run.resolve(BenchmarkReport.FILE))).isEmpty();
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
