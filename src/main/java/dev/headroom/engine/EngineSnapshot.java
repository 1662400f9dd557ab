package dev.headroom.engine;

/**
 * The engine's gauges and counters at one instant (the scheduler stats vLLM V1 exports:
 * {@code vllm/v1/metrics/stats.py SchedulerStats} and the iteration counters).
 *
 * @param running              requests in the running queue ({@code vllm:num_requests_running})
 * @param waiting              requests in the waiting queue ({@code vllm:num_requests_waiting})
 * @param kvCacheUsage         fraction of KV blocks in use, 0..1 ({@code vllm:kv_cache_usage_perc})
 * @param preemptions          preemptions since start ({@code vllm:num_preemptions_total})
 * @param promptTokens         prompt tokens computed since start ({@code vllm:prompt_tokens_total})
 * @param generationTokens     output tokens generated since start ({@code vllm:generation_tokens_total})
 * @param prefixCacheQueries   prompt tokens looked up in the prefix cache ({@code vllm:prefix_cache_queries_total})
 * @param prefixCacheHits      of those, tokens found ({@code vllm:prefix_cache_hits_total})
 * @param numGpuBlocks         KV cache blocks in the pool
 * @param blockSize            tokens per block
 */
public record EngineSnapshot(
        int running,
        int waiting,
        double kvCacheUsage,
        long preemptions,
        long promptTokens,
        long generationTokens,
        long prefixCacheQueries,
        long prefixCacheHits,
        int numGpuBlocks,
        int blockSize) {}
