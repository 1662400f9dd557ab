package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookWriterTest {

    @TempDir
    static Path tmp;
    static String md;
    static String html;

    @BeforeAll
    static void playbook() throws IOException {
        List<SweepResults> sweeps = new ArrayList<>();
        for (Path dir : SweepFixtures.all(tmp.resolve("in"))) sweeps.add(SweepResults.read(dir));
        PlaybookWriter.Written w = PlaybookWriter.write(Study.of(sweeps), tmp.resolve("out"));
        md = Files.readString(w.markdown());
        html = Files.readString(w.html());
        assertThat(w.recipes()).isEqualTo(2);
    }

    @Test
    void quickReferenceHoldsBestConcurrencyThroughputAndP95PerWorkloadAndGpu() {
        assertThat(md).contains("## Quick reference",
                "| Chat | T4 16 GB | c=16 | 1,180 tok/s | 1,810 ms E2E, 210 ms TTFT | p95 E2E latency ≤ 2,500 ms | measured |",
                "| Batch summarization | A100 40 GB | c=16 | 2,451 tok/s | 3,800 ms E2E, 465 ms TTFT | p95 E2E latency ≤ 5,000 ms | predicted |");
    }

    @Test
    void oneRecipePerWorkloadAndGpuWithTheExactServeConfig() {
        assertThat(md).contains("## Recipe 1: Chat on T4 16 GB", "## Recipe 2: Batch summarization on A100 40 GB",
                "model: Qwen/Qwen2.5-1.5B-Instruct", "gpu-memory-utilization: 0.8", "max-model-len: 4096",
                "max-num-batched-tokens: 2048", "enable-prefix-caching: true",
                "vllm serve Qwen/Qwen2.5-1.5B-Instruct \\\n  --gpu-memory-utilization 0.8 \\\n  --max-model-len 4096",
                "0.95 failed to start on this GPU (out of GPU memory, config `util095`)",
                "77.3 full-length requests fit in the KV cache; at 32768: 9.66 fit",
                "above the recommended concurrency (16), so it does not cap the batch; peak running on the server at c=16: 16",
                "the highest load within the SLO: 1,180 tok/s, p95 E2E 1,810 ms (the objective below says why)",
                "**Thresholds**: serve at c=16; the knee is at c=32; the limit is KV-cache capacity from c=32.",
                "predicted by headroom's simulator of vLLM (sweep `batch-a100`), not measured on a GPU");
    }

    @Test
    void pitfallsCarryTheUsersNumbers() {
        assertThat(md).contains("context-length limit 4,096 and 32,768 gave KV caches of 316,688 and 316,688 tokens (no load ran on both)",
                "c=1 gives 98.4 tok/s, 7.5% of the 1,320 tok/s at c=32 (13.4× more at the peak); c=2 gives 191 tok/s",
                "Config `util095` (T4 16 GB, 0.95, context-length limit 4096): failed to start. The GPU ran out of memory while the server started",
                "planner predicted a start; the server ran out of memory");
    }

    @Test
    void knobsShowMeasuredEffectsWhereSweptAndSayNotSweptOtherwise() {
        assertThat(md).contains("**chat · T4 16 GB, measured, sweep `chat-t4`**: This study found no difference: at c=16, p99 ITL was "
                        + "31.0 ms with 2,048 against 32.2 ms with 8,192.", "| 2,048 | c=16 | 1,180 tok/s |", "| 8,192 | c=16 | 1,196 tok/s |",
                "chat · T4 16 GB (measured): first preemptions at c=32 (37, KV cache peak 99%)",
                "Not swept in this study: prefix caching on against off", "## OOM debugging checklist", "`nvidia-smi -l 1`")
                .doesNotContain("its effect on TTFT and throughput: not swept");
    }

    @Test
    void saysWhichNumbersWereMeasuredAndWhichPredicted() {
        assertThat(md).contains("## Provenance", "| chat · T4 16 GB (predicted) | `chat-t4-predicted` | headroom's simulator of vLLM on a virtual clock | `default` (",
                "| chat · T4 16 GB (measured) | `chat-t4` | server at http://127.0.0.1:8000 | `default` (");
    }

    @Test
    void endsWithAQuizAndItsAnswers() {
        int quiz = md.indexOf("## Quiz\n");
        int answers = md.indexOf("## Quiz answers");
        assertThat(quiz).isPositive().isLessThan(answers);
        assertThat(md.substring(answers)).contains("c=16: 1,180 tok/s at p95 E2E 1,810 ms (measured).",
                "+6.3%: predicted 1,403 tok/s against 1,320 tok/s measured.", "KV-cache capacity");
        assertThat(md.substring(quiz, answers)).doesNotContain("1,180 tok/s");
    }

    @Test
    void noPlaceholdersInEitherFile() {
        Placeholders.assertNone(md);
        Placeholders.assertNone(html);
        assertThat(html).contains("<h2 id=\"s1\">Executive summary</h2>", "<h2 id=\"s2\">Quick reference</h2>").doesNotContain("<script");
    }

    @Test
    void eachRecipeGivesTheKvFitOfItsOwnSweepWhenTwoSweepsOnOneGpuShareAConfigName() throws IOException {
        // Both sweeps name their config "default": the batch recipe must not borrow the chat sweep's 77.3 at 4096.
        Path chat = SweepFixtures.chatMeasured(tmp.resolve("same-gpu/chat"));
        Path batch = SweepFixtures.batchPredicted(tmp.resolve("same-gpu/batch"), "Tesla T4", 318688, 38.9);
        PlaybookWriter.Written w = PlaybookWriter.write(Study.of(List.of(SweepResults.read(chat), SweepResults.read(batch))),
                tmp.resolve("same-gpu/out"));
        String playbook = Files.readString(w.markdown());
        assertThat(playbook).contains("## Recipe 2: Batch summarization on T4 16 GB", "| context-length limit | 8192 | 38.9 full-length requests fit",
                "| context-length limit | 4096 | 77.3 full-length requests fit");
    }

    @Test
    void aSweepWithoutAnalysisSaysWhyItHasNoBestConcurrency() throws IOException {
        Path dir = SweepFixtures.batchPredicted(tmp.resolve("bare"));
        Files.delete(dir.resolve("analysis.json"));
        String bare = Files.readString(PlaybookWriter.write(Study.of(List.of(SweepResults.read(dir))), tmp.resolve("bare-out")).markdown());

        assertThat(bare).contains("not analyzed (run `headroom analyze`)", "peak 4,106 tok/s at c=64 (no SLO applied)");
        Placeholders.assertNone(bare);
    }

    @Test
    void aSweepWithNoUsablePointIsBadInput() throws IOException {
        Path dir = tmp.resolve("empty");
        SweepFixtures.writeString(dir.resolve("capacity.csv"), String.join(",", SweepFixtures.CAPACITY) + "\n");
        assertThatThrownBy(() -> PlaybookWriter.write(Study.of(List.of(SweepResults.read(dir))), tmp.resolve("empty-out")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no usable load point");
    }
}
