package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.report.SweepFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

    @TempDir
    Path tmp;

    @Test
    void writesTheReportOfSeveralSweeps() throws Exception {
        List<Path> dirs = SweepFixtures.all(tmp.resolve("in"));
        Path out = tmp.resolve("out");

        CliRun run = CliRun.headroom("report", dirs.get(0).toString(), dirs.get(1).toString(), dirs.get(2).toString(),
                "--out", out.toString(), "--gpu-price-per-hour", "1.25");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("Report: " + out.resolve("report.html"), "charts)");
        assertThat(Files.readString(out.resolve("report.md"))).contains("1,180 tok/s", "**$1.25 per GPU-hour**");
        assertThat(out.resolve("throughput.png")).isNotEmptyFile();
    }

    @Test
    void defaultsToAReportFolderInsideTheFirstSweep() throws Exception {
        Path dir = SweepFixtures.chatMeasured(tmp.resolve("chat"));

        CliRun run = CliRun.headroom("report", dir.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(dir.resolve("report/report.html")).isNotEmptyFile();
    }

    @Test
    void aMissingFolderIsOneLineAndExitTwo() {
        CliRun run = CliRun.headroom("report", tmp.resolve("nope").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("no such folder", "nope");
    }

    @Test
    void aFolderWithoutResultsIsOneLineAndExitTwo() {
        CliRun run = CliRun.headroom("report", tmp.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("neither capacity.csv", "summary.json");
    }

    @Test
    void aNonPositivePriceIsRefused() throws Exception {
        Path dir = SweepFixtures.chatMeasured(tmp.resolve("chat"));

        CliRun run = CliRun.headroom("report", dir.toString(), "--gpu-price-per-hour", "0");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("headroom: --gpu-price-per-hour must be a positive number of US dollars, was 0.0");
    }
}
