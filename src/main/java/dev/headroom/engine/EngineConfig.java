package dev.headroom.engine;

import dev.headroom.plan.MemoryPlan;
import dev.headroom.spec.ServeConfig;
import dev.headroom.spec.ServingSetup;

/**
 * The scheduler and KV-cache settings of one simulated vLLM V1 engine, under vLLM's own names.
 *
 * @param numGpuBlocks              KV cache blocks in the pool, including vLLM's reserved null block
 * @param blockSize                 tokens per block ({@code --block-size}, vLLM default 16)
 * @param maxNumSeqs                most requests in the running queue ({@code --max-num-seqs})
 * @param maxNumBatchedTokens       token budget of one step ({@code --max-num-batched-tokens})
 * @param maxModelLen               most tokens (prompt + output) in one request ({@code --max-model-len})
 * @param enablePrefixCaching       reuse full KV blocks with equal chained hashes
 * @param enableChunkedPrefill      let a prompt be computed over several steps
 * @param longPrefillTokenThreshold cap on one request's tokens per step; 0 means none (vLLM's default with
 *                                  {@code --max-num-partial-prefills 1})
 * @param vocabSize                 the model's vocabulary size (token ids of simulated output)
 */
public record EngineConfig(
        int numGpuBlocks,
        int blockSize,
        int maxNumSeqs,
        int maxNumBatchedTokens,
        int maxModelLen,
        boolean enablePrefixCaching,
        boolean enableChunkedPrefill,
        int longPrefillTokenThreshold,
        int vocabSize) {

    /** vLLM's {@code CacheConfig.DEFAULT_BLOCK_SIZE}. */
    public static final int DEFAULT_BLOCK_SIZE = 16;

    public EngineConfig {
        positive("--block-size", blockSize);
        positive("--max-num-seqs", maxNumSeqs);
        positive("--max-num-batched-tokens", maxNumBatchedTokens);
        positive("--max-model-len", maxModelLen);
        if (longPrefillTokenThreshold < 0) {
            throw new IllegalArgumentException("long_prefill_token_threshold must be >= 0, was "
                    + longPrefillTokenThreshold);
        }
        if (vocabSize < SimTokenizer.MIN_VOCAB_SIZE) {
            throw new IllegalArgumentException("vocab_size must be at least " + SimTokenizer.MIN_VOCAB_SIZE
                    + ", was " + vocabSize);
        }
        // vllm/config/scheduler.py: SchedulerConfig._verify_args
        if (maxNumBatchedTokens < maxNumSeqs) {
            throw new IllegalArgumentException("max_num_batched_tokens (" + maxNumBatchedTokens
                    + ") must be greater than or equal to max_num_seqs (" + maxNumSeqs + ").");
        }
        if (!enableChunkedPrefill && maxNumBatchedTokens < maxModelLen) {
            throw new IllegalArgumentException("max_num_batched_tokens (" + maxNumBatchedTokens
                    + ") is smaller than max_model_len (" + maxModelLen + "). This effectively limits the maximum "
                    + "sequence length to max_num_batched_tokens and makes vLLM reject longer sequences. "
                    + "Please increase max_num_batched_tokens or decrease max_model_len.");
        }
        int blocksPerFullRequest = Math.ceilDiv(maxModelLen, blockSize);
        // vllm/v1/core/kv_cache_utils.py _check_enough_kv_cache_memory: one max-length request must fit
        // (block 0 is the null block, so usable blocks are numGpuBlocks - 1).
        if (numGpuBlocks - 1 < blocksPerFullRequest) {
            throw new IllegalArgumentException("num_gpu_blocks (" + numGpuBlocks + ") cannot hold one request of "
                    + "max_model_len " + maxModelLen + ": needs at least " + (blocksPerFullRequest + 1) + " blocks");
        }
    }

    /**
     * The engine vLLM would run for {@code setup}, with the KV block count from the planner.
     *
     * @throws IllegalArgumentException with vLLM's start-up error when the plan does not fit
     */
    public static EngineConfig from(ServingSetup setup, MemoryPlan plan) {
        if (!plan.fits()) throw new IllegalArgumentException(plan.error());
        ServeConfig s = setup.serve();
        int blocks = (int) Math.min(Integer.MAX_VALUE, plan.numGpuBlocks());
        return new EngineConfig(blocks, s.blockSize(), s.maxNumSeqs(), s.maxNumBatchedTokens(), s.maxModelLen(),
                s.enablePrefixCaching(), s.enableChunkedPrefill(), 0, setup.model().vocabSize());
    }

    /** Usable KV cache capacity in tokens (the null block excluded). */
    public long kvCacheTokens() {
        return (long) (numGpuBlocks - 1) * blockSize;
    }

    private static void positive(String option, int value) {
        if (value < 1) throw new IllegalArgumentException(option + " must be at least 1, was " + value);
    }
}
