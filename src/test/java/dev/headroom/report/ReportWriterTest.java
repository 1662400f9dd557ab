package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @TempDir
    static Path tmp;
    static String md;
    static String html;
    static ReportWriter.Written written;

    @BeforeAll
    static void report() throws IOException {
        List<SweepResults> sweeps = new ArrayList<>();
        for (Path dir : SweepFixtures.all(tmp.resolve("in"))) sweeps.add(SweepResults.read(dir));
        written = ReportWriter.write(Study.of(sweeps), tmp.resolve("out"), OptionalDouble.empty());
        md = Files.readString(written.markdown());
        html = Files.readString(written.html());
    }

    @Test
    void showsTheVerdictAndTheFixtureNumbers() {
        for (String doc : List.of(md, Html.inline(md).isEmpty() ? "" : html)) {
            assertThat(doc).contains("Serve chat at concurrency 16: 1,180 tok/s, p95 E2E 1.81 s.",
                    "1,180 tok/s", "1,320 tok/s", "2,451 tok/s", "4,106 tok/s", "98.4", "KV-cache capacity", "prefill compute",
                    "p95 E2E latency ≤ 2,500 ms", "c=64: server died");
        }
    }

    @Test
    void comparesMeasuredWithPredicted() {
        assertThat(md).contains("Measured against predicted", "| chat | c=16 | output throughput | 1,180 tok/s | 1,216 tok/s | +3.0% |");
    }

    @Test
    void listsServerConfigsAndTheirFailures() {
        assertThat(md).contains("The GPU ran out of memory while the server started",
                "planner predicted a start; the server ran out of memory", "![OOM surface of chat-t4 on T4 16 GB. Each cell is one server config");
    }

    @Test
    void dissectsTheLifeOfAMedianAndAP99Request() {
        assertThat(md).contains("## Life of a request", "| median request |", "| p99 request |",
                "the server's request-phase histograms", "mean prefill 62.0 ms", "fastest time to first token");
    }

    @Test
    void costsUseAssumedDefaultPricesAndSaySo() {
        assertThat(md).contains("**Assumed prices**", "T4 16 GB: $0.350 per hour", "A100 40 GB: $1.50 per hour");
        // $0.35/h over 1180.2 tok/s * 3600 s = 4.25 M tokens/h -> $0.0824 per million.
        assertThat(md).contains("| c=16 **(recommended)** | 1,180 tok/s | 1,810 ms | yes | $0.082 |");
    }

    @Test
    void aGivenPriceReplacesTheDefaults() throws IOException {
        List<SweepResults> sweeps = List.of(SweepResults.read(tmp.resolve("in/chat-t4")));
        String priced = Files.readString(ReportWriter.write(Study.of(sweeps), tmp.resolve("priced"), OptionalDouble.of(2.0)).markdown());

        assertThat(priced).contains("**$2.00 per GPU-hour**", "| c=16 **(recommended)** | 1,180 tok/s | 1,810 ms | yes | $0.471 |")
                .doesNotContain("Assumed prices");
    }

    @Test
    void aSweepWithoutAnalysisSaysSoInsteadOfAVerdict() throws IOException {
        Path dir = SweepFixtures.batchPredicted(tmp.resolve("bare"));
        Files.delete(dir.resolve("analysis.json"));
        String bare = Files.readString(ReportWriter.write(Study.of(List.of(SweepResults.read(dir))), tmp.resolve("bare-out"),
                OptionalDouble.empty()).markdown());

        assertThat(bare).contains("`bare` was not analyzed", "headroom analyze",
                        "Within SLO as `analyze` judges it: p95 E2E ≤ 5.00 s (playbook summarize default)",
                        "not analyzed, so judged as analyze would")
                .doesNotContain("limit is prefill compute");
    }

    @Test
    void htmlIsOneSelfContainedPageWithEveryChartInline() {
        assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script", "<link", "@import", "src=", "href=\"http",
                "url(http", "xlink:href='http");
        long svgs = html.split("<svg", -1).length - 1;
        assertThat(svgs).isEqualTo(written.charts()).isGreaterThanOrEqualTo(12);
        for (String stem : List.of("throughput", "frontier", "latency-chat-t4-default", "oom-surface-chat-t4")) {
            assertThat(tmp.resolve("out").resolve(stem + ".png")).isNotEmptyFile();
            assertThat(tmp.resolve("out").resolve(stem + ".svg")).isNotEmptyFile();
        }
    }

    @Test
    void noPlaceholders() {
        Placeholders.assertNone(md);
        Placeholders.assertNone(html);
    }
}
