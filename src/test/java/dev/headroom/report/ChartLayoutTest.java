package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every chart a report and a playbook draw keeps its text apart and inside the picture; counts read as counts. */
class ChartLayoutTest {

    @TempDir
    static Path tmp;
    static List<Path> svgs;

    @BeforeAll
    static void writeReportAndPlaybook() throws IOException {
        List<SweepResults> sweeps = new ArrayList<>();
        for (Path dir : SweepFixtures.all(tmp.resolve("in"))) sweeps.add(SweepResults.read(dir));
        Study study = Study.of(sweeps);
        ReportWriter.write(study, tmp.resolve("report"), OptionalDouble.empty());
        PlaybookWriter.write(study, tmp.resolve("playbook"));
        Path calm = withoutPreemptions(SweepFixtures.chatMeasured(tmp.resolve("in/chat-calm")));
        ReportWriter.write(Study.of(List.of(SweepResults.read(calm))), tmp.resolve("calm"), OptionalDouble.empty());
        List<Path> all = new ArrayList<>();
        for (String dir : List.of("report", "playbook", "calm")) {
            try (Stream<Path> files = Files.list(tmp.resolve(dir))) {
                all.addAll(files.filter(f -> f.toString().endsWith(".svg")).sorted().toList());
            }
        }
        svgs = List.copyOf(all);
    }

    @Test
    void noTwoTextBoxesOfAnyChartOverlapAndNoneLeavesThePicture() throws Exception {
        assertThat(svgs).hasSizeGreaterThan(10);
        List<String> problems = new ArrayList<>();
        for (Path svg : svgs) problems.addAll(SvgText.problems(svg));
        assertThat(problems).isEmpty();
    }

    @Test
    void aCountAxisOfAllZerosStartsAtZeroWithIntegerTicks() throws Exception {
        Path kv = svgs.stream().filter(f -> f.getParent().endsWith("calm") && f.getFileName().toString().startsWith("kv-"))
                .findFirst().orElseThrow();
        List<String> numbers = SvgText.read(kv).texts().stream().map(SvgText::text)
                .filter(s -> s.matches("[-\\d.,E]+")).toList();

        assertThat(Files.readString(kv)).contains("Preemptions (count)");
        assertThat(numbers).contains("0", "1").allMatch(s -> s.matches("\\d+"), "a non-negative integer");
    }

    @Test
    void equalLinesAreDrawnOnceAndNamedTogether() {
        double[] x = {1, 2, 4};
        double[] y = {10, 20, 30};
        XyPanel p = new XyPanel("Output throughput (tokens/s per GPU)")
                .line("measured", x, y, ChartStyle.color(0), false)
                .line("predicted", x, y.clone(), ChartStyle.color(0), true)
                .line("other", x, new double[] {10, 20, 31}, ChartStyle.color(1), false);

        XYPlot plot = p.plot(new NumberAxis());
        assertThat(plot.getDataset().getSeriesCount()).isEqualTo(2);
        assertThat(plot.getDataset().getSeriesKey(0)).isEqualTo("measured = predicted");
        assertThat(p.merged()).isTrue();
    }

    @Test
    void aMergedLegendEntryNamesTheSecondLineByWhatDiffers() {
        assertThat(XyPanel.afterCommonPrefix("chat · T4 16 GB · gpu_memory_utilization=0.95,max_model_len=4096 (predicted)",
                "chat · T4 16 GB · gpu_memory_utilization=0.95,max_model_len=32768 (predicted)"))
                .isEqualTo("…max_model_len=32768 (predicted)");
        assertThat(XyPanel.afterCommonPrefix("p50 (measured)", "p95 (measured)")).isEqualTo("p95 (measured)");
        assertThat(XyPanel.afterCommonPrefix("chat (measured)", "chat (predicted)")).isEqualTo("…(predicted)");
    }

    @Test
    void aLowerPanelNamesInTheLegendOnlyTheLinesTheUpperOneDoesNot() {
        double[] x = {1, 2, 4};
        XyPanel ttft = new XyPanel("TTFT (ms)").line("p50", x, new double[] {5, 5, 5}, ChartStyle.color(0), false)
                .line("p95", x, new double[] {5, 5, 5}, ChartStyle.color(4), false);
        XyPanel sameNames = new XyPanel("E2E latency (ms)")
                .line("p50 = p95", x, new double[] {9, 9, 9}, ChartStyle.color(0), false).legendShownBy(ttft);
        XyPanel apart = new XyPanel("E2E latency (ms)").line("p50", x, new double[] {9, 9, 9}, ChartStyle.color(0), false)
                .line("p95", x, new double[] {9, 12, 15}, ChartStyle.color(4), false).legendShownBy(ttft);

        assertThat(ttft.plot(new NumberAxis()).getLegendItems().getItemCount()).isEqualTo(1);
        assertThat(sameNames.plot(new NumberAxis()).getLegendItems().getItemCount()).isZero();
        assertThat(apart.plot(new NumberAxis()).getLegendItems().getItemCount()).isEqualTo(2);
    }

    /** The sweep in {@code dir} with every server_preemptions cell of capacity.csv set to 0. */
    private static Path withoutPreemptions(Path dir) throws IOException {
        Path csv = dir.resolve("capacity.csv");
        List<String> lines = Files.readAllLines(csv);
        int col = Arrays.asList(lines.get(0).split(",", -1)).indexOf("server_preemptions");
        List<String> out = new ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (col < cells.length && !cells[col].isEmpty()) cells[col] = "0";
            out.add(String.join(",", cells));
        }
        Files.write(csv, out);
        return dir;
    }
}
