package dev.headroom.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks at a page as a reader's browser lays it out: headless Chromium loads a copy of the page with a small script
 * ({@code layout-check.js}) that, after layout, lists every table wider than its container that cannot scroll, every
 * text cut off (by its box, its table cell, the page's right edge, or a chart's frame or plot area), and every two text
 * labels of one chart whose boxes intersect. Each page is laid out twice: on a laptop screen, and with its print rules
 * at the width of a printed A4 page, as the PDF is (where nothing scrolls).
 */
public final class LayoutCheck {

    /** A way the page is read: the window width in CSS pixels, and whether its print rules apply. */
    public enum Media {
        /** A laptop screen, where the issue saw columns cut off. */
        SCREEN(1280, false),
        /** A4 paper (210 mm) less the 12 mm margins of {@link Html}'s print rules: 186 mm, 703 px. */
        PRINT(703, true);

        final int width;
        final boolean print;

        Media(int width, boolean print) {
            this.width = width;
            this.print = print;
        }

        /** "1280 px screen", "718 px print". */
        public String describe() {
            return width + " px " + (print ? "print" : "screen");
        }
    }

    static final Duration LIMIT = Duration.ofSeconds(180);
    private static final String OPEN = "<pre id=\"headroom-layout-check\">";

    private LayoutCheck() {}

    /** What is wrong with one element of a page. */
    public enum Kind { TABLE, CLIPPED, OVERLAP }

    /**
     * One defect.
     *
     * @param page    the page's file name
     * @param media   how it was laid out
     * @param element the element in words: its tag or chart, its text, its section
     * @param what    what is wrong, with the sizes in CSS pixels
     */
    public record Problem(String page, Media media, Kind kind, String element, String what) {
        /** "report.html (1280 px screen): table \"Results…\" in section \"Runs side by side\": is 1630 px wide …". */
        public String line() {
            return page + " (" + media.describe() + "): " + element + ": " + what;
        }
    }

    /** The problems of {@code html} on screen and in print, none when it lays out cleanly. */
    public static List<Problem> check(Browser browser, Path html) throws IOException {
        List<Problem> problems = new ArrayList<>();
        for (Media m : Media.values()) problems.addAll(check(browser, html, m));
        return problems;
    }

    /** The problems of {@code html} laid out for {@code media}; throws when the browser or the check did not run. */
    public static List<Problem> check(Browser browser, Path html, Media media) throws IOException {
        String page = html.getFileName().toString();
        Path dir = Files.createTempDirectory("headroom-layout-");
        Path copy = dir.resolve(page);
        try {
            Files.writeString(copy, withScript(Files.readString(html)));
            Browser.Output out = browser.run(LIMIT, List.of("--hide-scrollbars", "--window-size=" + media.width + ",2000",
                    "--virtual-time-budget=10000", "--dump-dom", copy.toUri() + (media.print ? "#print" : "")));
            if (out.exitCode() != 0) {
                throw new IOException(browser.engine() + " exited with " + out.exitCode() + " on " + page + ": "
                        + out.stderr().strip().lines().reduce((a, b) -> b).orElse("no message"));
            }
            return parse(page, media, out.stdout());
        } finally {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(dir);
        }
    }

    /** The page with the check's script before its closing body tag. */
    static String withScript(String html) {
        int end = html.lastIndexOf("</body>");
        String script = "<script>\n" + script() + "</script>\n";
        return end < 0 ? html + script : html.substring(0, end) + script + html.substring(end);
    }

    /** The problems the script listed in the dumped DOM; throws when its closing line is missing (it did not run). */
    static List<Problem> parse(String page, Media media, String dom) throws IOException {
        // The last one: the script itself, dumped with the page, must never be read as its result.
        int start = dom.lastIndexOf(OPEN);
        int end = start < 0 ? -1 : dom.indexOf("</pre>", start);
        if (end < 0) throw new IOException("the layout check did not run in " + page + ": Chromium's page holds no result");
        List<Problem> problems = new ArrayList<>();
        boolean done = false;
        for (String line : dom.substring(start + OPEN.length(), end).lines().filter(l -> !l.isBlank()).toList()) {
            String[] cells = unescape(line).split("\t", 3);
            if (cells[0].equals("done")) {
                done = true;
            } else if (cells.length == 3) {
                problems.add(new Problem(page, media, Kind.valueOf(cells[0].toUpperCase(java.util.Locale.ROOT)), cells[1], cells[2]));
            }
        }
        if (!done) throw new IOException("the layout check stopped part way in " + page + " (no closing line)");
        return problems;
    }

    private static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&nbsp;", "\u00a0").replace("&amp;", "&");
    }

    private static String script() {
        try (InputStream in = LayoutCheck.class.getResourceAsStream("layout-check.js")) {
            if (in == null) throw new IllegalStateException("layout-check.js is missing from headroom's jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
