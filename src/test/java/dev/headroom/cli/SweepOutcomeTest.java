package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit codes tell the truth: a sweep whose every server config failed to start exits non-zero; one where some did
 * exits 0 but says so in its last line and in sweep.json's outcome.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SweepOutcomeTest {

    /** llama-3.2-3b on a T4 at 60% of its memory: 4096 tokens fit, 32768 do not (vLLM's KV-cache check). */
    private static final String[] LLAMA_T4 = {"--model", "llama-3.2-3b-instruct", "--gpu", "t4", "--workload",
            "random", "--input-tokens", "32", "--output-tokens", "8", "--requests", "4", "--concurrency", "1"};

    @TempDir
    Path tmp;

    @Test
    void aSweepWhoseEveryConfigFailedToStartExitsNonZeroSayingSo() throws IOException {
        Path out = tmp.resolve("none");
        CliRun r = SweepConfigsTest.sweep(out, LLAMA_T4, new String[] {"--serve-grid",
                "gpu_memory_utilization=0.6;max_model_len=32768"});

        assertThat(r.exit()).as(r.err()).isEqualTo(Errors.FAILURE);
        assertThat(r.err().strip().lines().toList().getLast()).isEqualTo("headroom: no point ran; 1 of 1 server "
                + "config(s) failed to start or died under load (configs.csv says why)");
        assertThat(outcome(out)).isEqualTo(
                "{\"complete\":false,\"points_ok\":0,\"points_failed\":0,\"tool_errors\":0,\"server_errors\":0,\"configs_failed\":1}");
    }

    @Test
    void aPartialSweepExitsZeroAndSaysWhatIsMissing() throws IOException {
        Path out = tmp.resolve("partial");
        CliRun r = SweepConfigsTest.sweep(out, LLAMA_T4, new String[] {"--serve-grid",
                "gpu_memory_utilization=0.6;max_model_len=4096,32768"});

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err().strip().lines().toList().getLast()).isEqualTo("headroom: 1 of 2 server config(s) failed to "
                + "start or died under load (configs.csv says why)");
        assertThat(outcome(out)).isEqualTo(
                "{\"complete\":false,\"points_ok\":1,\"points_failed\":0,\"tool_errors\":0,\"server_errors\":0,\"configs_failed\":1}");
    }

    private static String outcome(Path sweep) throws IOException {
        JsonNode json = new ObjectMapper().readTree(sweep.resolve("sweep.json").toFile());
        return json.get("outcome").toString();
    }
}
