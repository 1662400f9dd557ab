package dev.headroom.plan;

import dev.headroom.spec.ServeConfig;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.Units;
import java.util.Locale;

/** One plain sentence on what bounds a configuration and which knob to turn. */
final class Explainer {

    private Explainer() {}

    static String explain(ServingSetup setup, MemoryPlan p, KvCacheLayout layout) {
        ServeConfig s = setup.serve();
        String e = p.error();
        if (e == null) return fits(setup, p, layout);
        if (e.startsWith("User-specified max_model_len")) {
            return "The model's config allows at most " + setup.model().maxPositionEmbeddings()
                    + " tokens; lower --max-model-len to " + setup.model().maxPositionEmbeddings() + " or less.";
        }
        if (e.startsWith("Total number of attention heads")) {
            return "Tensor parallelism splits attention heads evenly; use a --tensor-parallel-size that divides "
                    + setup.model().numAttentionHeads() + ".";
        }
        if (e.startsWith("max_num_batched_tokens") && e.contains("max_num_seqs")) {
            return "Each step must fit one token per sequence; raise --max-num-batched-tokens to at least "
                    + s.maxNumSeqs() + " or lower --max-num-seqs to " + s.maxNumBatchedTokens() + ".";
        }
        if (e.startsWith("max_num_batched_tokens")) {
            return "Without chunked prefill a whole prompt must fit one step; raise --max-num-batched-tokens to "
                    + s.maxModelLen() + " or enable chunked prefill.";
        }
        if (e.startsWith("Bfloat16")) {
            return setup.gpu().deviceName() + " has no bfloat16; pass --dtype half.";
        }
        if (e.startsWith("Free memory")) {
            double most = (setup.gpu().totalMemoryGib() - Overheads.CUDA_CONTEXT_GIB) / setup.gpu().totalMemoryGib();
            return String.format(Locale.ROOT, "The budget asks for more than the free memory after the CUDA context; "
                    + "lower --gpu-memory-utilization to %.2f or less.", Math.floor(most * 100) / 100);
        }
        if (e.startsWith("CUDA out of memory")) {
            return "The weights alone exceed the GPU; use a quantized checkpoint (AWQ/GPTQ/FP8), a smaller model, "
                    + "--tensor-parallel-size 2 or a larger GPU.";
        }
        if (e.startsWith("No available memory")) {
            return String.format(Locale.ROOT, "Weights (%.2f GiB) and the profile run (%.2f GiB) use up the %.2f GiB "
                    + "budget; raise --gpu-memory-utilization, lower --max-num-batched-tokens/--max-num-seqs, or use "
                    + "a quantized model or --tensor-parallel-size 2.", p.weightsGib(), p.activationPeakGib() + p.nonTorchGib(),
                    p.requestedGib());
        }
        int fitting = (int) Math.min(s.maxModelLen(), p.numGpuBlocks() * s.blockSize());
        return String.format(Locale.ROOT, "One request of %d tokens needs %.2f GiB of KV cache but %.2f GiB is left; "
                + "lower --max-model-len to %d or raise --gpu-memory-utilization.", s.maxModelLen(),
                Units.gib(layout.bytesPerRequest(s.maxModelLen(), s.maxNumBatchedTokens())), p.kvCacheGib(),
                s.vllmVersion().isV1() ? layout.estimatedMaxModelLen((long) (p.kvCacheGib() * Units.GIB),
                        s.maxModelLen(), s.maxNumBatchedTokens()) : fitting);
    }

    private static String fits(ServingSetup setup, MemoryPlan p, KvCacheLayout layout) {
        ServeConfig s = setup.serve();
        double c = p.maxConcurrency();
        if (c >= s.maxNumSeqs()) {
            return String.format(Locale.ROOT, "KV cache holds %.1f requests of %d tokens, more than --max-num-seqs %d, "
                    + "so the batch limit binds before memory; raise --max-num-seqs to use the spare cache.",
                    c, s.maxModelLen(), s.maxNumSeqs());
        }
        int shorter = Integer.highestOneBit(Math.max(1, s.maxModelLen() / 4));
        if (shorter >= 1024) {
            long atShorter = p.numGpuBlocks() / layout.blocksPerRequest(shorter, s.maxNumBatchedTokens());
            return String.format(Locale.ROOT, "KV cache holds %.1f requests of %d tokens; lower --max-model-len to %d "
                    + "for %d concurrent.", c, s.maxModelLen(), shorter, Math.min(atShorter, s.maxNumSeqs()));
        }
        return String.format(Locale.ROOT, "KV cache holds %.1f requests of %d tokens; raise --gpu-memory-utilization "
                + "or use --kv-cache-dtype fp8 for more.", c, s.maxModelLen());
    }
}
