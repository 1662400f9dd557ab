package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counts read as whole numbers, zero as "0": never "concurrency 27.5" or "0.00 ms". */
class FormattingTest {

    @TempDir
    Path tmp;

    @Test
    void aConcurrencyIsAWholeNumberTheLoadAllows() {
        assertThat(Fmt.concurrency(27.5)).isEqualTo("27");
        assertThat(Fmt.concurrency(4.0)).isEqualTo("4");
        assertThat(Fmt.concurrency(6.9999999999)).isEqualTo("7");
        assertThat(Fmt.concurrency(1280)).isEqualTo("1,280");
        assertThat(Fmt.concurrency(Double.NaN)).isEqualTo(Fmt.MISSING);
    }

    @Test
    void zeroIsZeroAndOtherNumbersKeepThreeDigits() {
        assertThat(Fmt.num(0)).isEqualTo("0");
        assertThat(Fmt.ms(0)).isEqualTo("0 ms");
        assertThat(Fmt.num(0.097)).isEqualTo("0.097");
        assertThat(Fmt.num(3.25)).isEqualTo("3.25");
        assertThat(Fmt.num(98.44)).isEqualTo("98.4");
        assertThat(Fmt.num(1180.2)).isEqualTo("1,180");
    }

    @Test
    void aLongUnbrokenRunInATableCellMayWrapWhileWordsStayWhole() {
        assertThat(Html.breakable("x".repeat(60))).isEqualTo("x".repeat(24) + "<wbr>" + "x".repeat(24) + "<wbr>" + "x".repeat(12));
        assertThat(Html.breakable("<code>default</code>: context-length limit 4096")).isEqualTo("<code>default</code>: context-length limit 4096");
        assertThat(Html.breakable("a &amp; " + "b".repeat(30))).isEqualTo("a &amp; " + "b".repeat(24) + "<wbr>bbbbbb");
    }

    @Test
    void theReportAndPlaybookPrintNoLoadWithDecimals() throws Exception {
        List<SweepResults> sweeps = new ArrayList<>();
        for (Path dir : SweepFixtures.all(tmp.resolve("in"))) sweeps.add(SweepResults.read(dir));
        Study study = Study.of(sweeps);
        String report = Files.readString(ReportWriter.write(study, tmp.resolve("report"), OptionalDouble.empty()).markdown());
        String playbook = Files.readString(PlaybookWriter.write(study, tmp.resolve("playbook")).markdown());

        assertThat(report).contains("| concurrency 27 (interpolated) |");
        for (String doc : List.of(report, playbook)) {
            assertThat(doc).doesNotContainPattern("(?i)(concurrency|c=) ?\\d+\\.\\d").doesNotContainPattern("\\b0\\.00\\b");
        }
    }
}
