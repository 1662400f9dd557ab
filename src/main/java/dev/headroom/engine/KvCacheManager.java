package dev.headroom.engine;

/**
 * vLLM V1's KV cache manager for one full-attention group ({@code vllm/v1/core/kv_cache_manager.py} with
 * {@code single_type_kv_cache_manager.py}): prefix-cache lookup, slot allocation, caching of full blocks and
 * freeing, plus the prefix-cache counters ({@code vllm/v1/metrics/stats.py PrefixCacheStats}).
 */
final class KvCacheManager {

    private final BlockPool pool;
    private final int blockSize;
    private final int maxModelLen;
    private final boolean enableCaching;
    private final int[] hitBlocks;
    private int numHitBlocks;
    private long queries;
    private long hits;

    KvCacheManager(EngineConfig config) {
        this.pool = new BlockPool(config.numGpuBlocks(), config.enablePrefixCaching());
        this.blockSize = config.blockSize();
        this.maxModelLen = config.maxModelLen();
        this.enableCaching = config.enablePrefixCaching();
        this.hitBlocks = new int[Math.ceilDiv(config.maxModelLen() + 1, config.blockSize()) + 1];
    }

    /**
     * {@code get_computed_blocks}: the longest run of cached full blocks from the start of the request, capped at
     * {@code num_tokens - 1} so the last token is recomputed. Remembers the hit blocks for the next
     * {@link #allocateSlots} and counts the lookup (new requests only, as vLLM exports it).
     *
     * @return the number of prompt tokens found in the cache (a multiple of the block size)
     */
    int getComputedBlocks(RequestState req) {
        numHitBlocks = 0;
        if (!enableCaching) return 0;
        int maxHitBlocks = Math.min((req.numTokens - 1) / blockSize, req.numFullBlockHashes());
        while (numHitBlocks < maxHitBlocks) {
            int block = pool.cachedBlock(req.blockHash(numHitBlocks));
            if (block < 0) break;
            hitBlocks[numHitBlocks++] = block;
        }
        int hitTokens = numHitBlocks * blockSize;
        // PrefixCacheStats.record(num_tokens, num_hits, preempted): preempted requests are kept apart.
        if (!req.wasPreempted()) {
            queries += req.numTokens;
            hits += hitTokens;
        }
        return hitTokens;
    }

    /**
     * {@code allocate_slots}: makes room for {@code numNewTokens} more tokens after the computed ones (and after
     * {@code numHitTokens} prefix-cache hits from the last {@link #getComputedBlocks}); caches blocks that become
     * full. Returns false, changing nothing, when the pool has too few free blocks.
     */
    boolean allocateSlots(RequestState req, int numNewTokens, int numHitTokens) {
        int numHits = numHitTokens / blockSize;
        int numComputed = req.numComputedTokens + numHitTokens;
        int numTokensNeedSlot = Math.min(numComputed + numNewTokens, maxModelLen);
        int numRequired = Math.ceilDiv(numTokensNeedSlot, blockSize);
        int numNewBlocks = Math.max(0, numRequired - numHits - req.numBlocks());
        int numEvictableHits = 0;
        for (int i = 0; i < numHits; i++) {
            if (pool.refCnt(hitBlocks[i]) == 0) numEvictableHits++;
        }
        if (numNewBlocks + numEvictableHits > pool.numFreeBlocks()) return false;
        for (int i = 0; i < numHits; i++) {
            pool.touch(hitBlocks[i]);
            req.addBlock(hitBlocks[i]);
        }
        req.numCachedBlocks += numHits;
        pool.allocateInto(req, numNewBlocks);
        if (enableCaching) cacheBlocks(req, Math.min(numComputed + numNewTokens, req.numTokens));
        return true;
    }

    /** Frees a finished or preempted request's blocks, tail first, so its last blocks are evicted first. */
    void free(RequestState req) {
        for (int i = req.numBlocks() - 1; i >= 0; i--) pool.free(req.block(i));
        req.clearBlocks();
    }

    double usage() {
        return pool.usage();
    }

    int numFreeBlocks() {
        return pool.numFreeBlocks();
    }

    long prefixCacheQueries() {
        return queries;
    }

    long prefixCacheHits() {
        return hits;
    }

    BlockPool pool() {
        return pool;
    }

    private void cacheBlocks(RequestState req, int numTokens) {
        int numFull = Math.min(numTokens / blockSize, req.numFullBlockHashes());
        for (int i = req.numCachedBlocks; i < numFull; i++) {
            pool.cacheFullBlock(req.block(i), req.blockHash(i));
        }
        if (numFull > req.numCachedBlocks) req.numCachedBlocks = numFull;
    }
}
