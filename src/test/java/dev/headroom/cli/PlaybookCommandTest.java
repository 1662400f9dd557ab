package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.report.SweepFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookCommandTest {

    @TempDir
    Path tmp;

    @Test
    void writesThePlaybookOfSeveralSweeps() throws Exception {
        List<Path> dirs = SweepFixtures.all(tmp.resolve("in"));
        Path out = tmp.resolve("book");

        CliRun run = CliRun.headroom("playbook", dirs.get(0).toString(), dirs.get(2).toString(), "--out", out.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("Playbook: " + out.resolve("playbook.html") + " (2 recipes)");
        assertThat(Files.readString(out.resolve("playbook.md"))).contains("| Chat | T4 16 GB | c=16 | 1,180 tok/s |",
                "| Batch summarization | A100 40 GB | c=16 | 2,451 tok/s |");
        assertThat(out.resolve("playbook.html")).isNotEmptyFile();
    }

    @Test
    void aMissingFolderIsOneLineAndExitTwo() {
        CliRun run = CliRun.headroom("playbook", tmp.resolve("gone").toString(), "--out", tmp.resolve("book").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("no such folder", "gone");
    }

    @Test
    void outIsRequired() throws Exception {
        Path dir = SweepFixtures.chatMeasured(tmp.resolve("chat"));

        CliRun run = CliRun.headroom("playbook", dir.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--out");
    }
}
