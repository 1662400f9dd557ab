package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A warning every point of a sweep gives (here: the server has no /tokenize, so prompts are counted with cl100k_base) is printed once, not once per point. */
class SweepWarningsTest {

    @Test
    void theSameWarningFromEveryPointIsPrintedOnce(@TempDir Path dir) throws IOException {
        try (SweepFlakyAndAnalyzeTest.FlakyServer server = SweepFlakyAndAnalyzeTest.FlakyServer.start()) {
            CliRun r = CliRun.headroom("sweep", "--url", server.baseUrl(), "--workload", "random", "--input-tokens", "8",
                    "--output-tokens", "4", "--concurrency", "1,2,4", "--requests", "4", "--request-timeout", "300ms", "--out", dir.toString());

            assertThat(r.exit()).as(r.err()).isZero();
            List<String> warnings = r.err().lines().filter(l -> l.startsWith("headroom: warning: ")).toList();
            List<String> tokenizer = warnings.stream().filter(l -> l.contains("tokeniz")).toList();
            assertThat(tokenizer).as(r.err()).hasSize(1);
            assertThat(warnings).doesNotHaveDuplicates();
        }
    }
}
