package dev.headroom.plan;

import dev.headroom.spec.ModelSpec;
import dev.headroom.spec.ServeConfig;
import dev.headroom.spec.ServingSetup;

/**
 * vLLM V1's KV cache geometry on one GPU (vllm/v1/kv_cache_interface.py, vllm/v1/core/kv_cache_utils.py):
 * one KV cache group holding every layer, each layer a tensor of {@code numBlocks × pageSizeBytes}.
 *
 * @param numLayers          attention layers (all in one group)
 * @param blockSize          tokens per block
 * @param pageSizeBytes      bytes of one block in one layer
 * @param slidingWindow      tokens of the attention window, 0 for full attention
 */
public record KvCacheLayout(int numLayers, int blockSize, long pageSizeBytes, int slidingWindow) {

    /** The layout for a setup: KV heads per GPU under tensor parallelism, KV dtype, MLA and sliding window. */
    public static KvCacheLayout of(ServingSetup setup) {
        ModelSpec m = setup.model();
        ServeConfig s = setup.serve();
        long bytes = s.kvCacheDtypeBytes();
        long page = m.isMla()
                // MLAAttentionSpec: one latent vector (kv_lora_rank + qk_rope_head_dim) per token, no K/V pair.
                ? (long) s.blockSize() * m.headDim() * bytes
                // AttentionSpec.page_size_bytes = 2 * block_size * num_kv_heads * head_size * dtype_size.
                : 2L * s.blockSize() * m.kvHeadsPerGpu(s.tensorParallelSize()) * m.headDim() * bytes;
        return new KvCacheLayout(m.numHiddenLayers(), s.blockSize(), page, m.slidingWindow());
    }

    /** Bytes of one block across all layers: what one block of {@code blockSize} tokens costs. */
    public long bytesPerBlock() {
        return pageSizeBytes * numLayers;
    }

    /** KV bytes per token across all layers on this GPU. */
    public double bytesPerToken() {
        return (double) bytesPerBlock() / blockSize;
    }

    /** get_num_blocks: {@code int(available_memory // page_size // num_layers)}, never negative. */
    public long numBlocks(long availableBytes) {
        if (availableBytes <= 0) return 0;
        return availableBytes / pageSizeBytes / numLayers;
    }

    /**
     * Blocks one request of {@code maxModelLen} tokens may hold in one layer ({@code max_memory_usage_bytes}
     * / page size): {@code cdiv(max_model_len, block_size)} for full attention; for a sliding window
     * {@code cdiv(min(window - 1 + max_num_batched_tokens, max_model_len), block_size) + 1} (SlidingWindowSpec).
     */
    public long blocksPerRequest(int maxModelLen, int maxNumBatchedTokens) {
        if (slidingWindow > 0) {
            long tokens = Math.min((long) slidingWindow - 1 + maxNumBatchedTokens, maxModelLen);
            return Math.ceilDiv(tokens, blockSize) + 1;
        }
        return Math.ceilDiv(maxModelLen, blockSize);
    }

    /** Bytes one request of {@code maxModelLen} tokens needs across all layers (the startup check). */
    public long bytesPerRequest(int maxModelLen, int maxNumBatchedTokens) {
        return blocksPerRequest(maxModelLen, maxNumBatchedTokens) * bytesPerBlock();
    }

    /**
     * estimate_max_model_len: the longest max_model_len whose one request fits in {@code availableBytes}; the
     * binary search in kv_cache_utils.py lands on a whole number of blocks. 0 when not even one block fits.
     */
    public int estimatedMaxModelLen(long availableBytes, int maxModelLen, int maxNumBatchedTokens) {
        int lo = 0;
        int hi = maxModelLen;
        while (lo < hi) {
            int mid = lo + (hi - lo + 1) / 2;
            if (bytesPerRequest(mid, maxNumBatchedTokens) <= availableBytes) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}
