package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.report.Fmt;
import dev.headroom.results.PredictionBlock;
import dev.headroom.server.SimServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Predicted figures in the report, the playbook and analyze's printout carry their range from the point's own
 * summary.json (never a pinned simulator figure), said once per document; measured figures stay as they are; a
 * prediction on a GPU outside the error corpus says so.
 */
class PredictionRangesTest {

    private static final String LEGEND = "**Ranges of predicted figures.**";
    private static final String GPU_NOTE = "no published vLLM run on this GPU was in the error corpus";

    @TempDir
    static Path tmp;
    static Path predicted;
    static Path measured;
    static CliRun analyzePredicted;
    static CliRun analyzeMeasured;

    @BeforeAll
    static void sweeps() throws IOException {
        predicted = tmp.resolve("chat-l40s");
        CliRun p = CliRun.headroom("sweep", "--offline", "--workload", "random", "--input-tokens", "256",
                "--output-tokens", "128", "--concurrency", "2,8", "--requests", "40", "--gpu", "l40s", "--no-progress",
                "--out", predicted.toString());
        assertThat(p.exit()).as(p.err()).isZero();
        measured = tmp.resolve("chat-url");
        try (SimServer server = PredictionSummaryTest.server()) {
            CliRun m = CliRun.headroom("sweep", "--url", server.baseUrl(), "--workload", "random", "--input-tokens", "16",
                    "--output-tokens", "8", "--concurrency", "2", "--requests", "6", "--no-progress", "--out",
                    measured.toString());
            assertThat(m.exit()).as(m.err()).isZero();
        }
        analyzePredicted = CliRun.headroom("analyze", predicted.toString());
        assertThat(analyzePredicted.exit()).as(analyzePredicted.err()).isZero();
        analyzeMeasured = CliRun.headroom("analyze", measured.toString());
        assertThat(analyzeMeasured.exit()).as(analyzeMeasured.err()).isZero();
    }

    /** The predicted sweep's point of highest output throughput, as its summary.json recorded it. */
    private static JsonNode peak() throws IOException {
        try (Stream<Path> files = Files.walk(predicted)) {
            return files.filter(f -> f.getFileName().toString().equals("summary.json")).map(f -> PredictionBlock.summary(f.getParent()))
                    .max(Comparator.comparingDouble(s -> s.path("output_throughput").asDouble())).orElseThrow();
        }
    }

    private static String expectedRange(JsonNode summary, String key) {
        double v = summary.path(key).asDouble();
        double e = summary.path("prediction").path("metrics").path("throughput").path("p90_abs_pct").asDouble() / 100;
        return "≈ " + Fmt.tps(v) + " (" + Fmt.num(v * (1 - e)) + "–" + Fmt.num(v * (1 + e)) + ")";
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void theReportGivesAPredictedPeakItsRangeAndLeavesTheMeasuredOneAlone() throws IOException {
        Path out = tmp.resolve("report");
        CliRun r = CliRun.headroom("report", predicted.toString(), measured.toString(), "--out", out.toString(), "--no-pdf");
        assertThat(r.exit()).as(r.err()).isZero();
        String md = Files.readString(out.resolve("report.md"));

        assertThat(count(md, LEGEND)).as("the legend, once").isEqualTo(1);
        assertThat(md).contains(expectedRange(peak(), "output_throughput") + " at c=");
        List<String> sideBySide = md.lines().filter(l -> l.startsWith("| chat-url |")).toList();
        assertThat(sideBySide).isNotEmpty().allSatisfy(l -> assertThat(l).doesNotContain("≈"));
        assertThat(md).contains("Ranges: each figure above is within ± the simulator's held-out error").contains(GPU_NOTE);
    }

    @Test
    void thePlaybookRecipeOfAPredictedCurveGivesItsRangeAndSaysItsGpuIsOutsideTheCorpus() throws IOException {
        Path out = tmp.resolve("playbook");
        CliRun r = CliRun.headroom("playbook", predicted.toString(), "--out", out.toString(), "--no-pdf");
        assertThat(r.exit()).as(r.err()).isZero();
        String md = Files.readString(out.resolve("playbook.md"));

        assertThat(count(md, LEGEND)).isEqualTo(1);
        assertThat(md).contains("≈ ").contains("Coverage: " + GPU_NOTE);
    }

    @Test
    void aMeasuredStudyHasNoLegendAndNoRange() throws IOException {
        Path out = tmp.resolve("playbook-measured");
        CliRun r = CliRun.headroom("playbook", measured.toString(), "--out", out.toString(), "--no-pdf");
        assertThat(r.exit()).as(r.err()).isZero();

        assertThat(Files.readString(out.resolve("playbook.md"))).doesNotContain(LEGEND).doesNotContain("≈ ");
    }

    @Test
    void analyzePrintsTheRangeOfAPredictedGroupsRecommendedFigure() {
        assertThat(analyzePredicted.out()).contains("predicted range: out tok/s").contains("coverage: " + GPU_NOTE);
        assertThat(analyzeMeasured.out()).doesNotContain("predicted range");
    }
}
