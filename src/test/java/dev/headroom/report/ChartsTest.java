package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.results.SummaryJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

class ChartsTest {

    @TempDir
    static Path tmp;
    static Study study;
    static Path out;

    @BeforeAll
    static void sweeps() throws IOException {
        List<SweepResults> sweeps = new ArrayList<>();
        for (Path dir : SweepFixtures.all(tmp.resolve("in"))) sweeps.add(SweepResults.read(dir));
        study = Study.of(sweeps);
        out = tmp.resolve("charts");
    }

    @Test
    void throughputChartHoldsEveryCurveAndMarksBestAndKnee() throws Exception {
        List<String> panels = new ArrayList<>(study.panels().keySet());
        ChartFiles.Written w = LoadCharts.throughput(study.curves(), panels, out, "throughput");

        String svg = validSvgAndPng(w.stem());
        assertThat(svg).contains("chat · T4 16 GB (measured)", "chat · T4 16 GB (predicted)",
                "summarize · A100 40 GB (predicted)", "serve c=16", "knee c=32",
                "Output throughput (tokens/s per GPU)", "Concurrency (requests in flight)");
    }

    @Test
    void latencyChartShowsPercentilesOfMeasuredAndPredictedWithTheSlo() throws Exception {
        List<Curve> chat = study.panels().get("chat · T4 16 GB");
        ChartFiles.Written w = LoadCharts.latency(chat, out, "latency-chat");

        String svg = validSvgAndPng(w.stem());
        assertThat(svg).contains("p50 (measured)", "p95 (measured)", "p99 (measured)", "p95 (predicted)",
                "SLO p95 E2E latency ≤ 2,500 ms", "TTFT (ms)", "E2E latency (ms)", "serve c=16");
        assertThat(svg).contains("stroke-dasharray");
    }

    @Test
    void tokenLatencyChartShowsTpotAndItl() throws Exception {
        ChartFiles.Written w = LoadCharts.tokenLatency(study.panels().get("chat · T4 16 GB"), out, "tpot-chat");

        assertThat(validSvgAndPng(w.stem())).contains("median (measured)", "p99 (predicted)", "TPOT (ms per token)", "ITL (ms)");
    }

    @Test
    void kvChartOnlyWhereTheKvGaugeWasSampled() throws Exception {
        assertThat(LoadCharts.kvCache(study.panels().get("chat · T4 16 GB"), out, "kv-chat")).isPresent();
        assertThat(validSvgAndPng("kv-chat")).contains("KV peak (measured)", "preemptions (measured)", "KV cache full");

        Study predictedOnly = Study.of(List.of(SweepResults.read(SweepFixtures.chatPredicted(tmp.resolve("p")))));
        assertThat(LoadCharts.kvCache(predictedOnly.curves(), out, "kv-none")).isEmpty();
    }

    @Test
    void frontierPlotsPerUserAgainstPerGpuThroughput() throws Exception {
        List<String> panels = new ArrayList<>(study.panels().keySet());
        ChartFiles.Written w = LoadCharts.frontier(study.curves(), panels, out, "frontier");

        assertThat(validSvgAndPng(w.stem())).contains("Output tokens/s per user (1000 / median TPOT)",
                "Output throughput (tokens/s per GPU)", "c=32", "serve c=16");
    }

    @Test
    void oomSurfaceFromConfigsCsvWithLegend() throws Exception {
        SweepResults chat = study.sweeps().get(0);
        ChartFiles.Written w = OomSurface.chart(chat, study, out, "oom").orElseThrow();

        assertThat(validSvgAndPng(w.stem())).contains("77.3x", "9.7x", "✗ OOM", "vLLM refuses to start",
                "context-length limit (tokens)", "GPU memory fraction", "the planner and the server disagree");
        assertThat(OomSurface.chart(study.sweeps().get(2), study, out, "oom-single")).isEmpty();
    }

    @Test
    void timelineAndLifeOfTheBestRun() throws Exception {
        Curve measured = study.curves().get(0);
        LoadPoint best = measured.typical().orElseThrow();
        Path run = measured.folder(best);
        List<RequestTimes> requests = RequestTimes.read(run);
        Timeline t = Timeline.of(run, requests);
        RunCharts.timeline(t, "Run timeline", out, "timeline");
        RequestLife.Dissection d = RequestLife.of(requests, SummaryJson.numbers(run)).orElseThrow();
        RunCharts.life(d, "Life of a request", out, "life");

        assertThat(best.load()).isEqualTo(16);
        assertThat(t.hasKv()).isTrue();
        assertThat(validSvgAndPng("timeline")).contains("in flight (client)", "running (server)", "KV cache usage",
                "Time since the run started (s)");
        assertThat(validSvgAndPng("life")).contains("client queue", "server queue", "prefill", "decode",
                "median request", "p99 request");
    }

    @Test
    void surfaceHeatmapIsWideEnoughForItsTitle() throws Exception {
        String title = "A rather long title for a two-by-one surface of Qwen2.5-1.5B-Instruct on a Tesla T4 — max concurrency";
        SurfaceHeatmap.writeCells(out, "narrow", title, List.of(
                new SurfaceHeatmap.Cell(4096, 0.8, 128, 2048, "", true, false, 77.3, "77.3x", false),
                new SurfaceHeatmap.Cell(8192, 0.8, 128, 2048, "", false, false, Double.NaN, "✗", false)), "");

        String svg = validSvgAndPng("narrow");
        double width = Double.parseDouble(svg.replaceAll("(?s).*?<svg[^>]*?width='([\\d.]+)'.*", "$1"));
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        int titleWidth = scratch.createGraphics().getFontMetrics(ChartStyle.TITLE.deriveFont(15f)).stringWidth(title);
        assertThat(width).isGreaterThan(titleWidth + 16);
        assertThat(svg).contains(title, "Max concurrency (full-length requests)");
    }

    /** Asserts both files are valid and non-empty; returns the SVG text. */
    private static String validSvgAndPng(String stem) throws Exception {
        BufferedImage png = ImageIO.read(out.resolve(stem + ".png").toFile());
        assertThat(png).isNotNull();
        assertThat(png.getWidth()).isGreaterThan(500);
        assertThat(png.getHeight()).isGreaterThan(200);
        assertThat(distinctColours(png)).isGreaterThan(4);
        Path svg = out.resolve(stem + ".svg");
        assertThat(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile())
                .getDocumentElement().getTagName()).isEqualTo("svg");
        return Files.readString(svg);
    }

    private static long distinctColours(BufferedImage png) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < png.getHeight(); y += 7) for (int x = 0; x < png.getWidth(); x += 7) seen.add(png.getRGB(x, y));
        return seen.size();
    }
}
