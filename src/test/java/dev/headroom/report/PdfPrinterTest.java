package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a browser no PDF is written and one line says why; a PDF is one only when it starts as one. */
class PdfPrinterTest {

    @TempDir
    Path tmp;

    @Test
    void withoutABrowserNothingIsWrittenAndOneLineSaysWhyAndWhatToInstall() throws Exception {
        Path html = Files.writeString(tmp.resolve("report.html"), "<html><body>x</body></html>");

        PdfPrinter.Outcome out = PdfPrinter.print(Optional.empty(), html);

        assertThat(out).isInstanceOf(PdfPrinter.NotWritten.class);
        assertThat(out.pdf()).isEqualTo(tmp.resolve("report.pdf")).doesNotExist();
        assertThat(out.line()).doesNotContain("\n").startsWith("PDF not written (report.pdf): no Chromium or Chrome on PATH")
                .contains("apt-get install chromium", "--no-pdf");
    }

    @Test
    void aFileIsAPdfOnlyWhenItStartsAsOne() throws Exception {
        assertThat(PdfPrinter.isPdf(Files.writeString(tmp.resolve("a.pdf"), "%PDF-1.4\n..."))).isTrue();
        assertThat(PdfPrinter.isPdf(Files.writeString(tmp.resolve("b.pdf"), "<html>"))).isFalse();
        assertThat(PdfPrinter.isPdf(tmp.resolve("none.pdf"))).isFalse();
    }
}
