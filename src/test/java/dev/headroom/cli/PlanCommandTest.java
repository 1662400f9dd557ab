package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.spec.Gpu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {

    @Test
    void printsVllmsLinesAndTheExplanation() {
        CliRun r = CliRun.headroom("plan", "--model", "llama-3.1-8b-instruct", "--gpu", "h100", "--max-model-len", "32768");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Model loading took 14.9888 GiB", "GPU KV cache size: ",
                "Maximum concurrency for 32,768 tokens per request: ", "V1 engine", "KV cache holds ");
    }

    /** The --gpu help names every catalog GPU (the A100 80GB PCIe once was in the catalog but not in the help). */
    @Test
    void theGpuHelpNamesEveryCatalogGpu() {
        CliRun r = CliRun.headroom("plan", "--help");
        assertThat(r.exit()).isZero();
        String help = r.out().replaceAll("\\s+", " ");
        for (Gpu gpu : Gpu.values()) {
            assertThat(help).as(gpu.id()).containsPattern("[ ,]" + Pattern.quote(gpu.id()) + "[,.]");
        }
    }

    @Test
    void jsonFromAConfigPathWithMemoryOverride() throws IOException {
        Path config = Path.of("src/main/resources/dev/headroom/spec/models/qwen2.5-1.5b-instruct.json");
        CliRun r = CliRun.headroom("plan", "--model", config.toString(), "--gpu-memory-gib", "14.75", "--gpu-memory-utilization", "0.8",
                "--max-model-len", "4096", "--json");
        assertThat(r.exit()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.fieldNames()).toIterable().startsWith("weights_gib", "activation_peak_gib", "non_torch_gib",
                "cuda_graph_gib", "kv_cache_gib", "num_gpu_blocks", "kv_cache_tokens", "max_concurrency", "fits", "error");
        assertThat(j.get("fits").asBoolean()).isTrue();
        assertThat(j.get("error").isNull()).isTrue();
        assertThat(j.get("kv_cache_tokens").asLong()).isEqualTo(j.get("num_gpu_blocks").asLong() * 16);
        assertThat(j.get("config").get("gpu").asText()).as("14.75 GiB is a T4").isEqualTo("t4");
        assertThat(j.get("config").get("dtype").asText()).isEqualTo("float16");
    }

    @Test
    void refusalExitsOneAndStillGivesTheKvFigures() throws IOException {
        CliRun r = CliRun.headroom("plan", "--model", "llama-3.1-8b-instruct", "--gpu", "l4", "--json");
        assertThat(r.exit()).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("fits").asBoolean()).isFalse();
        assertThat(j.get("error").asText()).startsWith("To serve at least one request with the models's max seq len (131072)");
        assertThat(j.get("num_gpu_blocks").asLong()).isPositive();
        CliRun text = CliRun.headroom("plan", "--model", "llama-3.1-8b-instruct", "--gpu", "l4");
        assertThat(text.exit()).isEqualTo(1);
        assertThat(text.out()).contains("ValueError: To serve at least one request");
    }

    @Test
    void yamlConfigAndCommandLineCombine(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("serve.yaml");
        Files.writeString(yaml, "model: qwen2.5-0.5b-instruct\nmax_model_len: 2048\ngpu-memory-utilization: 0.5\n");
        CliRun r = CliRun.headroom("plan", "--config", yaml.toString(), "--gpu", "l4", "--max-model-len", "4096", "--json");
        assertThat(r.exit()).isZero();
        JsonNode config = new ObjectMapper().readTree(r.out()).get("config");
        assertThat(config.get("max_model_len").asInt()).isEqualTo(4096);
        assertThat(config.get("gpu_memory_utilization").asDouble()).isEqualTo(0.5);
        assertThat(config.get("model").asText()).isEqualTo("qwen2.5-0.5b-instruct");
    }

    @Test
    void badInputIsOneLineAndExitTwo(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "model: qwen2.5-0.5b-instruct\nmax-num-seq: 3\n");
        for (List<String> args : List.of(
                List.of("plan", "--model", "qwen2.5-0.5b-instruct", "--gpu", "v100"),
                List.of("plan", "--model", "no-such-model"),
                List.of("plan", "--config", yaml.toString()),
                List.of("plan", "--model", "qwen2.5-0.5b-instruct", "--gpu-memory-utilization", "1.2"),
                List.of("plan", "--model", "qwen2.5-0.5b-instruct", "--max-model-len", "4096,8192"),
                List.of("plan", "--model", "qwen2.5-0.5b-instruct", "--vllm-version", "next"))) {
            CliRun r = CliRun.headroom(args.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().lines()).as(String.join(" ", args)).hasSize(1);
            assertThat(r.err()).startsWith("headroom: --");
        }
    }

    @Test
    void surfaceWritesCsvAndHeatmaps(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.headroom("plan", "--surface", "--model", "qwen2.5-7b-instruct", "--gpu", "l4", "--max-model-len", "4096,32768",
                "--max-num-seqs", "64,256", "--gpu-memory-utilization", "0.7,0.9", "--out", dir.toString());
        assertThat(r.exit()).isZero();
        List<String> csv = Files.readAllLines(dir.resolve("surface.csv"));
        assertThat(csv).hasSize(1 + 8);
        assertThat(csv.get(0)).startsWith("max_model_len,max_num_seqs,gpu_memory_utilization,max_num_batched_tokens,starts");
        assertThat(csv).anyMatch(l -> l.contains(",false,max len over KV capacity,"));
        assertThat(Files.size(dir.resolve("surface.png"))).isPositive();
        assertThat(Files.readString(dir.resolve("surface.svg"))).contains("<svg").contains("running-request limit 64");
        assertThat(r.out()).contains("max len over KV capacity");
    }

    @Test
    void quantizationFp8IsAcceptedUnderVllmsName() {
        CliRun r = CliRun.headroom("plan", "--model", "llama-3.1-8b-instruct", "--gpu", "l4", "--max-model-len", "8192",
                "--quantization", "fp8", "--vllm-version", "0.21.0");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Model loading took 8.", "CUDA graphs");
        CliRun bad = CliRun.headroom("plan", "--model", "llama-3.1-8b-instruct", "--quantization", "int3");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--quantization").contains("int3");
    }

    @Test
    void fromLogPrintsTheLogAgainstThePlannerThenTheOtherConfiguration() {
        String log = "src/test/resources/dev/headroom/plan/logs/v1-0.15.1-llama8b-a100-eager.log";
        CliRun r = CliRun.headroom("plan", "--from-log", log, "--gpu", "a100-40gb", "--max-model-len", "32768");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("From log: vLLM 0.15.1", "weights", "19.28", "157,936",
                "the log's own tokens are reproduced", "Planned from the measured terms:",
                "Maximum concurrency for 32,768 tokens per request: 4.82x");
        CliRun noGpu = CliRun.headroom("plan", "--from-log", log);
        assertThat(noGpu.exit()).isEqualTo(2);
        assertThat(noGpu.err()).contains("--gpu");
    }

    @Test
    void simulatedTargetsTakeTheLoggedKvCapacity() {
        SimCommand sim = new SimCommand();
        new picocli.CommandLine(sim).parseArgs("--from-log",
                "src/test/resources/dev/headroom/plan/logs/v1-0.28.0-qwen05b-l4-mrv2.log", "--gpu", "l4");
        assertThat(dev.headroom.plan.Planner.plan(sim.serve.resolve(null)).kvCacheTokens()).isEqualTo(1_733_440);
    }
}
