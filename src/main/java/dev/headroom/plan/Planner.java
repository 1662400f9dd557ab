package dev.headroom.plan;

import dev.headroom.spec.Dtype;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ModelSpec;
import dev.headroom.spec.ServeConfig;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.TermOffsets;
import dev.headroom.spec.Units;
import dev.headroom.spec.VllmVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * Reproduces vLLM's start-up memory arithmetic (reference/vllm-internals.md §1): budget = utilization × total;
 * weights, profile-run activation peak and non-torch memory come off it; the rest becomes KV blocks of
 * {@code page_size × layers} bytes, or vLLM's start-up error.
 */
public final class Planner {

    private Planner() {}

    /** Plans one setup; never throws for configurations vLLM refuses, it returns them with vLLM's error. */
    public static MemoryPlan plan(ServingSetup setup) {
        Figures f = Figures.of(setup);
        List<String> log = new ArrayList<>();
        String configError = configError(setup, log);
        if (configError != null) return f.toPlan(setup, false, configError, log);
        VllmVersion v = setup.serve().vllmVersion();
        ServeConfig s = setup.serve();
        long free = setup.gpu().totalMemoryBytes() - Overheads.cudaContextBytes();
        if (f.weightsBytes > free) {
            return f.toPlan(setup, false, VllmMessages.weightsDoNotFit(Units.gib(f.weightsBytes), Units.gib(free),
                    setup.gpu().deviceName()), log);
        }
        if (s.enableChunkedPrefill()) log.add(VllmMessages.chunkedPrefill(s.maxNumBatchedTokens()));
        log.add(VllmMessages.modelLoading(v, Units.gib(f.weightsBytes)));
        if (v.isV1()) {
            log.add(VllmMessages.availableKvCache(Units.gib(f.availableBytes)));
            String error = v1KvError(setup, f);
            if (error == null) addKvLines(setup, f, log);
            return f.toPlan(setup, true, error, log);
        }
        log.add(VllmMessages.v0Budget(setup.gpu().totalMemoryGib(), s.gpuMemoryUtilization(), Units.gib(f.requestedBytes)));
        log.add(VllmMessages.v0Breakdown(Units.gib(f.weightsBytes), Units.gib(f.nonTorchBytes),
                Units.gib(f.activationBytes), Units.gib(f.availableBytes)));
        long cpuBlocks = Math.round(s.swapSpaceGib() * Units.GIB) / f.layout.bytesPerBlock();
        log.add(VllmMessages.v0Blocks(v, f.numBlocks, cpuBlocks));
        log.add(VllmMessages.maxConcurrency(v, s.maxModelLen(), f.maxConcurrency));
        return f.toPlan(setup, true, v0KvError(setup, f), log);
    }

    /** Errors vLLM raises before it loads the model (engine config, device checks), in vLLM's order. */
    private static String configError(ServingSetup setup, List<String> log) {
        ModelSpec m = setup.model();
        ServeConfig s = setup.serve();
        GpuSpec g = setup.gpu();
        if (s.maxModelLen() > m.maxPositionEmbeddings()) {
            return VllmMessages.maxModelLenAboveDerived(s.maxModelLen(), m.maxLenKey(), m.maxPositionEmbeddings());
        }
        if (m.numAttentionHeads() % s.tensorParallelSize() != 0) {
            return VllmMessages.headsNotDivisible(m.numAttentionHeads(), s.tensorParallelSize());
        }
        if (s.maxNumBatchedTokens() < s.maxNumSeqs()) {
            return VllmMessages.batchedTokensBelowSeqs(s.maxNumBatchedTokens(), s.maxNumSeqs());
        }
        if (!s.enableChunkedPrefill() && s.maxNumBatchedTokens() < s.maxModelLen()) {
            return VllmMessages.batchedTokensBelowMaxLen(s.maxNumBatchedTokens(), s.maxModelLen());
        }
        if (s.fellBackToFp16(m)) {
            log.add(VllmMessages.bf16Fallback(g.deviceName(), g.gpu().computeCapability()));
            log.add("Casting torch.bfloat16 to torch.float16.");
        }
        if (s.dtype() == Dtype.BFLOAT16 && !g.gpu().supportsBf16()) {
            return VllmMessages.bf16Unsupported(g.deviceName(), g.gpu().computeCapability());
        }
        return s.vllmVersion().isV1() ? freeMemoryError(setup) : null;
    }

    /** gpu_worker.init_device: free memory at start-up must cover utilization × total. */
    private static String freeMemoryError(ServingSetup setup) {
        ServeConfig s = setup.serve();
        long total = setup.gpu().totalMemoryBytes();
        long free = total - Overheads.cudaContextBytes();
        double requested = total * s.gpuMemoryUtilization();
        if (free >= requested) return null;
        return VllmMessages.freeMemoryTooLow(s.vllmVersion(), Units.gib(free), Units.gib(total),
                s.gpuMemoryUtilization(), Units.gib(requested));
    }

    /** kv_cache_utils.check_enough_kv_cache_memory (V1): runs before the blocks are counted. */
    private static String v1KvError(ServingSetup setup, Figures f) {
        ServeConfig s = setup.serve();
        if (f.availableBytes <= 0) return VllmMessages.noAvailableMemory(s.vllmVersion());
        long needed = f.layout.bytesPerRequest(s.maxModelLen(), s.maxNumBatchedTokens());
        if (needed <= f.availableBytes) return null;
        int estimated = f.layout.estimatedMaxModelLen(f.availableBytes, s.maxModelLen(), s.maxNumBatchedTokens());
        return VllmMessages.v1MaxSeqLenTooLarge(s.vllmVersion(), s.maxModelLen(), Units.gib(needed),
                Units.gib(f.availableBytes), estimated);
    }

    /** worker.raise_if_cache_size_invalid (V0): runs after the blocks were logged. */
    private static String v0KvError(ServingSetup setup, Figures f) {
        ServeConfig s = setup.serve();
        if (f.numBlocks <= 0) return VllmMessages.noAvailableMemory(s.vllmVersion());
        long maxSeqLen = f.numBlocks * s.blockSize();
        return s.maxModelLen() > maxSeqLen ? VllmMessages.v0MaxSeqLenTooLarge(s.maxModelLen(), maxSeqLen) : null;
    }

    private static void addKvLines(ServingSetup setup, Figures f, List<String> log) {
        VllmVersion v = setup.serve().vllmVersion();
        log.add(VllmMessages.kvCacheSize(v, f.numBlocks, f.kvTokens));
        log.add(VllmMessages.maxConcurrency(v, setup.serve().maxModelLen(), f.maxConcurrency));
    }

    /**
     * The band on the KV figures: from measured terms, the rounding of a logged GiB figure ({@code %.2f}, ±0.005
     * GiB) relative to the KV cache; derived, the regression corpus's plus what the install moves (Release).
     */
    private static double kvBand(ServingSetup setup, double kvGib) {
        if (kvGib <= 0) return MemoryPlan.DERIVED_KV_BAND_PERCENT;
        if (!setup.measured().equals(TermOffsets.NONE)) return 100 * 0.005 / kvGib;
        return MemoryPlan.DERIVED_KV_BAND_PERCENT + 100 * Units.gib(Release.installSpreadBytes(setup)) / kvGib;
    }

    /** The byte figures of one setup, computed once. */
    private record Figures(long requestedBytes, long weightsBytes, long activationBytes, long nonTorchBytes,
                           long graphBytes, long availableBytes, KvCacheLayout layout, long numBlocks, long kvTokens,
                           double maxConcurrency) {

        static Figures of(ServingSetup setup) {
            ServeConfig s = setup.serve();
            long total = setup.gpu().totalMemoryBytes();
            long requested = (long) (total * s.gpuMemoryUtilization());
            TermOffsets m = setup.measured();
            long weights = setup.model().weightBytes(s.dtype(), s.tensorParallelSize()) + m.weightsBytes();
            long activation = ProfileRun.of(setup).peakBytes() + m.activationBytes();
            long nonTorch = Overheads.nonTorchBytes(setup) + m.nonTorchBytes();
            long graphs = Overheads.cudaGraphBytes(setup) + m.cudaGraphBytes();
            // gpu_worker.determine_available_memory: requested_memory - non_kv_cache_memory, and from 0.21 also
            // minus the CUDA-graph estimate (Release.cudaGraphsInBudget).
            long available = requested - weights - activation - nonTorch
                    - (Release.cudaGraphsInBudget(s.vllmVersion()) ? graphs : 0);
            KvCacheLayout layout = KvCacheLayout.of(setup);
            long blocks = layout.numBlocks(available);
            double concurrency = s.vllmVersion().isV1()
                    // get_max_concurrency_for_kv_cache_config: num_blocks / blocks one max-length request needs.
                    ? (double) blocks / layout.blocksPerRequest(s.maxModelLen(), s.maxNumBatchedTokens())
                    // V0 executor_base: num_gpu_blocks * block_size / max_model_len.
                    : (double) blocks * s.blockSize() / s.maxModelLen();
            return new Figures(requested, weights, activation, nonTorch, graphs, available,
                    layout, blocks, blocks * s.blockSize(), concurrency);
        }

        MemoryPlan toPlan(ServingSetup setup, boolean kvSized, String error, List<String> log) {
            MemoryPlan plan = new MemoryPlan(setup.serve().vllmVersion().isV1() ? "V1" : "V0",
                    setup.gpu().totalMemoryGib(), Units.gib(requestedBytes), Units.gib(weightsBytes),
                    Units.gib(activationBytes), Units.gib(nonTorchBytes), Units.gib(graphBytes),
                    Release.cudaGraphsInBudget(setup.serve().vllmVersion()), Units.gib(availableBytes),
                    numBlocks, kvTokens, maxConcurrency, kvSized, error == null, error, log, "", kvBand(setup, Units.gib(availableBytes)));
            return plan.withExplanation(Explainer.explain(setup, plan, layout));
        }
    }
}
