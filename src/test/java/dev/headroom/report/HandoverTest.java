package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report and the playbook read as documents handed to a client: plain words, the answer first, errors put plainly. */
class HandoverTest {

    /** Names a client should not have to read: snake_case keys, results files, Prometheus metrics, option flags. */
    static final Pattern NAME = Pattern.compile("\\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\\b|\\b[\\w-]+\\.(?:csv|jsonl?|yaml)\\b"
            + "|\\bvllm:[a-z_]+|(?<![\\w-])--[a-z][a-z-]+");

    @TempDir
    static Path tmp;
    static String playbook;
    static String playbookHtml;
    static String report;
    static String reportHtml;

    @BeforeAll
    static void write() throws IOException {
        List<SweepResults> sweeps = new ArrayList<>();
        for (Path dir : SweepFixtures.all(tmp.resolve("in"))) sweeps.add(SweepResults.read(dir));
        Study study = Study.of(sweeps);
        PlaybookWriter.Written p = PlaybookWriter.write(study, tmp.resolve("playbook"));
        ReportWriter.Written r = ReportWriter.write(study, tmp.resolve("report"), OptionalDouble.empty());
        playbook = Files.readString(p.markdown());
        playbookHtml = Files.readString(p.html());
        report = Files.readString(r.markdown());
        reportHtml = Files.readString(r.html());
    }

    /**
     * The client's part of a Markdown document: everything before the glossary, without what a reader copies or
     * opens as written (code blocks, folded server messages, commands in backticks, chart file links).
     */
    static String clientText(String md) {
        int glossary = md.indexOf("## Glossary");
        String body = glossary < 0 ? md : md.substring(0, glossary);
        StringBuilder out = new StringBuilder();
        boolean code = false;
        for (String line : body.split("\n")) {
            if (line.startsWith("```")) {
                code = !code;
                continue;
            }
            if (code || line.startsWith(">     ")) continue;
            out.append(line.replaceAll("`[^`]* [^`]*`", "").replaceAll("\\]\\([^)]*\\)", "]")).append('\n');
        }
        return out.toString();
    }

    static List<String> names(String md) {
        return NAME.matcher(clientText(md)).results().map(m -> m.group()).distinct().toList();
    }

    @Test
    void clientTextNamesNoMetricFileOrOption() {
        assertThat(names(playbook)).as("names in the playbook's client text").isEmpty();
        assertThat(names(report)).as("names in the report's client text").isEmpty();
    }

    @Test
    void theGlossaryNamesEachOnceWithItsPlainWords() {
        String glossary = playbook.substring(playbook.indexOf("## Glossary"));
        assertThat(glossary).contains("| KV-cache capacity | `kv_capacity` |", "| context-length limit | `max_model_len` |",
                "| the sweep's results table | `capacity.csv` |", "| peak KV-cache usage | `kv_cache_usage_max` |");
    }

    @Test
    void aServerErrorIsOnePlainSentenceWithTheOriginalFolded() {
        // The fixture's util095 config died with torch's "CUDA out of memory. Tried to allocate 1.02 GiB ..."
        String original = "CUDA out of memory. Tried to allocate 1.02 GiB";
        for (String md : List.of(playbook, report)) {
            assertThat(clientText(md)).doesNotContain(original).contains("The GPU ran out of memory while the server started");
            assertThat(md).contains("> vLLM's own message for config `util095`:");
        }
        for (String html : List.of(playbookHtml, reportHtml)) {
            int details = html.indexOf("<details><summary>vLLM's own message for config <code>util095</code>");
            assertThat(details).isPositive();
            assertThat(html.indexOf(original)).isGreaterThan(details);
            assertThat(html.substring(html.indexOf("<body>"), details)).doesNotContain(original);
        }
    }

    @Test
    void opensWithTheBannerAndTheAnswerPerWorkloadAndGpu() {
        String top = playbook.substring(0, playbook.indexOf("## Quick reference"));
        assertThat(top.indexOf("> **Some numbers in this document were not measured on a GPU")).isPositive()
                .isLessThan(top.indexOf("## Executive summary"));
        // The same numbers as the quick reference's rows.
        assertThat(top).contains("**Chat on T4 16 GB**: serve at c=16: 1,180 tok/s at p95 E2E 1,810 ms",
                "Thresholds: serve at c=16; the knee is at c=32; the limit is KV-cache capacity from c=32",
                "**Batch summarization on A100 40 GB**: serve at c=16: 2,451 tok/s at p95 E2E 3,800 ms",
                "Next step: measure this config on a real A100 40 GB at c=16");
        assertThat(report.indexOf("## Executive summary")).isPositive().isLessThan(report.indexOf("## Verdict"));
    }

    @Test
    void saysWhichToolWhenAndWhichSettingsByHash() {
        for (String md : List.of(playbook, report)) {
            assertThat(md).contains("## Provenance").containsPattern("Written on \\d{4}-\\d{2}-\\d{2} \\(UTC\\) from results recorded by headroom ")
                    .containsPattern("\\| chat · T4 16 GB \\(measured\\) \\| `chat-t4` \\| server at http://127.0.0.1:8000 \\| `default` \\([0-9a-f]{8}\\) \\|");
        }
        // The measured and the predicted chat curve served the same settings, so they share a hash.
        assertThat(hashOf(playbook, "chat · T4 16 GB (measured)")).isEqualTo(hashOf(playbook, "chat · T4 16 GB (predicted)"))
                .isNotEqualTo(hashOf(playbook, "summarize · A100 40 GB (predicted)"));
    }

    private static String hashOf(String md, String curve) {
        String row = md.lines().filter(l -> l.startsWith("| " + curve + " | `")).findFirst().orElseThrow();
        return row.replaceAll(".*\\(([0-9a-f]{8})\\).*", "$1");
    }

    @Test
    void noBannerWhenEveryNumberWasMeasured() throws IOException {
        Study measured = Study.of(List.of(SweepResults.read(tmp.resolve("in/chat-t4"))));
        String md = Files.readString(PlaybookWriter.write(measured, tmp.resolve("measured-only")).markdown());
        assertThat(md).doesNotContain("not measured on a GPU");
        String predicted = Files.readString(PlaybookWriter.write(Study.of(List.of(SweepResults.read(tmp.resolve("in/batch-a100")))),
                tmp.resolve("predicted-only")).markdown());
        assertThat(predicted).contains("> **No number in this document was measured on a GPU");
    }

    @Test
    void quizAnswersStandOnAPageOfTheirOwnAfterEveryQuestion() {
        int questions = playbookHtml.indexOf(">Quiz</h2>");
        int page = playbookHtml.indexOf("<hr class=\"page\">");
        int answers = playbookHtml.indexOf(">Quiz answers</h2>");
        assertThat(questions).isPositive().isLessThan(page);
        assertThat(playbookHtml.substring(page, answers)).doesNotContain("<p>", "<table>");
        assertThat(playbookHtml).contains("hr.page{", "break-after:page");
    }

    @Test
    void theTtftSplitIsExplainedOnceNotAboveEveryTable() throws IOException {
        List<SweepResults> sweeps = new ArrayList<>();
        for (Path dir : SweepFixtures.all(tmp.resolve("split"))) {
            // Every point with the server's TTFT split, as vLLM's per-request metrics give it.
            Path csv = dir.resolve("capacity.csv");
            List<String> lines = new ArrayList<>(Files.readAllLines(csv));
            for (int i = 0; i < lines.size(); i++) {
                lines.set(i, lines.get(i) + (i == 0 ? ",median_engine_queue_ms,median_engine_ttft_ms,median_ttft_outside_engine_ms,"
                        + "p95_ttft_outside_engine_ms" : ",0,40,0,0"));
            }
            Files.write(csv, lines);
            sweeps.add(SweepResults.read(dir));
        }
        String md = Files.readString(ReportWriter.write(Study.of(sweeps), tmp.resolve("split-out"), OptionalDouble.empty()).markdown());

        assertThat(md.split("\\| p50 outside engine \\(ms\\)", -1)).hasSizeGreaterThan(3);
        assertThat(md.split("the engine's time from scheduling to the first token", -1)).hasSize(2);
    }

    @Test
    void wideTablesScrollInsideTheirOwnBox() {
        assertThat(reportHtml).contains(".wide{overflow-x:auto");
        assertThat(reportHtml.split("<table>", -1).length).isEqualTo(reportHtml.split("<div class=\"wide\"><table>", -1).length);
    }

    @Test
    void measuredAgainstPredictedIsComputedWhenNoAnalysisHoldsIt() throws IOException {
        Path measured = SweepFixtures.chatMeasured(tmp.resolve("alone/chat-t4"));
        Path predicted = SweepFixtures.chatPredicted(tmp.resolve("alone/chat-t4-predicted"));
        // Each sweep analyzed alone: neither analysis.json compares.
        ObjectMapper json = new ObjectMapper();
        ObjectNode analysis = (ObjectNode) json.readTree(predicted.resolve("analysis.json").toFile());
        analysis.remove("comparison");
        Files.writeString(predicted.resolve("analysis.json"), analysis.toPrettyString());

        String md = Files.readString(ReportWriter.write(Study.of(List.of(SweepResults.read(measured), SweepResults.read(predicted))),
                tmp.resolve("alone/out"), OptionalDouble.empty()).markdown());

        assertThat(md).doesNotContain("No comparison").contains("## Measured against predicted",
                "| chat · T4 16 GB | c=16 | output throughput | 1,180 tok/s | 1,216 tok/s | +3.0% |",
                "| chat · T4 16 GB | c=16 | p95 E2E latency | 1,810 ms | 1,740 ms | -3.9% |");
    }
}
