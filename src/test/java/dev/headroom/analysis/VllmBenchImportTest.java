package dev.headroom.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.metrics.Slo;
import dev.headroom.results.Point;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** analyze reads vllm bench serve's --save-result files: a sweep someone already ran with vLLM's own client. */
class VllmBenchImportTest {

    /**
     * A result as vllm/benchmarks/serve.py saves it with default options: traffic keys, then the benchmark result
     * (percentile metrics ttft, tpot, itl at p99 only; no e2el; "failed" left out where {@code withFailed} is false).
     */
    static String result(int concurrency, double throughput, double p99TtftMs, int completed, boolean withFailed) {
        return String.format(Locale.ROOT, """
                {"date": "20261129-101500", "endpoint_type": "openai-chat", "label": null,
                 "model_id": "Qwen/Qwen2.5-1.5B-Instruct", "tokenizer_id": "Qwen/Qwen2.5-1.5B-Instruct",
                 "num_prompts": 200, "request_rate": "inf", "burstiness": 1.0, "max_concurrency": %d,
                 "duration": 41.5, "completed": %d, %s"total_input_tokens": 51200, "total_output_tokens": 25600,
                 "request_throughput": 4.8, "request_goodput": null, "output_throughput": %.1f,
                 "total_token_throughput": 1850.0, "max_output_tokens_per_s": 700.0, "max_concurrent_requests": %d,
                 "mean_ttft_ms": 40.0, "median_ttft_ms": 38.0, "std_ttft_ms": 5.0, "p99_ttft_ms": %.1f,
                 "mean_tpot_ms": 12.0, "median_tpot_ms": 11.8, "std_tpot_ms": 1.0, "p99_tpot_ms": 15.0,
                 "mean_itl_ms": 12.0, "median_itl_ms": 11.5, "std_itl_ms": 2.0, "p99_itl_ms": 30.0}
                """, concurrency, completed, withFailed ? "\"failed\": " + (200 - completed) + ", " : "", throughput, concurrency,
                p99TtftMs);
    }

    private static Path sweep(Path dir) throws IOException {
        // vllm bench sweep nests its runs; the files' names are theirs.
        Files.createDirectories(dir.resolve("c1"));
        Files.createDirectories(dir.resolve("c8"));
        Files.createDirectories(dir.resolve("c32"));
        Files.writeString(dir.resolve("c1/run=0.json"), result(1, 100, 60, 200, true));
        Files.writeString(dir.resolve("c8/run=0.json"), result(8, 700, 180, 200, false));
        Files.writeString(dir.resolve("c32/run=0.json"), result(32, 1100, 900, 196, false));
        Files.writeString(dir.resolve("c32/notes.json"), "{\"not\": \"a result\"}");
        return dir;
    }

    @Test
    void aFolderOfVllmResultsIsAConcurrencySweep(@TempDir Path tmp) throws IOException {
        Inputs in = Inputs.load(List.of(sweep(tmp.resolve("vllm"))));
        assertThat(in.points()).hasSize(3);
        assertThat(in.points()).extracting(Point::concurrency).containsExactlyInAnyOrder(1, 8, 32);
        Point c32 = in.points().stream().filter(p -> p.concurrency() == 32).findFirst().orElseThrow();
        assertThat(c32.workload()).isEqualTo("vllm-bench");
        assertThat(c32.model()).isEqualTo("Qwen/Qwen2.5-1.5B-Instruct");
        assertThat(c32.rate()).isNull();
        assertThat(c32.value("failed")).as("num_prompts - completed where vLLM left no count").isEqualTo(4.0);
        assertThat(c32.errorRate()).isEqualTo(0.02);
    }

    @Test
    void anSloOnWhatVllmKeptFindsTheBestPointAndTheKnee(@TempDir Path tmp) throws IOException {
        Analysis a = Analysis.of(Inputs.load(List.of(sweep(tmp.resolve("vllm")))), Slo.parse("p99_ttft=500ms"), 0.05);
        GroupResult g = a.groups().get(0);
        assertThat(g.best().load()).isEqualTo(8.0);
        assertThat(g.verdict()).startsWith("Serve vllm-bench at concurrency 8");
    }

    @Test
    void theDefaultSloNamesWhatTheFilesHoldInstead(@TempDir Path tmp) throws IOException {
        // vLLM keeps p99 of ttft, tpot and itl by default, and no e2el: the playbook's p95 E2E cannot be judged.
        assertThatThrownBy(() -> Analysis.of(Inputs.load(List.of(sweep(tmp.resolve("vllm")))), null, 0.01))
                .hasMessageContaining("the results hold no p95_e2el_ms (nor any other e2el_ms")
                .hasMessageContaining("--slo p99_ttft=2000ms");
    }

    @Test
    void aSingleFileIsOneRunAndAnythingElseIsRefusedByName(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("openai-chat-infqps-concurrency8-Qwen2.5-1.5B-Instruct-20261129-101500.json");
        Files.writeString(file, result(8, 700, 180, 200, true));
        assertThat(Inputs.load(List.of(file)).points()).singleElement().satisfies(p -> assertThat(p.concurrency()).isEqualTo(8));
        Path other = tmp.resolve("other.json");
        Files.writeString(other, "{\"completed\": 3}");
        assertThatThrownBy(() -> Inputs.load(List.of(other))).hasMessageContaining(other + " is not a results file headroom reads");
        assertThatThrownBy(() -> Inputs.load(List.of(Files.createDirectories(tmp.resolve("empty")))))
                .hasMessageContaining("nor another tool's results files (vllm bench serve --save-result JSON");
    }
}
