package dev.headroom.plan;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.ModelSpec;
import dev.headroom.spec.ServeConfig;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.VllmVersion;

/**
 * What vLLM's start-up memory accounting does in each release, each boundary cited to the commit or PR that moved
 * it (reference/vllm-memory-2026.md, commits from the upstream history). Everything version-dependent in the
 * planner's memory terms is decided here.
 */
public final class Release {

    /** The worker that profiles: V0's model runner, V1's GPUModelRunner (MRv1), or Model Runner V2. */
    public enum ModelRunner { V0, V1, V2 }

    /** How the non-KV memory is measured, which decides what "non-torch" contains. */
    public enum NonKvAccounting {
        /** 0.4.x worker.py: {@code peak = total - free} after the profile: includes the CUDA context. */
        TOTAL_USED,
        /** 0.5.0-0.6.3 worker.py: {@code peak = init_free - free}: growth since the worker's init. */
        INIT_FREE,
        /**
         * 0.6.4.x worker.py (PR #9516, 380e18639) and V1's gpu_worker.py until PR #19312: torch allocated peak plus
         * {@code (total - free) - torch allocated}: non-torch is absolute, the CUDA context included.
         */
        ABSOLUTE_NON_TORCH,
        /**
         * V0 0.6.5+ (commit 551603fef, "overhaul memory profiling") and V1 from PR #19312 (cc867be19, merged
         * 2025-06-09, so 0.9.2; inferred): memory_profiling, increase since init. Until PR #12126 (da02cb4b2, 0.7.0)
         * V0's non-torch was {@code used - baseline - weights - profile's allocation growth}, which also holds the
         * caching allocator's unreleased remainder and tensors allocated between load and profile; headroom has no
         * figure for those, so 0.6.5-0.6.6 plans count them as 0.
         */
        BASELINE,
        /** 0.26+ (PR #49208, 58b2012aa): total consumed per mem_get_info + transient peak headroom + graph estimate. */
        CONSUMED
    }

    private Release() {}

    public static ModelRunner modelRunner(ServingSetup setup) {
        VllmVersion v = setup.serve().vllmVersion();
        if (!v.isV1()) return ModelRunner.V0;
        ModelSpec m = setup.model();
        boolean quantized = !m.quantization().method().equals("none");
        // PR #44443 (a2f713002, v0.25.0 release notes): MRv2 is the default for all dense models.
        if (v.atLeast(0, 25, 0)) return ModelRunner.V2;
        // PR #39337 (ae4f59f0e, v0.22): MRv2 default for Qwen3ForCausalLM, dense and unquantized; PR #44446
        // (b53b1c7ff, ~v0.24) extends it to quantized checkpoints.
        boolean qwen3 = m.modelType().equals("qwen3");
        if (qwen3 && v.atLeast(0, 22, 0) && (!quantized || v.atLeast(0, 24, 0))) return ModelRunner.V2;
        return ModelRunner.V1;
    }

    /**
     * Peak bytes per logit of the profile run's dummy sampler, the model-dtype logits included (measured per path on
     * an H200, reference §1.3; the 38 B sort path is 2 + 4 fp32 copy + 32 sort scratch).
     */
    public static int samplerBytesPerLogit(ServingSetup setup) {
        return samplerBytesPerLogit(setup, install(setup));
    }

    /** The same for a given install (before 0.11.1 the V1 sampler follows it). */
    static int samplerBytesPerLogit(ServingSetup setup, Install install) {
        VllmVersion v = setup.serve().vllmVersion();
        int logits = setup.serve().dtype().bytes();
        return switch (modelRunner(setup)) {
            // MRv2 _dummy_sampler_run passes no sampling parameters: an fp32 copy only (+4), and from PR #47711
            // (~0.27) not even that (needs_logits_processing exits early).
            case V2 -> v.atLeast(0, 27, 0) ? logits : logits + 4;
            case V0 -> logits + 4 + ProfileRun.NATIVE_TOP_K_TOP_P_BYTES;
            case V1 -> logits + 4 + v1TopKTopPBytes(setup, install);
        };
    }

    private static int v1TopKTopPBytes(ServingSetup setup, Install install) {
        VllmVersion v = setup.serve().vllmVersion();
        // PR #33538 (c656ba3b4, in every release >= 0.18.0): batches of >= 8 rows go to the Triton top-k/top-p
        // kernel, which masks the fp32 logits in place; softmax probs and the noise tensor remain (+8). PR #40376
        // (0.21) turns FlashInfer back on with the same footprint, PR #41375 (0.21) adds a native second call.
        if (v.atLeast(0, 18, 0) && rows(setup.serve()) >= 8) return ProfileRun.FLASHINFER_TOP_K_TOP_P_BYTES;
        return flashInferSampler(setup, install) ? ProfileRun.FLASHINFER_TOP_K_TOP_P_BYTES
                : ProfileRun.NATIVE_TOP_K_TOP_P_BYTES;
    }

    /**
     * True when the profile's forward pass runs eager PyTorch: V0's model runner always profiles eagerly (its CUDA
     * graphs are captured after the KV cache, vllm/worker/model_runner.py), and V1 does with {@code --enforce-eager}
     * (compilation level 0). Eager, a tensor lives as long as a Python name holds it, so the decoder layer's MLP input
     * (held by the caller) and {@code gate_up} (held by LlamaMLP.forward) are still alive when {@code down_proj} writes
     * its {@code [tokens, hidden]} output; V1's compiled graph (torch.compile, from 0.8) frees them at their last use.
     */
    public static boolean eagerForward(ServeConfig s) {
        return !s.vllmVersion().isV1() || s.enforceEager();
    }

    /** How vLLM was installed: before 0.11.1 this decides whether FlashInfer is importable. */
    public enum Install {
        /** The vllm/vllm-openai image: docker/Dockerfile installs FlashInfer with vLLM. */
        IMAGE,
        /**
         * {@code pip install vllm}: FlashInfer only with the {@code vllm[flashinfer]} extra (setup.py, PR #21959)
         * until PR #26443 (c9d33c60d, 0.11.1) made it a default CUDA dependency; source builds likewise.
         */
        WHEEL
    }

    /**
     * The install headroom assumes on a GPU, a deployment default rather than vLLM code (a start-up log settles it:
     * "Using FlashInfer for top-p &amp; top-k sampling" or "FlashInfer is not available"). Datacenter cards from
     * Ampere on run the image. GeForce cards run the pip wheel. Turing cards run without FlashInfer's sampler too:
     * the 0.11.0 image's FlashInfer sampler fails in the profile run on a T4 (gpustack/gpustack#3656), so a T4 that
     * started ran the wheel or {@code VLLM_USE_FLASHINFER_SAMPLER=0}.
     */
    public static Install install(ServingSetup setup) {
        Gpu g = setup.gpu().gpu();
        boolean wheel = g.deviceName().contains("GeForce") || g.computeCapabilityNumber() < 80;
        return wheel ? Install.WHEEL : Install.IMAGE;
    }

    /**
     * True when the V1 profile run samples with FlashInfer's {@code top_k_top_p_sampling_from_logits}: from 0.8.0
     * TopKTopPSampler takes {@code forward_cuda} whenever {@code flashinfer.sampling} imports
     * (vllm/v1/sample/ops/topk_topp_sampler.py; 0.8.x's check for FlashInfer >= 0.2.3 passes the image's 0.2.1),
     * until PR #26859 (e66d787bc, 0.11.1) turned it off by default. The image bundles FlashInfer, the wheel does
     * not (flashinfer-ai/flashinfer#1180: the same start-up has 4.00 GiB of KV cache with it, 2.49 GiB without).
     */
    public static boolean flashInferSampler(ServingSetup setup) {
        return flashInferSampler(setup, install(setup));
    }

    private static boolean flashInferSampler(ServingSetup setup, Install install) {
        VllmVersion v = setup.serve().vllmVersion();
        return v.isV1() && !v.atLeast(0, 11, 1) && install == Install.IMAGE;
    }

    /**
     * How far the profile's activation peak moves between the two installs, bytes: what a derived plan cannot know
     * from flags (a start-up log settles it). Before 0.11.1 this is FlashInfer's 14 B per logit against the sort's
     * 38 (reference/vllm-memory-2026.md §1.3) wherever the sampler is the peak; 0 from 0.11.1 and in V0.
     */
    public static long installSpreadBytes(ServingSetup setup) {
        return Math.abs(ProfileRun.of(setup, Install.IMAGE).peakBytes() - ProfileRun.of(setup, Install.WHEEL).peakBytes());
    }

    /**
     * The Triton top-k/top-p kernel's cached fp32 buffer, {@code [min(next_pow2(rows), num_SMs), vocab]}
     * (vllm/v1/sample/ops/topk_topp_triton.py apply_top_k_top_p_triton, PR #33538): allocated once in the profile
     * run and kept. MRv1 only, 0.18 and later, batches of 8 rows or more.
     */
    public static long tritonBufferBytes(ServingSetup setup) {
        ServeConfig s = setup.serve();
        if (modelRunner(setup) != ModelRunner.V1 || !s.vllmVersion().atLeast(0, 18, 0) || rows(s) < 8) return 0;
        long pow2 = Long.highestOneBit(rows(s) - 1) << 1;
        return Math.min(pow2, setup.gpu().gpu().smCount()) * setup.model().paddedVocabSize() * 4;
    }

    /** Rows of the dummy sampler: {@code min(max_num_seqs, max_num_batched_tokens)} (_dummy_run). */
    static long rows(ServeConfig s) {
        return Math.min(s.maxNumSeqs(), s.maxNumBatchedTokens());
    }

    /**
     * True when the CUDA-graph memory estimate is subtracted from the KV budget: PR #38284 (96a85c575) turned
     * VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS on by default; gpu_worker.py logs "CUDA graph memory profiling is
     * enabled (default since v0.21.0)". Before, graphs were captured after the KV cache, outside the budget.
     */
    public static boolean cudaGraphsInBudget(VllmVersion v) {
        return v.atLeast(0, 21, 0);
    }

    public static NonKvAccounting accounting(VllmVersion v) {
        if (v.atLeast(0, 26, 0)) return NonKvAccounting.CONSUMED;
        if (v.atLeast(0, 9, 2)) return NonKvAccounting.BASELINE;
        // V1 (the default from 0.8.0) kept V0 0.6.4's absolute figure until PR #19312 moved it to memory_profiling.
        if (v.isV1()) return NonKvAccounting.ABSOLUTE_NON_TORCH;
        if (v.atLeast(0, 6, 5)) return NonKvAccounting.BASELINE;
        if (v.atLeast(0, 6, 4)) return NonKvAccounting.ABSOLUTE_NON_TORCH;
        if (v.atLeast(0, 5, 0)) return NonKvAccounting.INIT_FREE;
        return NonKvAccounting.TOTAL_USED;
    }

    /**
     * Async scheduling overlaps the CPU's work for step N+1 with the GPU's step N: opt-in since PR #19970 (0.10.0),
     * on by default since PR #27614 (c2ff33cc8, v0.14.0).
     */
    public static boolean asyncScheduling(VllmVersion v) {
        return v.atLeast(0, 14, 0);
    }
}
