package dev.headroom.plan;

import dev.headroom.spec.ServeConfig;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.Units;

/**
 * The memory vLLM spends outside torch tensors and outside its budget. These are documented estimates, not
 * derivations: vLLM measures them on the device and their size depends on drivers and kernels.
 */
final class Overheads {

    /**
     * Non-torch growth during the profile on one GPU: cuBLAS/cuBLASLt handles and workspaces and the kernels loaded
     * lazily by the first matmul, measured at +66 MiB on an H200 with CUDA's lazy module loading
     * (reference/vllm-memory-2026.md §1.6); the CUDA context and NCCL are already in the baseline snapshot.
     */
    static final double NON_TORCH_GIB = 0.065;
    /** With tensor parallelism NCCL communicators and the custom all-reduce buffers add to it, per extra rank. */
    static final double NON_TORCH_TP_BASE_GIB = 0.3;
    static final double NON_TORCH_PER_RANK_GIB = 0.05;
    /**
     * Memory already used on the device when vLLM takes its start-up snapshot: the worker's CUDA context and
     * torch/NCCL initialisation (typically 0.3-0.6 GiB on CUDA 12).
     */
    static final double CUDA_CONTEXT_GIB = 0.45;
    /** CUDA-graph memory per captured batch size and decoder layer (logs: 0.6-2.1 GiB for 0.5B-14B models). */
    static final double GRAPH_MIB_PER_SIZE_AND_LAYER = 0.3;

    private Overheads() {}

    /**
     * The non-torch memory as this release's accounting sees it (Release.NonKvAccounting): growth since the worker's
     * init snapshot, or, in 0.4.x, 0.6.4.x and V1 before 0.9.2, an absolute figure that also holds the CUDA context.
     */
    static long nonTorchBytes(ServingSetup setup) {
        int tp = setup.serve().tensorParallelSize();
        double gib = NON_TORCH_GIB + (tp > 1 ? NON_TORCH_TP_BASE_GIB + NON_TORCH_PER_RANK_GIB * (tp - 1) : 0);
        gib += switch (Release.accounting(setup.serve().vllmVersion())) {
            case TOTAL_USED, ABSOLUTE_NON_TORCH -> CUDA_CONTEXT_GIB;
            case INIT_FREE, BASELINE, CONSUMED -> 0;
        };
        return Math.round(gib * Units.GIB);
    }

    static long cudaContextBytes() {
        return Math.round(CUDA_CONTEXT_GIB * Units.GIB);
    }

    /**
     * Estimated CUDA-graph memory; 0 with {@code --enforce-eager}. Captured after the KV cache, outside the budget,
     * until 0.21; from 0.21 vLLM estimates it in the profile and takes it off the KV budget (Release).
     */
    static long cudaGraphBytes(ServingSetup setup) {
        ServeConfig s = setup.serve();
        if (s.enforceEager()) return 0;
        double mib = captureSizes(s) * setup.model().numHiddenLayers() * GRAPH_MIB_PER_SIZE_AND_LAYER;
        return Math.round(mib * 1024 * 1024);
    }

    /**
     * Number of CUDA-graph capture sizes. v0.11+ (vllm/config/compilation.py): [1, 2, 4] + range(8, 256, 8) +
     * range(256, max_capture + 1, 16) with max_capture = min(2 * max_num_seqs, 512); earlier: [1, 2, 4] +
     * [8i for i in 1..64] up to max_num_seqs. Filtered to max_num_batched_tokens.
     */
    static int captureSizes(ServeConfig s) {
        int limit = s.vllmVersion().atLeast(0, 11, 0) ? Math.min(2 * s.maxNumSeqs(), 512) : Math.min(s.maxNumSeqs(), 512);
        limit = Math.min(limit, s.maxNumBatchedTokens());
        int wideStep = s.vllmVersion().atLeast(0, 11, 0) ? 16 : 8;
        int n = 0;
        for (int size = 1; size <= limit; size = nextCaptureSize(size, wideStep)) n++;
        return n;
    }

    private static int nextCaptureSize(int size, int wideStep) {
        if (size < 4) return size * 2;
        if (size < 8) return 8;
        return size < 256 ? size + 8 : size + wideStep;
    }
}
