package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole study end to end on the embedded simulator, with short measured points. */
class DemoCommandTest {

    @Test
    void theDemoWritesEveryArtifactAndItsPlaybookHoldsTheSweepsOwnNumbers(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("demo");
        CliRun r = CliRun.headroom("demo", "--out", out.toString(), "--point-duration", "1s");
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        for (String f : new String[] {"playbook/playbook.html", "playbook/playbook.md", "report/report.html", "report/report.md",
                "sweeps/chat-t4/capacity.csv", "sweeps/oom-surface-t4/configs.csv", "comparison/analysis.json", "demo.log"}) {
            assertThat(out.resolve(f)).as(f).isNotEmptyFile();
        }
        JsonNode chat = new ObjectMapper().readTree(out.resolve("sweeps/chat-a100/analysis.json").toFile());
        assertThat(r.out()).contains("[25/25] The serving playbook", chat.path("verdict").asText());
        // The T4 chat's recommended load was run 3 more times and analyzed with chat-t4: 4 runs, one interval.
        JsonNode t4 = new ObjectMapper().readTree(out.resolve("sweeps/chat-t4/analysis.json").toFile());
        List<String> repeated = Files.readAllLines(out.resolve("sweeps/chat-t4-repeat/capacity.csv"));
        assertThat(repeated).hasSize(4);
        int recommended = Integer.parseInt(repeated.get(1).split(",")[2]);
        JsonNode atRecommended = null;
        for (JsonNode p : t4.path("groups").path(0).path("points")) {
            if (p.path("concurrency").asInt() == recommended) atRecommended = p;
        }
        assertThat(atRecommended).isNotNull();
        assertThat(atRecommended.path("repeats").asInt()).isEqualTo(4);
        String report = Files.readString(out.resolve("report/report.md"));
        assertThat(report).doesNotContain("chat-t4-repeat` was not analyzed");
        // With its 4 runs the repeated load may no longer pass (or a loaded machine may leave no load delivered);
        // when it is still the best, the report gives its interval.
        if (t4.path("best").path("concurrency").asInt() == recommended) assertThat(report).contains("over 4 runs (95% confidence)");
        String playbook = Files.readString(out.resolve("playbook/playbook.md"));
        // The recommended load, not `best`: a predicted load is served only where its whole error range meets the SLO.
        int served = chat.path("recommendation").path("concurrency").asInt();
        assertThat(served).isPositive();
        assertThat(playbook).contains("| Chat | A100 40 GB | c=" + served + " |")
                .doesNotContain("[X]", "TBD", "NaN");
        assertThat(playbook).as("the lab's tuning items, each answered").contains("### Chunked prefill: the per-step token budget",
                        "### Prefix caching", "### OOM surface under load", "### Preemption remedies on the worst cell",
                        "### One GPU against another")
                .doesNotContain("Not swept in this study:");
        assertThat(Files.readString(out.resolve("sweeps/oom-surface-t4/configs.csv"))).contains("failed_to_start");
        JsonNode batch = new ObjectMapper().readTree(out.resolve("sweeps/batch-t4/analysis.json").toFile()).path("recommendation");
        assertThat(batch.path("objective").asText()).isEqualTo("throughput");
        String batchServed = "c=" + batch.path("concurrency").asInt();
        assertThat(playbook).as("the batch recipe serves where its own trade-off table is cheapest")
                .contains("| Batch summarization | T4 16 GB | " + batchServed + " |", "| " + batchServed + " **(recommended)** |",
                        "is shown, not applied", "Thresholds: serve at " + batchServed + ";")
                .doesNotContain("Beyond");
    }
}
