package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layout check must fail pages a reader would find broken: a table cut off, text clipped, two chart labels drawn
 * over each other. Needs Chromium as {@link BrowserCheckTest} does (skipped without one, failed in CI).
 */
class LayoutCheckTest {

    static Browser browser;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findBrowser() {
        Optional<Browser> found = Browser.find();
        if (found.isEmpty() && BrowserCheckTest.inCi(System.getenv("CI"))) throw new AssertionError(BrowserCheckTest.MISSING);
        browser = found.orElse(null);
    }

    private static void needsChromium() {
        assumeTrue(browser != null, BrowserCheckTest.MISSING + "; skipped outside CI");
    }

    @Test
    void aTableWiderThanItsColumnThatCannotScrollFails() throws Exception {
        needsChromium();
        String cell = "a-long-unbreakable-value-".repeat(4);
        Path page = write("wide.html", "<h2>Runs side by side</h2><table><tr><td style=\"white-space:nowrap\">" + cell
                + "</td><td style=\"white-space:nowrap\">" + cell + "</td></tr></table>");

        List<LayoutCheck.Problem> problems = LayoutCheck.check(browser, page, LayoutCheck.Media.SCREEN);

        assertThat(problems).anySatisfy(p -> {
            assertThat(p.kind()).isEqualTo(LayoutCheck.Kind.TABLE);
            assertThat(p.line()).startsWith("wide.html (1280 px screen): table \"a-long-unbreakable")
                    .contains("in section \"Runs side by side\"", "cannot scroll");
        });
    }

    @Test
    void textCutOffByItsBoxOrSpillingFromItsCellFails() throws Exception {
        needsChromium();
        Path page = write("cut.html", "<h2>Cut</h2><div style=\"width:80px;overflow:hidden;white-space:nowrap\">text far "
                + "too long for its box</div><table style=\"table-layout:fixed;width:200px\"><tr><td>ok</td>"
                + "<td>averyveryveryverylongunbreakablewordinacell</td></tr></table>");

        List<LayoutCheck.Problem> problems = LayoutCheck.check(browser, page, LayoutCheck.Media.SCREEN);

        assertThat(problems).extracting(LayoutCheck.Problem::kind).containsOnly(LayoutCheck.Kind.CLIPPED);
        assertThat(problems).extracting(LayoutCheck.Problem::line)
                .anySatisfy(l -> assertThat(l).contains("div \"text far too long", "is cut to its box"))
                .anySatisfy(l -> assertThat(l).contains("td \"averyvery", "spills out of its"));
    }

    @Test
    void overlappingLabelsOfAChartDrawnByChartFilesFail() throws Exception {
        needsChromium();
        // Two annotations at nearly the same spot, as "best c=4" was once printed over itself.
        ChartFiles.Written chart = ChartFiles.write(tmp, "clash", "Two labels on one spot", 400, 200, g -> {
            g.setFont(ChartStyle.NOTE);
            g.setColor(ChartStyle.INK);
            g.drawString("best c=4", 100, 100);
            g.drawString("knee c=4", 104, 103);
            g.drawString("alone", 300, 40);
        });
        Doc doc = new Doc("Chart").h2("Throughput").figure(chart);
        Path page = Files.writeString(tmp.resolve("chart.html"), Html.render(doc, tmp));

        List<LayoutCheck.Problem> problems = LayoutCheck.check(browser, page);

        assertThat(problems).isNotEmpty().allSatisfy(p -> {
            assertThat(p.kind()).isEqualTo(LayoutCheck.Kind.OVERLAP);
            assertThat(p.line()).contains("text \"knee c=4\" of chart 1 in section \"Throughput\"", "overlaps text \"best c=4\"");
        });
        assertThat(problems).extracting(LayoutCheck.Problem::media).containsExactlyInAnyOrder(LayoutCheck.Media.values());
    }

    @Test
    void aLabelOutsideItsChartOrPlotAreaIsClipped() throws Exception {
        needsChromium();
        Path page = write("edge.html", "<h2>Frontier</h2><svg width=\"400\" height=\"200\" viewBox=\"0 0 400 200\"><defs>"
                + "<clipPath id=\"plot\"><path d=\"M50 20L350 20L350 180L50 180Z\"/></clipPath></defs>"
                + "<g clip-path=\"url(#plot)\"><text x=\"330\" y=\"60\" font-size=\"14\">frontier label</text></g></svg>");

        List<LayoutCheck.Problem> problems = LayoutCheck.check(browser, page, LayoutCheck.Media.SCREEN);

        assertThat(problems).extracting(LayoutCheck.Problem::line)
                .anySatisfy(l -> assertThat(l).contains("\"frontier label\"", "cut by the plot area"))
                .anySatisfy(l -> assertThat(l).contains("\"frontier label\"", "outside the chart"));
    }

    @Test
    void printRulesApplyInThePrintLayoutOnly() throws Exception {
        needsChromium();
        Path page = write("print.html", "<style>@media print{.x{width:50px;overflow:hidden;white-space:nowrap}}</style>"
                + "<h2>Print</h2><div class=\"x\">cut in print only, never on screen</div>");

        assertThat(LayoutCheck.check(browser, page, LayoutCheck.Media.SCREEN)).isEmpty();
        assertThat(LayoutCheck.check(browser, page, LayoutCheck.Media.PRINT)).singleElement()
                .satisfies(p -> assertThat(p.line()).startsWith("print.html (703 px print): div \"cut in print only"));
    }

    @Test
    void aTableThatScrollsAndAChartWithApartLabelsPass() throws Exception {
        needsChromium();
        Doc doc = new Doc("Fine").h2("Wide").table(List.of("a", "b", "c"), List.of(List.of("x".repeat(300), "y", "z")));
        Path page = Files.writeString(tmp.resolve("fine.html"), Html.render(doc, tmp));

        assertThat(LayoutCheck.check(browser, page)).isEmpty();
    }

    @Test
    void aPageWhereTheScriptDidNotFinishIsAnErrorNotAPass() {
        assertThatThrownBy(() -> LayoutCheck.parse("p.html", LayoutCheck.Media.SCREEN, "<html><body></body></html>"))
                .isInstanceOf(IOException.class).hasMessageContaining("did not run in p.html");
        String cut = "<pre id=\"headroom-layout-check\">\ntable\ttable \"x\"\tis wide\n</pre>";
        assertThatThrownBy(() -> LayoutCheck.parse("p.html", LayoutCheck.Media.SCREEN, cut))
                .isInstanceOf(IOException.class).hasMessageContaining("no closing line");
    }

    @Test
    void theResultIsReadFromTheLastListNotTheScriptsOwnText() throws Exception {
        String dom = "<script>// a pre element <pre id=\"headroom-layout-check\">\noverlap\tx\ty\n</script>"
                + "<pre id=\"headroom-layout-check\">\nclipped\ttd \"a &amp; b\"\tspills\ndone\t12\n</pre>";

        assertThat(LayoutCheck.parse("p.html", LayoutCheck.Media.PRINT, dom)).containsExactly(
                new LayoutCheck.Problem("p.html", LayoutCheck.Media.PRINT, LayoutCheck.Kind.CLIPPED, "td \"a & b\"", "spills"));
    }

    @Test
    void theScriptGoesBeforeTheClosingBodyTag() {
        String page = LayoutCheck.withScript("<html><body><p>x</p></body></html>");

        assertThat(page).startsWith("<html><body><p>x</p><script>").endsWith("</script>\n</body></html>")
                .contains("headroom-layout-check");
    }

    private Path write(String name, String body) throws IOException {
        return Files.writeString(tmp.resolve(name), "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>"
                + body + "</body></html>");
    }
}
