package dev.headroom.plan;

import static dev.headroom.plan.PlanFixtures.flags;
import static dev.headroom.plan.PlanFixtures.setup;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ServeFlags;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Every start-up error vLLM raises, verbatim (reference/vllm-internals.md §1.2-§1.3, §2). */
class StartupErrorsTest {

    private static final String LLAMA = "llama-3.1-8b-instruct";
    private static final String DOCS = " See https://docs.vllm.ai/en/latest/configuration/conserving_memory/ for more details.";

    @Test
    void noMemoryForTheCacheBlocks() {
        // Llama-3.1-8B (14.99 GiB) on a 16.5 GiB card loads, but 0.9 of it leaves nothing for the KV cache.
        MemoryPlan p = Planner.plan(setup(LLAMA, new GpuSpec(Gpu.T4, 16.5), "0.11.0", flags(0.9, 4096, null, null, null, null)));
        assertThat(p.fits()).isFalse();
        assertThat(p.kvCacheGib()).isNegative();
        assertThat(p.error()).isEqualTo("No available memory for the cache blocks. Try increasing "
                + "`gpu_memory_utilization` when initializing the engine." + DOCS);
        assertThat(p.explanation()).contains("raise --gpu-memory-utilization");
        MemoryPlan older = Planner.plan(setup(LLAMA, new GpuSpec(Gpu.T4, 16.5), "0.9.2", flags(0.9, 4096, null, null, null, null)));
        assertThat(older.error()).as("before 0.10 the message has no docs link").isEqualTo("No available memory for the "
                + "cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.");
    }

    @Test
    void weightsLargerThanTheGpuFailWhileLoading() {
        MemoryPlan p = Planner.plan(setup(LLAMA, Gpu.T4, "0.11.0", 0.9, 4096));
        assertThat(p.fits()).isFalse();
        assertThat(p.kvSized()).isFalse();
        assertThat(p.error()).isEqualTo(String.format(Locale.ROOT, "CUDA out of memory. The model weights (14.99 GiB per "
                + "GPU) do not fit in the %.2f GiB free on Tesla T4.", Gpu.T4.memoryGib() - Overheads.CUDA_CONTEXT_GIB));
        assertThat(p.explanation()).contains("quantized");
    }

    @Test
    void maxSeqLenLargerThanKvCapacityKeepsTheKvFigures() {
        // Llama-3.1-8B at its full 131072 context on an L4 (reference §8: needs 16 GiB of KV).
        MemoryPlan p = Planner.plan(setup(LLAMA, Gpu.L4, "0.11.0", 0.9, null));
        assertThat(p.fits()).isFalse();
        assertThat(p.kvSized()).isTrue();
        assertThat(p.numGpuBlocks()).isPositive();
        String available = String.format(Locale.ROOT, "%.2f", p.kvCacheGib());
        assertThat(p.error()).isEqualTo("To serve at least one request with the models's max seq len (131072), "
                + "(16.00 GiB KV cache is needed, which is larger than the available KV cache memory (" + available
                + " GiB). Based on the available memory, the estimated maximum model length is " + p.numGpuBlocks() * 16
                + ". Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine." + DOCS);
        assertThat(p.toMap()).containsEntry("fits", false).containsEntry("num_gpu_blocks", p.numGpuBlocks());
        assertThat(p.explanation()).contains("lower --max-model-len to " + p.numGpuBlocks() * 16);
        MemoryPlan v09 = Planner.plan(setup(LLAMA, Gpu.L4, "0.9.2", 0.9, null));
        assertThat(v09.error()).startsWith("To serve at least one request").doesNotContain("docs.vllm.ai");
    }

    @Test
    void v0MaxSeqLenMessageComesAfterTheBlocksWereLogged() {
        MemoryPlan p = Planner.plan(setup(LLAMA, Gpu.L4, "0.6.3", flags(0.9, 131072, null, null, null, null)));
        assertThat(p.error()).isEqualTo("The model's max seq len (131072) is larger than the maximum number of tokens "
                + "that can be stored in KV cache (" + p.numGpuBlocks() * 16 + "). Try increasing `gpu_memory_utilization` "
                + "or decreasing `max_model_len` when initializing the engine.");
        assertThat(p.startupLog()).as("before 0.6.4 the device was called GPU")
                .anyMatch(l -> l.startsWith("# GPU blocks: " + p.numGpuBlocks() + ", # CPU blocks: "));
    }

    @Test
    void freeMemoryBelowTheRequest() {
        MemoryPlan p = Planner.plan(setup("qwen2.5-0.5b-instruct", Gpu.T4, "0.11.0", 0.99, 4096));
        double total = Gpu.T4.memoryGib();
        double free = total - Overheads.CUDA_CONTEXT_GIB;
        assertThat(p.error()).isEqualTo(String.format(Locale.ROOT, "Free memory on device cuda:0 (%.2f/%.2f GiB) on "
                + "startup is less than desired GPU memory utilization (0.99, %.2f GiB). Decrease GPU memory utilization "
                + "or reduce GPU memory used by other processes.", free, total, 0.99 * total));
        assertThat(p.kvSized()).isFalse();
        assertThat(p.toMap()).containsEntry("kv_cache_tokens", null);
        MemoryPlan v010 = Planner.plan(setup("qwen2.5-0.5b-instruct", Gpu.T4, "0.10.1", 0.99, 4096));
        assertThat(v010.error()).startsWith("Free memory on device (");
    }

    @Test
    void bf16OnPreAmpereWithoutTheFallback() {
        MemoryPlan explicit = Planner.plan(setup("qwen2.5-0.5b-instruct", Gpu.T4, "0.11.0",
                new ServeFlags(null, null, 4096, null, null, null, null, null, null, "bfloat16", null, null, null)));
        assertThat(explicit.error()).isEqualTo("Bfloat16 is only supported on GPUs with compute capability of at least "
                + "8.0. Your Tesla T4 GPU has compute capability 7.5. You can use float16 instead by explicitly setting "
                + "the `dtype` flag in CLI, for example: --dtype=half.");
        assertThat(explicit.explanation()).isEqualTo("Tesla T4 has no bfloat16; pass --dtype half.");
        MemoryPlan v08 = Planner.plan(setup("qwen2.5-0.5b-instruct", Gpu.T4, "0.8.5", null, 4096));
        assertThat(v08.error()).isEqualTo(explicit.error());
    }

    @Test
    void maxModelLenAboveTheModelsLimit() {
        MemoryPlan p = Planner.plan(setup("qwen2.5-1.5b-instruct", Gpu.H100, "0.11.0", null, 65536));
        assertThat(p.error()).isEqualTo("User-specified max_model_len (65536) is greater than the derived max_model_len "
                + "(max_position_embeddings=32768.0 or model_max_length=None in model's config.json). To allow "
                + "overriding this maximum, set the env var VLLM_ALLOW_LONG_MAX_MODEL_LEN=1. "
                + "VLLM_ALLOW_LONG_MAX_MODEL_LEN must be used with extreme caution. If the model uses relative position "
                + "encoding (RoPE), positions exceeding derived_max_model_len lead to nan. If the model uses absolute "
                + "position encoding, positions exceeding derived_max_model_len will cause a CUDA array out-of-bounds error.");
        assertThat(p.explanation()).contains("lower --max-model-len to 32768");
    }

    @Test
    void batchedTokensBelowSequences() {
        MemoryPlan p = Planner.plan(setup(LLAMA, Gpu.H100, "0.11.0", flags(null, 8192, 256, 128, null, null)));
        assertThat(p.error()).isEqualTo("max_num_batched_tokens (128) must be greater than or equal to max_num_seqs (256).");
        assertThat(p.explanation()).contains("--max-num-batched-tokens to at least 256");
    }

    @Test
    void batchedTokensBelowMaxLenWithoutChunkedPrefill() {
        MemoryPlan p = Planner.plan(setup(LLAMA, Gpu.H100, "0.11.0",
                new ServeFlags(null, null, 8192, null, 4096, null, false, null, null, null, null, null, null)));
        assertThat(p.error()).isEqualTo("max_num_batched_tokens (4096) is smaller than max_model_len (8192). This "
                + "effectively limits the maximum sequence length to max_num_batched_tokens and makes vLLM reject longer "
                + "sequences. Please increase max_num_batched_tokens or decrease max_model_len.");
    }

    @Test
    void headsMustDivideAcrossTensorParallelRanks() {
        MemoryPlan p = Planner.plan(setup("qwen2.5-1.5b-instruct", Gpu.L4, "0.11.0", flags(null, 4096, null, null, null, 8)));
        assertThat(p.error()).isEqualTo("Total number of attention heads (12) must be divisible by tensor parallel size (8).");
    }
}
