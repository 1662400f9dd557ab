package dev.headroom.engine;

import java.util.HashMap;

/**
 * vLLM V1's KV block pool ({@code vllm/v1/core/block_pool.py}): blocks with reference counts, a free queue in
 * eviction (LRU) order, and the map from a full block's chained hash to the block that holds it.
 *
 * <p>Free blocks with a hash stay cached until they are taken from the head of the free queue. Block 0 is the
 * null block and is never handed out. When two requests cache the same hash, the map keeps the first block (vLLM
 * keeps both under one hash; the difference only matters once that first copy is evicted).
 */
final class BlockPool {

    private static final int NONE = -1;

    private final int numGpuBlocks;
    private final boolean enableCaching;
    private final int[] refCnt;
    private final long[] blockHash;
    private final boolean[] hashed;
    private final int[] prev;
    private final int[] next;
    private final HashMap<Long, Integer> cachedHashToBlock = new HashMap<>();
    private int head = NONE;
    private int tail = NONE;
    private int numFree;

    BlockPool(int numGpuBlocks, boolean enableCaching) {
        this.numGpuBlocks = numGpuBlocks;
        this.enableCaching = enableCaching;
        refCnt = new int[numGpuBlocks];
        blockHash = new long[numGpuBlocks];
        hashed = new boolean[numGpuBlocks];
        prev = new int[numGpuBlocks];
        next = new int[numGpuBlocks];
        for (int b = 0; b < numGpuBlocks; b++) append(b);
        // BlockPool.__init__: self.null_block = self.free_block_queue.popleft()
        int nullBlock = popLeft();
        refCnt[nullBlock] = 1;
    }

    /** Blocks that can be allocated now, cached-but-idle ones included. */
    int numFreeBlocks() {
        return numFree;
    }

    int numGpuBlocks() {
        return numGpuBlocks;
    }

    /** vLLM's {@code get_usage()}: {@code 1 - free / (num_gpu_blocks - 1)}, the null block excluded. */
    double usage() {
        return 1.0 - (double) numFree / (numGpuBlocks - 1);
    }

    /** Takes {@code n} blocks from the head of the free queue (evicting their cached hashes) into {@code req}. */
    void allocateInto(RequestState req, int n) {
        if (n > numFree) throw new IllegalStateException("cannot get " + n + " free blocks from the pool");
        for (int i = 0; i < n; i++) {
            int b = popLeft();
            if (hashed[b]) evict(b);
            refCnt[b] = 1;
            req.addBlock(b);
        }
    }

    /** The block caching {@code hash}, or -1. */
    int cachedBlock(long hash) {
        Integer b = cachedHashToBlock.get(hash);
        return b == null ? NONE : b;
    }

    int refCnt(int block) {
        return refCnt[block];
    }

    /** A prefix-cache hit: one more reference, out of the free queue if it was idle. */
    void touch(int block) {
        if (refCnt[block] == 0) remove(block);
        refCnt[block]++;
    }

    /** Drops one reference; an unreferenced block goes to the tail of the free queue (keeping its hash). */
    void free(int block) {
        if (refCnt[block] <= 0) throw new IllegalStateException("block " + block + " freed twice");
        if (--refCnt[block] == 0) append(block);
    }

    /** Records a now-full block under its chained hash ({@code cache_full_blocks}). */
    void cacheFullBlock(int block, long hash) {
        if (!enableCaching || hashed[block]) return;
        hashed[block] = true;
        blockHash[block] = hash;
        cachedHashToBlock.putIfAbsent(hash, block);
    }

    private void evict(int block) {
        hashed[block] = false;
        cachedHashToBlock.remove(blockHash[block], block);
    }

    private void append(int b) {
        prev[b] = tail;
        next[b] = NONE;
        if (tail == NONE) head = b;
        else next[tail] = b;
        tail = b;
        numFree++;
    }

    private int popLeft() {
        int b = head;
        remove(b);
        return b;
    }

    private void remove(int b) {
        if (prev[b] == NONE) head = next[b];
        else next[prev[b]] = next[b];
        if (next[b] == NONE) tail = prev[b];
        else prev[next[b]] = prev[b];
        prev[b] = NONE;
        next[b] = NONE;
        numFree--;
    }
}
