package dev.headroom.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Prints a self-contained HTML page to PDF with headless Chromium ({@code --print-to-pdf}), using the page's own print
 * CSS ({@link Html}); without a browser it writes nothing and says why. A failure to print never fails the command:
 * the HTML beside it is the document, the PDF a copy of it.
 */
public final class PdfPrinter {

    /** How long one page may take to print; the demo's report prints in a few seconds. */
    static final Duration LIMIT = Duration.ofSeconds(180);

    /** The first version that takes {@code --no-pdf-header-footer}; older ones spell it {@code --print-to-pdf-no-header}. */
    static final int NO_HEADER_FOOTER_SINCE = 111;

    private PdfPrinter() {}

    /** What became of one PDF. */
    public sealed interface Outcome {
        Path pdf();

        /** The line a command prints about it. */
        String line();
    }

    /** The PDF was written by {@code engine}. */
    public record Written(Path pdf, String engine) implements Outcome {
        @Override
        public String line() {
            return "PDF: " + pdf + " (printed by " + engine + ")";
        }
    }

    /** No PDF, for {@code why}; the HTML stands. */
    public record NotWritten(Path pdf, String why) implements Outcome {
        @Override
        public String line() {
            return "PDF not written (" + pdf.getFileName() + "): " + why;
        }
    }

    /** Prints {@code html} to the PDF of the same name beside it ({@code report.html} → {@code report.pdf}). */
    public static Outcome print(Path html) {
        return print(Browser.find(), html);
    }

    /** As above with the browser given: empty means none was found. */
    public static Outcome print(Optional<Browser> browser, Path html) {
        String name = html.getFileName().toString();
        Path pdf = html.resolveSibling(name.replaceFirst("\\.html?$", "") + ".pdf");
        if (browser.isEmpty()) {
            return new NotWritten(pdf, "no Chromium or Chrome on PATH (looked for " + String.join(", ", Browser.NAMES)
                    + "); " + Browser.INSTALL + " to get it, or pass --no-pdf to skip it");
        }
        Browser b = browser.get();
        try {
            Files.deleteIfExists(pdf);
            String noHeader = b.major() >= NO_HEADER_FOOTER_SINCE || b.major() == 0 ? "--no-pdf-header-footer" : "--print-to-pdf-no-header";
            Browser.Output out = b.run(LIMIT, List.of(noHeader, "--print-to-pdf=" + pdf.toAbsolutePath(),
                    html.toAbsolutePath().toUri().toString()));
            if (out.exitCode() != 0 || !isPdf(pdf)) {
                Files.deleteIfExists(pdf);
                return new NotWritten(pdf, b.engine() + " exited with " + out.exitCode() + " and wrote no PDF"
                        + lastLine(out.stderr()));
            }
            return new Written(pdf, b.engine());
        } catch (IOException e) {
            return new NotWritten(pdf, "printing with " + b.engine() + " failed: " + e.getMessage());
        }
    }

    /** Whether the file exists and starts as a PDF does. */
    static boolean isPdf(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return false;
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(5), "%PDF-".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static String lastLine(String stderr) {
        List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : " (" + lines.get(lines.size() - 1).strip() + ")";
    }
}
