package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertThat(r.out()).contains("[23/23] The serving playbook", chat.path("verdict").asText());
        String playbook = Files.readString(out.resolve("playbook/playbook.md"));
        int best = chat.path("best").path("concurrency").asInt();
        assertThat(best).isPositive();
        assertThat(playbook).contains("| Chat | A100 40 GB | c=" + best + " |")
                .doesNotContain("[X]", "TBD", "NaN");
        assertThat(playbook).as("the lab's tuning items, each answered").contains("### Chunked prefill: the per-step token budget",
                        "### Prefix caching", "### OOM surface under load", "### Preemption remedies on the worst cell",
                        "### One GPU against another")
                .doesNotContain("Not swept in this study:");
        assertThat(Files.readString(out.resolve("sweeps/oom-surface-t4/configs.csv"))).contains("failed_to_start");
    }
}
