package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Looks at report.html and playbook.html as a reader's browser does: headless Chromium loads each page, dumps its DOM
 * and takes a screenshot. Needs a {@code chromium} binary (Debian package {@code chromium}): without one each test is
 * skipped with the reason, except in CI (environment {@code CI} set, as {@code .ci/run} and CI services set it),
 * where a missing browser fails the check rather than passing it unseen. Screenshots stay in
 * {@code target/browser-check/} to be opened by a person.
 */
class BrowserCheckTest {

    static final Path DIR = Path.of("target", "browser-check").toAbsolutePath();
    static Path chromium;

    static final String MISSING = "no chromium on PATH: the browser check needs Debian's chromium package (apt-get install -y chromium)";

    @BeforeAll
    static void render() throws IOException {
        Optional<Path> found = Stream.of("chromium", "chromium-browser").flatMap(BrowserCheckTest::onPath).findFirst();
        if (found.isEmpty() && inCi(System.getenv("CI"))) throw new AssertionError(MISSING + "; CI must run it (CI=" + System.getenv("CI") + ")");
        if (found.isEmpty()) return;
        chromium = found.get();
        List<SweepResults> sweeps = new ArrayList<>();
        for (Path dir : SweepFixtures.all(DIR.resolve("in"))) sweeps.add(SweepResults.read(dir));
        Study study = Study.of(sweeps);
        ReportWriter.write(study, DIR.resolve("report"), OptionalDouble.empty());
        PlaybookWriter.write(study, DIR.resolve("playbook"));
    }

    @BeforeEach
    void needsChromium() {
        assumeTrue(chromium != null, MISSING + "; skipped outside CI");
    }

    /** Whether the {@code CI} environment variable says this is a CI run: set, and not empty, {@code false} or {@code 0}. */
    static boolean inCi(String ci) {
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
    }

    @Test
    void reportRendersWithEveryChartAndTheFixtureNumbers() throws Exception {
        Page page = load(DIR.resolve("report/report.html"), "report");

        assertThat(page.consoleErrors()).isEmpty();
        assertThat(page.svgCount()).isEqualTo(figures(DIR.resolve("report/report.md"))).isGreaterThanOrEqualTo(12);
        assertThat(page.dom()).contains("Capacity report", "1,180 tok/s", "2,451 tok/s", "+3.0%", "c=64: server died",
                "Life of a request", "Assumed prices");
        assertScreenshot(page.screenshot());
    }

    @Test
    void playbookRendersWithTheQuickReferenceAndItsNumbers() throws Exception {
        Page page = load(DIR.resolve("playbook/playbook.html"), "playbook");

        assertThat(page.consoleErrors()).isEmpty();
        assertThat(page.svgCount()).isEqualTo(figures(DIR.resolve("playbook/playbook.md"))).isPositive();
        assertThat(page.dom()).contains("vLLM Single-GPU Serving Recipes", "Quick reference", "1,180 tok/s",
                "2,451 tok/s", "vllm serve Qwen/Qwen2.5-1.5B-Instruct", "Quiz answers");
        assertScreenshot(page.screenshot());
    }

    @Test
    void reportAndPlaybookLayOutWithoutCutTablesClippedTextOrOverlappingLabels() throws Exception {
        Browser browser = Browser.find().orElseThrow();
        List<LayoutCheck.Problem> problems = new ArrayList<>();
        for (String page : List.of("report/report.html", "playbook/playbook.html")) {
            problems.addAll(LayoutCheck.check(browser, DIR.resolve(page)));
        }

        assertThat(problems).extracting(LayoutCheck.Problem::line).isEmpty();
    }

    @Test
    void reportAndPlaybookPrintToPdfBesideTheirHtml() throws Exception {
        Optional<Browser> browser = Browser.find();
        for (String page : List.of("report/report", "playbook/playbook")) {
            PdfPrinter.Outcome pdf = PdfPrinter.print(browser, DIR.resolve(page + ".html"));

            assertThat(pdf).as(pdf.line()).isInstanceOf(PdfPrinter.Written.class);
            assertThat(pdf.pdf()).isEqualTo(DIR.resolve(page + ".pdf"));
            assertThat(PdfPrinter.isPdf(pdf.pdf())).isTrue();
            assertThat(Files.size(pdf.pdf())).isGreaterThan(10_000);
            assertThat(pdf.line()).startsWith("PDF: " + pdf.pdf() + " (printed by headless Chromium ");
        }
    }

    /** What Chromium made of one page. */
    record Page(String dom, List<String> consoleErrors, long svgCount, Path screenshot) {}

    private static Page load(Path html, String name) throws Exception {
        String url = html.toUri().toString();
        Path profile = Files.createDirectories(DIR.resolve("profile-" + name));
        Result dom = chromium(profile, "--enable-logging=stderr", "--v=0", "--dump-dom", url);
        Path shot = DIR.resolve(name + ".png");
        Files.deleteIfExists(shot);
        chromium(profile, "--hide-scrollbars", "--window-size=1280,2400", "--screenshot=" + shot, url);
        List<String> errors = dom.stderr().lines()
                .filter(l -> l.contains("Uncaught") || l.contains("ERROR:CONSOLE") || l.contains(":CONSOLE(") && l.contains("rror"))
                .toList();
        long svgs = dom.stdout().split("<svg", -1).length - 1;
        return new Page(dom.stdout(), errors, svgs, shot);
    }

    private record Result(String stdout, String stderr) {}

    private static Result chromium(Path profile, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--disable-gpu", "--no-sandbox",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path out = profile.resolve("chromium.out");
        Path err = profile.resolve("chromium.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s: " + String.join(" ", cmd));
        }
        assertThat(p.exitValue()).as("chromium exit, stderr: " + Files.readString(err)).isZero();
        return new Result(Files.readString(out), Files.readString(err));
    }

    private static void assertScreenshot(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("screenshot " + png).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1280);
        int nonWhite = 0;
        for (int y = 0; y < image.getHeight(); y += 5) for (int x = 0; x < image.getWidth(); x += 5) if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) nonWhite++;
        assertThat(nonWhite).as("ink on the screenshot").isGreaterThan(1000);
    }

    private static long figures(Path markdown) throws IOException {
        return Files.readString(markdown).lines().filter(l -> l.startsWith("![")).count();
    }

    private static Stream<Path> onPath(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(d -> Path.of(d, name)).filter(Files::isExecutable).limit(1);
    }
}
