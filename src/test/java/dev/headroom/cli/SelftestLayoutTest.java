package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.headroom.report.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code headroom selftest layout DIR}: exit 1 naming each offending element, 0 on clean pages, 2 without a folder. */
class SelftestLayoutTest {

    @TempDir
    Path tmp;

    @Test
    void aPageWithATableCutOffAndOverlappingLabelsFailsNamingBoth() throws Exception {
        assumeChromium();
        Path pages = Files.createDirectories(tmp.resolve("study/report"));
        Files.writeString(pages.resolve("report.html"), "<!DOCTYPE html><html><body style=\"width:500px\">"
                + "<h2>Runs side by side</h2><table><tr><td style=\"white-space:nowrap\">" + "wide cell ".repeat(12)
                + "</td></tr></table><h2>Throughput</h2><svg width=\"300\" height=\"100\"><text x=\"20\" y=\"50\">best c=4"
                + "</text><text x=\"24\" y=\"52\">knee c=4</text></svg></body></html>");
        Files.writeString(Files.createDirectories(tmp.resolve("study/playbook")).resolve("playbook.html"),
                "<!DOCTYPE html><html><body><h2>Fine</h2><p>Nothing wrong here.</p></body></html>");

        CliRun run = CliRun.headroom("selftest", "layout", tmp.resolve("study").toString());

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).contains("playbook/playbook.html: ok", "report/report.html: 4 problems",
                "table: report.html (1280 px screen): table \"wide cell", "in section \"Runs side by side\"",
                "overlap: report.html (703 px print): text \"knee c=4\" of chart 1 in section \"Throughput\": overlaps text \"best c=4\"");
    }

    @Test
    void cleanPagesPass() throws Exception {
        assumeChromium();
        Files.writeString(tmp.resolve("a.html"), "<!DOCTYPE html><html><body><p>fine</p></body></html>");

        CliRun run = CliRun.headroom("selftest", "layout", tmp.toString());

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("1 page under", "a.html: ok");
    }

    @Test
    void withoutAFolderItIsOneLineAndExitTwo() {
        CliRun run = CliRun.headroom("selftest", "layout", tmp.resolve("gone").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("selftest layout needs a folder of HTML pages", "gone");
    }

    private static void assumeChromium() {
        boolean ci = System.getenv("CI") != null && !System.getenv("CI").isBlank() && !System.getenv("CI").equals("false")
                && !System.getenv("CI").equals("0");
        boolean found = Browser.find().isPresent();
        if (!found && ci) throw new AssertionError("no chromium on PATH: selftest layout needs it, and CI must run it");
        assumeTrue(found, "no chromium on PATH (Debian's chromium package); skipped outside CI");
    }
}
