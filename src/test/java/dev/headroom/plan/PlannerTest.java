package dev.headroom.plan;

import static dev.headroom.plan.PlanFixtures.flags;
import static dev.headroom.plan.PlanFixtures.setup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.Units;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlannerTest {

    private static final String LLAMA = "llama-3.1-8b-instruct";

    /** The public log (reference §1.1): H100 (79.11 GiB), utilization 0.9, 32K context → 447,088 tokens, 13.64x. */
    @ParameterizedTest
    @ValueSource(strings = {"0.8.5", "0.11.0"})
    void llamaOnH100MatchesTheLoggedKvCacheSize(String version) {
        MemoryPlan p = Planner.plan(setup(LLAMA, Gpu.H100, version, 0.9, 32768));
        assertThat(p.fits()).isTrue();
        assertThat((double) p.kvCacheTokens()).isCloseTo(447_088, within(447_088 * 0.03));
        assertThat(p.maxConcurrency()).isCloseTo(13.64, within(13.64 * 0.03));
        assertThat(p.weightsGib()).isCloseTo(14.99, within(0.005));
        assertThat(p.startupLog()).contains("Model loading took 14.9888 GiB",
                "GPU KV cache size: " + String.format(Locale.US, "%,d", p.kvCacheTokens()) + " tokens",
                String.format(Locale.ROOT, "Maximum concurrency for 32,768 tokens per request: %.2fx", p.maxConcurrency()));
    }

    @Test
    void theKvLinesAreVllmsArithmetic() {
        MemoryPlan p = Planner.plan(setup(LLAMA, Gpu.H100, "0.11.0", 0.9, 32768));
        // kv_cache_utils: tokens = num_blocks * block_size; concurrency = num_blocks / cdiv(32768, 16).
        assertThat(p.kvCacheTokens()).isEqualTo(p.numGpuBlocks() * 16);
        assertThat(p.maxConcurrency()).isEqualTo(p.numGpuBlocks() / 2048.0);
        long available = (long) (p.kvCacheGib() * Units.GIB);
        assertThat(p.numGpuBlocks()).isBetween(available / (2L << 20) - 1, available / (2L << 20) + 1);
        assertThat(p.usableGpuBlocks()).isEqualTo(p.numGpuBlocks() - 1);
        assertThat(p.requestedGib()).isCloseTo(0.9 * 79.11, within(1e-6));
        assertThat(p.requestedGib() - p.weightsGib() - p.activationPeakGib() - p.nonTorchGib())
                .isCloseTo(p.kvCacheGib(), within(1e-6));
    }

    @Test
    void activationPeakReproducesTheLoggedProfileOfLlamaOnH100() {
        // vLLM 0.8.x: 256 sequences, 8192 batched tokens on H100; the log shows 1.24 GiB of activation peak, from an
        // install without FlashInfer (PyTorch's sort: 24 B per logit more than the image's FlashInfer sampler).
        ServingSetup s = setup(LLAMA, Gpu.H100, "0.8.5", 0.9, 32768);
        double sortGib = (ProfileRun.of(s).samplerPeakBytes() + 24.0 * 256 * 128256) / Units.GIB;
        assertThat(sortGib).isCloseTo(1.24, within(0.12));
        assertThat(Planner.plan(s).activationPeakGib()).as("the image's peak is the forward pass")
                .isCloseTo(ProfileRun.of(s).forwardPeakBytes() / (double) Units.GIB, within(1e-9));
    }

    @Test
    void activationPeakGrowsWithBatchedTokensAndWithSequencesTimesVocab() {
        ServingSetup base = setup(LLAMA, Gpu.L4, "0.11.0", flags(null, 8192, 16, 2048, null, null));
        ServingSetup moreTokens = setup(LLAMA, Gpu.L4, "0.11.0", flags(null, 8192, 16, 8192, null, null));
        ServingSetup moreSeqs = setup(LLAMA, Gpu.L4, "0.11.0", flags(null, 8192, 1024, 2048, null, null));
        ProfileRun r0 = ProfileRun.of(base);
        ProfileRun r1 = ProfileRun.of(moreTokens);
        assertThat(r1.forwardPeakBytes()).isEqualTo(4 * r0.forwardPeakBytes());
        // 1008 more logits rows of 128256 entries at 2 + 4 + 8 bytes (model dtype, fp32, FlashInfer top-k/top-p),
        // plus two more hidden-state rows each.
        long extraRows = 1024 - 16;
        assertThat(ProfileRun.of(moreSeqs).samplerPeakBytes() - r0.samplerPeakBytes())
                .isEqualTo(extraRows * 128256L * 14 + 2 * extraRows * 4096 * 2);
    }

    @Test
    void qwenOnT4FallsBackToFp16AndFits() {
        MemoryPlan p = Planner.plan(setup("qwen2.5-1.5b-instruct", Gpu.T4, "0.11.0", 0.8, 4096));
        assertThat(p.fits()).isTrue();
        assertThat(p.startupLog()).startsWith(
                "Your device 'Tesla T4' (with compute capability 7.5) doesn't support torch.bfloat16. Falling back to torch.float16 for compatibility.",
                "Casting torch.bfloat16 to torch.float16.");
        // 28 layers × 16 KiB pages: 448 KiB per block of 16 tokens.
        assertThat(p.kvCacheTokens()).isEqualTo((long) (p.kvCacheGib() * Units.GIB) / (28 * 16384) * 16);
        assertThat(p.kvCacheTokens()).isBetween(250_000L, 340_000L);
    }

    @Test
    void tensorParallelismSplitsWeightsAndKvHeads() {
        MemoryPlan one = Planner.plan(setup(LLAMA, Gpu.L4, "0.11.0", flags(0.9, 16384, null, null, null, 1)));
        MemoryPlan two = Planner.plan(setup(LLAMA, Gpu.L4, "0.11.0", flags(0.9, 16384, null, null, null, 2)));
        assertThat(two.weightsGib()).isCloseTo(one.weightsGib() / 2, within(0.05));
        assertThat(two.nonTorchGib()).isGreaterThan(one.nonTorchGib());
        // Half the KV heads per GPU: a token costs half, and the memory freed by the weights adds more.
        assertThat(two.kvCacheTokens()).isGreaterThan(4 * one.kvCacheTokens());
        assertThat(two.kvCacheTokens()).isEqualTo((long) (two.kvCacheGib() * Units.GIB) / (32 * 32768) * 16);
    }

    @Test
    void fp8KvCacheDoublesTheBlocks() {
        MemoryPlan auto = Planner.plan(setup(LLAMA, Gpu.A100_80GB, "0.11.0", flags(0.9, 32768, null, null, null, null)));
        MemoryPlan fp8 = Planner.plan(setup(LLAMA, Gpu.A100_80GB, "0.11.0", flags(0.9, 32768, null, null, "fp8", null)));
        assertThat(fp8.kvCacheGib()).isEqualTo(auto.kvCacheGib());
        assertThat(fp8.numGpuBlocks()).isBetween(2 * auto.numGpuBlocks(), 2 * auto.numGpuBlocks() + 1);
    }

    @Test
    void slidingWindowModelsNeedOnlyTheWindowPerRequest(@TempDir Path dir) throws IOException {
        // Mistral-7B-v0.1's architecture: every layer attends to a 4096-token window.
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"model_type": "mistral", "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 8,
                 "num_hidden_layers": 32, "intermediate_size": 14336, "vocab_size": 32000,
                 "max_position_embeddings": 32768, "sliding_window": 4096, "torch_dtype": "bfloat16"}""");
        MemoryPlan v1 = Planner.plan(setup(config.toString(), Gpu.L4, "0.11.0", 0.9, 32768));
        assertThat(v1.fits()).isTrue();
        // SlidingWindowSpec: cdiv(min(4096 - 1 + 2048, 32768), 16) + 1 = 385 blocks per request.
        assertThat(v1.maxConcurrency()).isEqualTo(v1.numGpuBlocks() / 385.0);
        ServingSetup v0 = setup(config.toString(), Gpu.L4, "0.6.3", 0.9, null);
        assertThat(v0.serve().maxModelLen()).as("V0 caps the context at the window").isEqualTo(4096);
    }

    @Test
    void v0LogsTheMemoryProfileAndCudaBlocks() {
        MemoryPlan p = Planner.plan(setup(LLAMA, Gpu.A100_80GB, "0.7.3", 0.7, 8192));
        assertThat(p.engine()).isEqualTo("V0");
        assertThat(p.startupLog()).contains(
                String.format(Locale.ROOT, "the current vLLM instance can use total_gpu_memory (79.15GiB) x "
                        + "gpu_memory_utilization (0.70) = %.2fGiB", p.requestedGib()),
                "Loading model weights took 14.9888 GB",
                "# cuda blocks: " + p.numGpuBlocks() + ", # CPU blocks: 2048",
                String.format(Locale.ROOT, "Maximum concurrency for 8192 tokens per request: %.2fx", p.numGpuBlocks() * 16 / 8192.0));
        assertThat(p.startupLog()).anyMatch(l -> l.startsWith("model weights take 14.99GiB; non_torch_memory takes 0.07GiB; "
                + "PyTorch activation peak memory takes "));
    }

    @Test
    void explanationNamesTheKnob() {
        MemoryPlan p = Planner.plan(setup(LLAMA, Gpu.L4, "0.11.0", 0.9, 32768));
        assertThat(p.fits()).isTrue();
        assertThat(p.explanation()).matches("KV cache holds \\d+\\.\\d requests of 32768 tokens; lower --max-model-len to 8192 for \\d+ concurrent\\.");
        MemoryPlan batchBound = Planner.plan(setup(LLAMA, Gpu.H100, "0.11.0", flags(0.9, 2048, 16, null, null, null)));
        assertThat(batchBound.explanation()).contains("more than --max-num-seqs 16").contains("raise --max-num-seqs");
    }

    @Test
    void graphsCapturedOutsideTheBudgetCanOverrunFreeMemory() {
        MemoryPlan tight = Planner.plan(setup("qwen2.5-0.5b-instruct", Gpu.T4, "0.11.0", 0.96, 4096));
        assertThat(tight.fits()).isTrue();
        assertThat(tight.graphCaptureMayRunOutOfMemory()).isTrue();
        MemoryPlan eager = Planner.plan(setup("qwen2.5-0.5b-instruct", Gpu.T4, "0.11.0",
                new ServeFlags(null, 0.96, 4096, null, null, null, null, null, null, null, true, null, null)));
        assertThat(eager.cudaGraphGib()).isZero();
        assertThat(eager.graphCaptureMayRunOutOfMemory()).isFalse();
        assertThat(Planner.plan(setup("qwen2.5-0.5b-instruct", Gpu.T4, "0.11.0", 0.9, 4096)).graphCaptureMayRunOutOfMemory())
                .isFalse();
    }

    @Test
    void planningTakesWellUnderAMillisecond() {
        ServingSetup s = setup(LLAMA, Gpu.H100, "0.11.0", 0.9, 32768);
        long[] nanosPerPlan = new long[5];
        for (int round = -3; round < nanosPerPlan.length; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) Planner.plan(s);
            if (round >= 0) nanosPerPlan[round] = (System.nanoTime() - start) / 1000;
        }
        Arrays.sort(nanosPerPlan);
        assertThat(nanosPerPlan[2]).as("median nanos per plan").isLessThan(1_000_000);
    }

    @Test
    void flagsFromFixturesAreTheCommandLineOnes() {
        ServeFlags f = flags(0.5, 1024, 8, 512, "fp8", 2);
        assertThat(f.gpuMemoryUtilization()).isEqualTo(0.5);
        assertThat(f.tensorParallelSize()).isEqualTo(2);
    }
}
