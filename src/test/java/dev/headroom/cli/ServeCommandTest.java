package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code headroom serve}: the exact command on --dry-run, and one-line errors. */
class ServeCommandTest {

    static final String CHAT = "configs/vllm/qwen2p5_1p5b_chat_16gb.yaml";

    @TempDir
    Path out;

    @Test
    void dryRunPrintsVllmsCommandOnTheShippedRecipeAndStartsNothing() {
        CliRun run = CliRun.headroom("serve", CHAT, "--dry-run", "--port", "8123", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("vllm serve --config " + CHAT + " --host 127.0.0.1 --port 8123");
        assertThat(out).isEmptyDirectory();
    }

    @Test
    void dryRunTranslatesTheRecipeForLlamaServerAndSglang() throws Exception {
        CliRun llama = CliRun.headroom("serve", CHAT, "--dry-run", "--server", "llama-server", "--port", "8124",
                "--out", out.toString());
        assertThat(llama.out().strip()).isEqualTo("llama-server --host 127.0.0.1 --port 8124 --metrics "
                + "-m Qwen/Qwen2.5-1.5B-Instruct --ctx-size 524288 --parallel 128 --batch-size 2048");
        CliRun sglang = CliRun.headroom("serve", CHAT, "--dry-run", "--server", "sglang", "--port", "8125",
                "--out", out.toString());
        Path yaml = out.resolve("sglang.yaml");
        assertThat(sglang.out().strip()).isEqualTo("python3 -m sglang.launch_server --config " + yaml
                + " --host 127.0.0.1 --port 8125");
        assertThat(Files.readString(yaml)).contains("model-path: Qwen/Qwen2.5-1.5B-Instruct", "mem-fraction-static: 0.8",
                "context-length: 4096", "max-running-requests: 128", "chunked-prefill-size: 2048", "enable-metrics: true");
    }

    @Test
    void aTemplateGetsTheConfigFileAndPort() {
        CliRun run = CliRun.headroom("serve", CHAT, "--dry-run", "--server", "./headroom sim --config {config} --port {port}",
                "--port", "8126", "--out", out.toString());
        assertThat(run.out().strip()).isEqualTo("./headroom sim --config " + CHAT + " --port 8126");
    }

    @Test
    void badServerAndMissingFileAreOneLine() {
        CliRun bad = CliRun.headroom("serve", CHAT, "--server", "tgi", "--dry-run");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).startsWith("headroom: --server: 'tgi' is not one of sim, vllm, llama-server, sglang")
                .doesNotContain("\n");
        CliRun missing = CliRun.headroom("serve", "nope.yaml", "--dry-run");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("headroom: serve: file 'nope.yaml' not found");
    }
}
