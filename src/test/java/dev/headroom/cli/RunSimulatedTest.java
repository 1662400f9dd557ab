package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.results.RequestLog;
import dev.headroom.results.RunYaml;
import dev.headroom.results.SummaryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code headroom run} against simulated targets: the embedded server (no --url) and --offline. */
class RunSimulatedTest {

    private static double number(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).doubleValue();
    }

    @Test
    void withoutUrlTheEmbeddedSimulatorIsTheTargetAndTheRunSaysSo(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.headroom("run", "--workload", "random", "--input-tokens", "64", "--output-tokens", "24",
                "--concurrency", "4", "--requests", "12", "--out", dir.toString(), "--no-progress");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("target: embedded simulator").contains("Tesla T4").contains("max_model_len=32768");
        Map<String, Object> summary = SummaryJson.read(dir.resolve("summary.json"));
        assertThat(number(summary, "completed")).isEqualTo(12);
        assertThat(number(summary, "total_output_tokens")).isEqualTo(12 * 24);
        assertThat(number(summary, "total_input_tokens")).isEqualTo(12 * 64);
        assertThat(summary).containsEntry("tokenizer", "server").containsEntry("client_cpu_includes_embedded_server", true);
        Map<String, Object> run = RunYaml.read(dir.resolve("run.yaml"));
        assertThat(run.get("simulated_target").toString()).contains("kind=embedded simulator")
                .contains("max_num_seqs=256").contains("gpu_memory_utilization=0.9").contains("max_num_batched_tokens=2048");
        assertThat(Files.readString(dir.resolve("server.log"))).contains("GPU KV cache size:")
                .contains("Starting vLLM API server");
    }

    @Test
    void offlinePredictsTheSameFilesOnAVirtualClock(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.headroom("run", "--offline", "--workload", "random", "--input-tokens", "64", "--output-tokens", "24",
                "--concurrency", "4", "--requests", "40", "--warmup", "2", "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Serving Benchmark Result").contains("Successful requests:                     40");
        Map<String, Object> summary = SummaryJson.read(dir.resolve("summary.json"));
        assertThat(number(summary, "completed")).isEqualTo(40);
        assertThat(number(summary, "total_output_tokens")).isEqualTo(40 * 24);
        assertThat(number(summary, "median_tpot_ms")).isPositive();
        assertThat(summary).containsEntry("predicted", true).containsKey("server_preemptions");
        assertThat(RequestLog.read(dir.resolve("requests.jsonl"))).hasSize(40);
        assertThat(RunYaml.read(dir.resolve("run.yaml")).get("simulated_target").toString()).contains("offline simulation");
    }

    @Test
    void offlineAndEmbeddedAgreeOnDecodeSpeed(@TempDir Path dir) throws IOException {
        String[] load = {"--workload", "random", "--input-tokens", "128", "--output-tokens", "64", "--concurrency", "8",
                "--requests", "24", "--no-progress"};
        CliRun live = CliRun.headroom(concat(new String[] {"run", "--out", dir.resolve("live").toString()}, load));
        CliRun offline = CliRun.headroom(concat(new String[] {"run", "--offline", "--out", dir.resolve("offline").toString()}, load));
        assertThat(live.exit()).as(live.err()).isZero();
        assertThat(offline.exit()).as(offline.err()).isZero();
        // Same engine and cost model. The embedded server reports each request's decode as its engine kept it, on the
        // engine's step clock (vLLM's per-request metrics): that must agree with offline. The client's own TPOT adds
        // delivery delays, which a loaded machine lengthens; RunCommandTest pins the client against a known schedule.
        double[] engineTpot = RequestLog.read(dir.resolve("live/requests.jsonl")).stream()
                .mapToDouble(rec -> rec.engine().meanItlMs()).sorted().toArray();
        assertThat(engineTpot).hasSize(24);
        double liveTpot = (engineTpot[11] + engineTpot[12]) / 2;
        double offlineTpot = number(SummaryJson.read(dir.resolve("offline/summary.json")), "median_tpot_ms");
        assertThat(liveTpot).isCloseTo(offlineTpot, org.assertj.core.data.Percentage.withPercentage(15));
    }

    @Test
    void aSetupVllmWouldRefuseIsVllmsErrorAndExitOne(@TempDir Path dir) {
        CliRun r = CliRun.headroom("run", "--offline", "--model", "qwen2.5-7b-instruct", "--gpu", "t4", "--requests", "4",
                "--out", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("headroom: vLLM would not start this setup: ");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
