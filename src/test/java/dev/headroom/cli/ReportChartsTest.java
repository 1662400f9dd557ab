package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.report.SvgText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The charts of a report on two simulated sweeps (as the demo's predicted ones) keep their text apart and inside. */
class ReportChartsTest {

    @Test
    void everyChartOfAReportOnOfflineSweepsHasNoOverlappingOrClippedText(@TempDir Path tmp) throws Exception {
        Path chat = tmp.resolve("chat-t4");
        Path batch = tmp.resolve("batch-t4");
        CliRun c = CliRun.headroom("sweep", "--offline", "--workload", "chat", "--output-tokens", "96", "--concurrency",
                "1..32x2", "--requests", "60", "--gpu", "t4", "--gpu-memory-utilization", "0.8", "--max-model-len", "4096",
                "--max-num-seqs", "128", "--no-progress", "--out", chat.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        CliRun b = CliRun.headroom("sweep", "--offline", "--workload", "summarize", "--output-tokens", "256",
                "--concurrency", "1..32x2", "--requests", "60", "--no-early-stop", "--gpu", "t4",
                "--gpu-memory-utilization", "0.85", "--max-model-len", "8192", "--max-num-seqs", "256", "--no-progress",
                "--out", batch.toString());
        assertThat(b.exit()).as(b.err()).isZero();
        Path out = tmp.resolve("report");
        CliRun r = CliRun.headroom("report", chat.toString(), batch.toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();

        List<String> problems = new ArrayList<>();
        List<Path> svgs;
        try (Stream<Path> files = Files.list(out)) {
            svgs = files.filter(f -> f.toString().endsWith(".svg")).sorted().toList();
        }
        for (Path svg : svgs) problems.addAll(SvgText.problems(svg));
        assertThat(svgs).anyMatch(f -> f.getFileName().toString().startsWith("timeline-"))
                .anyMatch(f -> f.getFileName().toString().startsWith("kv-"));
        Path timeline = svgs.stream().filter(f -> f.getFileName().toString().startsWith("timeline-")).findFirst().orElseThrow();
        assertThat(Files.readString(timeline)).as("a timeline of three panels").contains("KV cache usage");
        assertThat(problems).isEmpty();
    }
}
