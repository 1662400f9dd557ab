package dev.headroom.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The server's own view of a run, from its Prometheus {@code /metrics} scraped before and after (as vLLM bench
 * does for speculative decoding): counter deltas under vLLM V1 names (vllm/v1/metrics/loggers.py), written to
 * summary.json with a {@code server_} prefix. A server without {@code /metrics} simply yields nothing.
 */
public final class ServerMetrics {

    /** The scrape timeout when none is given: short, so a missing endpoint never delays a run. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private ServerMetrics() {
    }

    /** The {@code /metrics} URL of an OpenAI base URL ({@code http://host:8000} or {@code http://host:8000/v1}). */
    public static URI metricsUri(String baseUrl) {
        String base = baseUrl.strip();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        if (base.endsWith("/v1")) base = base.substring(0, base.length() - 3);
        return URI.create(base + "/metrics");
    }

    /**
     * Scrapes {@code metricsUrl}; returns {@link PrometheusExposition#EMPTY} when the server has no such endpoint,
     * cannot be reached within {@code timeout}, or answers with something that is not the text format.
     */
    public static PrometheusExposition scrape(HttpClient client, URI metricsUrl, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(metricsUrl).timeout(timeout).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) return PrometheusExposition.EMPTY;
            return PrometheusText.parse(response.body());
        } catch (IOException | IllegalArgumentException e) {
            return PrometheusExposition.EMPTY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PrometheusExposition.EMPTY;
        }
    }

    /** Scrapes the {@code /metrics} of {@code baseUrl} with a fresh client and {@link #DEFAULT_TIMEOUT}. */
    public static PrometheusExposition scrape(String baseUrl) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT).build();
        return scrape(client, metricsUri(baseUrl), DEFAULT_TIMEOUT);
    }

    /**
     * What the server did between two scrapes, for summary.json: {@code server_preemptions},
     * {@code server_prompt_tokens}, {@code server_generation_tokens}, {@code server_requests_finished},
     * {@code server_prefix_cache_queries}/{@code _hits}/{@code _hit_rate} (tokens), and the mean per-request
     * {@code server_mean_{queue,prefill,decode,inference}_time_ms} from histogram sums and counts; plus
     * {@code server_num_gpu_blocks} and {@code server_block_size} from {@code vllm:cache_config_info}. A key is
     * present only when both scrapes have its metric; a counter that went down (server restart) counts from 0.
     */
    public static Map<String, Object> delta(PrometheusExposition before, PrometheusExposition after) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (before.isEmpty() || after.isEmpty()) return m;
        counter(m, "server_preemptions", before, after, "vllm:num_preemptions_total");
        counter(m, "server_prompt_tokens", before, after, "vllm:prompt_tokens_total");
        counter(m, "server_generation_tokens", before, after, "vllm:generation_tokens_total");
        counter(m, "server_requests_finished", before, after, "vllm:request_success_total");
        // vLLM 0.9 renamed vllm:gpu_prefix_cache_* to vllm:prefix_cache_*; prefer the new name.
        String prefix = after.sum("vllm:prefix_cache_queries_total").isPresent()
                ? "vllm:prefix_cache_" : "vllm:gpu_prefix_cache_";
        OptionalDouble queries = increase(before, after, prefix + "queries_total");
        OptionalDouble hits = increase(before, after, prefix + "hits_total");
        if (queries.isPresent() && hits.isPresent()) {
            m.put("server_prefix_cache_queries", (long) queries.getAsDouble());
            m.put("server_prefix_cache_hits", (long) hits.getAsDouble());
            m.put("server_prefix_cache_hit_rate", queries.getAsDouble() > 0 ? hits.getAsDouble() / queries.getAsDouble() : null);
        }
        meanMs(m, "server_mean_queue_time_ms", before, after, "vllm:request_queue_time_seconds");
        meanMs(m, "server_mean_prefill_time_ms", before, after, "vllm:request_prefill_time_seconds");
        meanMs(m, "server_mean_decode_time_ms", before, after, "vllm:request_decode_time_seconds");
        meanMs(m, "server_mean_inference_time_ms", before, after, "vllm:request_inference_time_seconds");
        cacheConfig(m, after);
        return m;
    }

    private static void counter(Map<String, Object> m, String key, PrometheusExposition before,
                                PrometheusExposition after, String name) {
        increase(before, after, name).ifPresent(v -> m.put(key, (long) v));
    }

    private static OptionalDouble increase(PrometheusExposition before, PrometheusExposition after, String name) {
        OptionalDouble b = before.sum(name);
        OptionalDouble a = after.sum(name);
        if (b.isEmpty() || a.isEmpty()) return OptionalDouble.empty();
        double d = a.getAsDouble() - b.getAsDouble();
        return OptionalDouble.of(d < 0 ? a.getAsDouble() : d);
    }

    private static void meanMs(Map<String, Object> m, String key, PrometheusExposition before,
                               PrometheusExposition after, String histogram) {
        OptionalDouble sum = increase(before, after, histogram + "_sum");
        OptionalDouble count = increase(before, after, histogram + "_count");
        if (sum.isPresent() && count.isPresent() && count.getAsDouble() > 0) {
            m.put(key, 1000 * sum.getAsDouble() / count.getAsDouble());
        }
    }

    private static void cacheConfig(Map<String, Object> m, PrometheusExposition after) {
        for (PrometheusExposition.Sample s : after.samples("vllm:cache_config_info")) {
            integerLabel(m, "server_num_gpu_blocks", s.labels().get("num_gpu_blocks"));
            integerLabel(m, "server_block_size", s.labels().get("block_size"));
            return;
        }
    }

    private static void integerLabel(Map<String, Object> m, String key, String value) {
        if (value != null && value.matches("\\d+")) m.put(key, Long.parseLong(value));
    }
}
