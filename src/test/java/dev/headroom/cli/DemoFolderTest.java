package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where {@code demo} writes: a path with spaces stays one argument; a folder already in use is refused whole. */
class DemoFolderTest {

    @TempDir
    Path tmp;

    @Test
    void aFolderWithFilesIsRefusedWithOneLineAndLeftAsItWas() throws IOException {
        Path used = Files.createDirectories(tmp.resolve("used"));
        Files.writeString(used.resolve("notes.txt"), "mine");

        CliRun r = CliRun.headroom("demo", "--out", used.toString(), "--no-progress");

        assertThat(r.exit()).isEqualTo(Errors.USAGE);
        assertThat(r.err().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("headroom: --out " + used + " already holds files; the demo writes a fresh study");
        try (var files = Files.list(used)) {
            assertThat(files).containsExactly(used.resolve("notes.txt"));
        }
        assertThat(used.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void withoutOutTheDemoTakesTheDefaultFolderOrTheNextFreeOneAndNeverAnEarlierDemos() throws IOException {
        Path base = tmp.resolve("headroom-demo");
        assertThat(DemoCommand.freeFolder(base)).isEqualTo(base);
        Files.createDirectories(base);
        assertThat(DemoCommand.freeFolder(base)).as("an empty folder is fresh").isEqualTo(base);
        Files.writeString(base.resolve("demo.log"), "an earlier demo");
        assertThat(DemoCommand.freeFolder(base)).isEqualTo(tmp.resolve("headroom-demo-2"));
        Files.createDirectories(tmp.resolve("headroom-demo-2"));
        Files.writeString(tmp.resolve("headroom-demo-2/demo.log"), "another");
        assertThat(DemoCommand.freeFolder(base)).isEqualTo(tmp.resolve("headroom-demo-3"));
    }

    @Test
    void everyPathOfEveryStepIsOneArgumentEvenWithSpaces() {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs("--out", tmp.resolve("my demo").toString());

        List<DemoCommand.Step> steps = demo.steps();

        Path out = tmp.resolve("my demo");
        assertThat(steps.get(0).args()).endsWith("--out", out.resolve("sweeps/chat-t4").toString());
        assertThat(steps.get(steps.size() - 1).args()).startsWith("playbook", out.resolve("sweeps/chat-t4").toString())
                .endsWith("--out", out.resolve("playbook").toString());
        assertThat(steps).allSatisfy(s -> assertThat(s.args()).noneMatch(a -> a.equals("demo") || a.endsWith("/my")));
    }
}
