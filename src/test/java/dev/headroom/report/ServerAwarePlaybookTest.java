package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat sweep as llama.cpp's llama-server on a CPU would record it: the playbook speaks llama-server's terms. */
class ServerAwarePlaybookTest {

    @TempDir
    static Path tmp;
    static String md;

    @BeforeAll
    static void playbook() throws IOException {
        Path dir = SweepFixtures.chatMeasured(tmp.resolve("in/chat-cpu"));
        for (String file : List.of("capacity.csv", "configs.csv", "analysis.json")) {
            Path f = dir.resolve(file);
            Files.writeString(f, Files.readString(f).replace("Tesla T4", "cpu"));
        }
        Path run = dir.resolve("points/default/chat-c16/run.yaml");
        // llama-server answers with "Server: llama.cpp" (tools/server/server-http.cpp).
        Files.writeString(run, Files.readString(run) + "server:\n  base_url: http://127.0.0.1:8091\n  model: tiny\n"
                + "  server_header: llama.cpp\n  version: null\n");
        md = Files.readString(PlaybookWriter.write(Study.of(List.of(SweepResults.read(dir))), tmp.resolve("out")).markdown());
    }

    @Test
    void theRecipeIsALlamaServerLineWithItsSlotsAndTotalContext() {
        assertThat(md).contains("llama-server reads no config file", "llama-server -m MODEL.gguf", "-c 524288",
                "--parallel 128", "--metrics").doesNotContain("vllm serve", "-ngl 99");
    }

    @Test
    void aServerHeadroomStartedIsGivenAsItRanWithoutItsHostAndPort() throws IOException {
        Path dir = SweepFixtures.chatMeasured(tmp.resolve("in/chat-cpu-started"));
        Path configs = dir.resolve("configs.csv");
        List<String> lines = Files.readAllLines(configs);
        Files.writeString(configs, lines.get(0) + ",command\n" + lines.get(1) + ",llama-server --host 127.0.0.1 --port 41681 "
                + "--metrics -m /models/tiny.gguf --parallel 4 --ctx-size 16384 --cache-ram 0 --threads 1\n");
        Path run = dir.resolve("points/default/chat-c16/run.yaml");
        Files.writeString(run, Files.readString(run) + "server:\n  base_url: http://127.0.0.1:41681\n  model: tiny\n"
                + "  server_header: llama.cpp\n  version: null\n");
        String started = Files.readString(PlaybookWriter.write(Study.of(List.of(SweepResults.read(dir))),
                tmp.resolve("out-started")).markdown());
        assertThat(started).contains("llama-server \\\n  --metrics \\\n  -m /models/tiny.gguf", "--threads 1", "--cache-ram 0")
                .doesNotContain("--port 41681", "--host 127.0.0.1", "-c 524288");
    }

    @Test
    void knobsAndChecklistAreLlamaServersAndAMetricItLacksIsNotMeasured() {
        assertThat(md).contains("### Slots (`--parallel`) and context (`-c`)",
                "Preemptions: not measured (the server has no such counter)", "`--cache-ram 0`")
                .doesNotContain("vllm:num_preemptions_total`, or the V0 log warning", "max_num_batched_tokens` is the token budget");
    }

    @Test
    void aCpuServerGetsNoGpuAdviceAndTheTitleNamesNoVllm() {
        assertThat(md).startsWith("# Serving Recipes").doesNotContain("nvidia-smi", "vLLM Single-GPU");
        assertThat(md).contains("Monitor the server's resident memory");
    }
}
