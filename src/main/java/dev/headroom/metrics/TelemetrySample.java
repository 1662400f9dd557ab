package dev.headroom.metrics;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The server's gauges and counters at one instant of a load point, under vLLM V1's names. Scraped from
 * {@code /metrics} (older vLLM aliases and llama.cpp's {@code llamacpp:*} mapped onto them) or taken from the
 * simulated engine. A value the server does not expose is NaN.
 *
 * @param tSeconds           seconds since the measured window opened
 * @param kvCacheUsage       fraction 0–1 of KV blocks in use ({@code vllm:kv_cache_usage_perc})
 * @param running            {@code vllm:num_requests_running}
 * @param waiting            {@code vllm:num_requests_waiting}
 * @param preemptions        {@code vllm:num_preemptions_total} since the server started
 * @param prefixCacheHits    {@code vllm:prefix_cache_hits_total} (tokens); llama.cpp's
 *                           {@code prompt_tokens_cached_total}
 * @param prefixCacheQueries {@code vllm:prefix_cache_queries_total} (tokens); llama.cpp's cached plus evaluated
 *                           ({@code prompt_tokens_total}) prompt tokens
 */
public record TelemetrySample(double tSeconds, double kvCacheUsage, double running, double waiting, double preemptions,
                              double prefixCacheHits, double prefixCacheQueries) {

    /** telemetry.csv's columns, in order (the vLLM V1 names without {@code vllm:}). */
    public static final List<String> COLUMNS = List.of("t_s", "kv_cache_usage_perc", "num_requests_running",
            "num_requests_waiting", "num_preemptions_total", "prefix_cache_hits_total", "prefix_cache_queries_total");

    // vLLM 0.9 renamed gpu_cache_usage_perc to kv_cache_usage_perc (vllm/v1/metrics/loggers.py); llama.cpp's
    // tools/server/server.cpp exports kv_cache_usage_ratio, requests_processing and requests_deferred.
    private static final List<String> KV = List.of("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc",
            "llamacpp:kv_cache_usage_ratio");
    private static final List<String> RUNNING = List.of("vllm:num_requests_running", "llamacpp:requests_processing");
    private static final List<String> WAITING = List.of("vllm:num_requests_waiting", "llamacpp:requests_deferred");
    private static final List<String> PREEMPTIONS = List.of("vllm:num_preemptions_total");
    // vLLM 0.9 renamed vllm:gpu_prefix_cache_* to vllm:prefix_cache_*.
    private static final List<String> HITS = List.of("vllm:prefix_cache_hits_total", "vllm:gpu_prefix_cache_hits_total");
    private static final List<String> QUERIES = List.of("vllm:prefix_cache_queries_total", "vllm:gpu_prefix_cache_queries_total");
    // llama.cpp (tools/server/server-task.cpp): prompt tokens evaluated, and those reused from a slot's cache.
    private static final String LLAMA_PROMPT = "llamacpp:prompt_tokens_total";
    private static final String LLAMA_CACHED = "llamacpp:prompt_tokens_cached_total";

    /** The sample a scrape gives at {@code tSeconds}; every value NaN when the exposition has none of them. */
    public static TelemetrySample of(PrometheusExposition e, double tSeconds) {
        double hits = sum(e, HITS);
        double queries = sum(e, QUERIES);
        OptionalDouble cached = e.sum(LLAMA_CACHED);
        OptionalDouble evaluated = e.sum(LLAMA_PROMPT);
        if (Double.isNaN(hits) && cached.isPresent() && evaluated.isPresent()) {
            // llama.cpp's prompt_tokens_total excludes the tokens reused from a slot's cache.
            hits = cached.getAsDouble();
            queries = cached.getAsDouble() + evaluated.getAsDouble();
        }
        return new TelemetrySample(tSeconds, mean(e, KV), sum(e, RUNNING), sum(e, WAITING), sum(e, PREEMPTIONS),
                hits, queries);
    }

    /** Whether the exposition is llama.cpp's ({@code llamacpp:} names): a slot server without preemptions or paged KV. */
    public static boolean llamaCpp(PrometheusExposition e) {
        return e.sum(LLAMA_PROMPT).isPresent() || e.sum("llamacpp:requests_processing").isPresent();
    }

    /** Whether the server exposed any of the gauges or counters. */
    public boolean any() {
        return !(Double.isNaN(kvCacheUsage) && Double.isNaN(running) && Double.isNaN(waiting)
                && Double.isNaN(preemptions) && Double.isNaN(prefixCacheHits));
    }

    /** The same values at another time. */
    public TelemetrySample at(double otherTSeconds) {
        return new TelemetrySample(otherTSeconds, kvCacheUsage, running, waiting, preemptions, prefixCacheHits,
                prefixCacheQueries);
    }

    /** The row's values in {@link #COLUMNS} order, NaN where the server exposes nothing. */
    public double[] values() {
        return new double[] {tSeconds, kvCacheUsage, running, waiting, preemptions, prefixCacheHits, prefixCacheQueries};
    }

    /** The first name present, summed over its label sets (every engine). */
    private static double sum(PrometheusExposition e, List<String> names) {
        for (String n : names) {
            OptionalDouble v = e.sum(n);
            if (v.isPresent()) return v.getAsDouble();
        }
        return Double.NaN;
    }

    /** The first name present, averaged over its label sets (a fraction per engine). */
    private static double mean(PrometheusExposition e, List<String> names) {
        for (String n : names) {
            var samples = e.samples(n);
            if (!samples.isEmpty()) return samples.stream().mapToDouble(PrometheusExposition.Sample::value).average().orElseThrow();
        }
        return Double.NaN;
    }
}
