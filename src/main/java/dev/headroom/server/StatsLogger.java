package dev.headroom.server;

import dev.headroom.engine.EngineSnapshot;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * vLLM's periodic stats line ({@code vllm/v1/metrics/loggers.py LoggingStatLogger.log}): throughput over the
 * interval, queue sizes, KV cache usage and prefix cache hit rate. Like vLLM, stays quiet (DEBUG) while idle.
 * The hit rate is over all queries since start, which equals vLLM's window of the last 1,000 requests until
 * that many have run.
 */
final class StatsLogger {

    private final Supplier<EngineSnapshot> snapshots;
    private final VllmLog log;
    private EngineSnapshot last;
    private long lastNanos;
    private double lastPromptThroughput;
    private double lastGenerationThroughput;

    StatsLogger(Supplier<EngineSnapshot> snapshots, VllmLog log, long nowNanos) {
        this.snapshots = snapshots;
        this.log = log;
        this.last = snapshots.get();
        this.lastNanos = nowNanos;
    }

    /** Logs one interval ending at {@code nowNanos} (System.nanoTime); returns the line, or null when idle. */
    synchronized String tick(long nowNanos) {
        EngineSnapshot now = snapshots.get();
        double seconds = (nowNanos - lastNanos) / 1e9;
        double prompt = seconds <= 0 ? 0 : (now.promptTokens() - last.promptTokens()) / seconds;
        double generation = seconds <= 0 ? 0 : (now.generationTokens() - last.generationTokens()) / seconds;
        boolean idle = prompt == 0 && generation == 0 && lastPromptThroughput == 0 && lastGenerationThroughput == 0;
        last = now;
        lastNanos = nowNanos;
        lastPromptThroughput = prompt;
        lastGenerationThroughput = generation;
        if (idle) return null;
        double hitRate = now.prefixCacheQueries() == 0 ? 0 : (double) now.prefixCacheHits() / now.prefixCacheQueries();
        String line = String.format(Locale.ROOT, "Engine 000: Avg prompt throughput: %.1f tokens/s, "
                        + "Avg generation throughput: %.1f tokens/s, Running: %d reqs, Waiting: %d reqs, "
                        + "GPU KV cache usage: %.1f%%, Prefix cache hit rate: %.1f%%",
                prompt, generation, now.running(), now.waiting(), now.kvCacheUsage() * 100, hitRate * 100);
        log.info(VllmLog.Site.STATS, line);
        return line;
    }
}
