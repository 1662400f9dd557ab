package dev.headroom.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * vLLM's start-up memory arithmetic for one setup on one GPU, and its verdict.
 *
 * @param engine             "V1" or "V0", the engine the vLLM version runs
 * @param totalGib           device memory as CUDA reports it
 * @param requestedGib       {@code gpu_memory_utilization × total}: vLLM's budget
 * @param weightsGib         "Model loading took X GiB"
 * @param activationPeakGib  torch peak of the profile run
 * @param nonTorchGib        non-torch memory growth during profiling (estimate)
 * @param cudaGraphGib       CUDA-graph memory (estimate; 0 eager)
 * @param graphsInBudget     the graph estimate came off the KV budget (0.21+), else graphs are captured outside it
 * @param kvCacheGib         "Available KV cache memory" (negative when the budget is overdrawn)
 * @param numGpuBlocks       KV blocks vLLM allocates (block 0 is the reserved null block)
 * @param kvCacheTokens      "GPU KV cache size: N tokens" = numGpuBlocks × block size
 * @param maxConcurrency     "Maximum concurrency for L tokens per request: X x"
 * @param kvSized            whether vLLM got as far as sizing the KV cache (false for config-time errors)
 * @param fits               vLLM starts
 * @param error              vLLM's start-up error message, or null
 * @param startupLog         the lines vLLM would log, in order
 * @param explanation        one sentence: what bounds this configuration and which knob to turn
 * @param kvBandPercent      half-width of the band on the KV figures, percent: for a derived plan the regression
 *                           corpus's plus, before vLLM 0.11.1, what the install (FlashInfer or not) moves the KV
 *                           cache by; the rounding of the logged GiB for a plan from a start-up log's measured terms
 */
public record MemoryPlan(String engine, double totalGib, double requestedGib, double weightsGib,
                         double activationPeakGib, double nonTorchGib, double cudaGraphGib, boolean graphsInBudget,
                         double kvCacheGib,
                         long numGpuBlocks, long kvCacheTokens, double maxConcurrency, boolean kvSized, boolean fits,
                         String error, List<String> startupLog, String explanation, double kvBandPercent) {

    /**
     * The band on derived KV figures: real start-ups whose flags and install are all known land within 1.75% in the
     * regression corpus ({@code headroom selftest fidelity}); 3% is the tolerance its tests hold them to.
     */
    public static final double DERIVED_KV_BAND_PERCENT = 3.0;

    public MemoryPlan {
        startupLog = List.copyOf(startupLog);
        if (fits != (error == null)) throw new IllegalArgumentException("a plan fits exactly when it has no error");
    }

    /** This plan with its explanation sentence set. */
    MemoryPlan withExplanation(String sentence) {
        return new MemoryPlan(engine, totalGib, requestedGib, weightsGib, activationPeakGib, nonTorchGib, cudaGraphGib,
                graphsInBudget, kvCacheGib, numGpuBlocks, kvCacheTokens, maxConcurrency, kvSized, fits, error, startupLog, sentence,
                kvBandPercent);
    }

    /** Blocks the scheduler can hand out: vLLM keeps block 0 as the null block (BlockPool.__init__). */
    public long usableGpuBlocks() {
        return Math.max(0, numGpuBlocks - 1);
    }

    /**
     * True when vLLM would start but the CUDA graphs it captures after the KV cache (outside the budget) would not
     * fit in the memory left free: vLLM then fails while capturing graphs (reference §1.1, step 5).
     */
    public boolean graphCaptureMayRunOutOfMemory() {
        return fits && !graphsInBudget && requestedGib + cudaGraphGib > totalGib - Overheads.CUDA_CONTEXT_GIB;
    }

    /** The {@code --json} object: the keys first, KV figures null when vLLM never sized the cache. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("weights_gib", round(weightsGib));
        m.put("activation_peak_gib", round(activationPeakGib));
        m.put("non_torch_gib", round(nonTorchGib));
        m.put("cuda_graph_gib", round(cudaGraphGib));
        m.put("kv_cache_gib", kvSized ? round(kvCacheGib) : null);
        m.put("num_gpu_blocks", kvSized ? numGpuBlocks : null);
        m.put("kv_cache_tokens", kvSized ? kvCacheTokens : null);
        m.put("max_concurrency", kvSized ? round(maxConcurrency) : null);
        m.put("fits", fits);
        m.put("error", error);
        m.put("cuda_graph_in_budget", graphsInBudget);
        m.put("kv_cache_tokens_band_percent", round(kvBandPercent));
        m.put("graph_capture_may_oom", graphCaptureMayRunOutOfMemory());
        m.put("engine", engine);
        m.put("total_memory_gib", round(totalGib));
        m.put("requested_memory_gib", round(requestedGib));
        m.put("explanation", explanation);
        m.put("startup_log", startupLog);
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
