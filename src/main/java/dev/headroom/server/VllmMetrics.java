package dev.headroom.server;

import dev.headroom.engine.EngineSnapshot;
import dev.headroom.engine.FinishedRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * vLLM V1's Prometheus metrics ({@code vllm/v1/metrics/loggers.py PrometheusStatLogger}, v0.10): names, HELP
 * texts, types, labels ({@code model_name}, {@code engine="0"}) and buckets. Gauges and token counters come from
 * the engine's {@link EngineSnapshot}; histograms are fed from token events and finished requests.
 * Also exposes the v0.11 names {@code vllm:inter_token_latency_seconds} and
 * {@code vllm:request_time_per_output_token_seconds} so dashboards for either release find their series.
 */
final class VllmMetrics {

    // loggers.py request_latency_buckets
    private static final double[] LATENCY = {0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0,
            50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};
    private static final double[] TTFT = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0,
            2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
    private static final double[] PER_TOKEN = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0,
            2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0};
    private static final double[] PREFILL_PER_TOKEN = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0};
    private static final double NANOS_PER_SECOND = 1e9;

    private final String labels;
    private final String cacheConfigLabels;
    private final Map<FinishedRequest.FinishReason, LongAdder> success = new LinkedHashMap<>();
    private final Histogram promptTokens;
    private final Histogram generationTokens;
    private final Histogram ttft = new Histogram("vllm:time_to_first_token_seconds",
            "Histogram of time to first token in seconds.", TTFT);
    private final Histogram tpot = new Histogram("vllm:time_per_output_token_seconds",
            "Histogram of time per output token in seconds.", PER_TOKEN);
    private final Histogram itl = new Histogram("vllm:inter_token_latency_seconds",
            "Histogram of inter-token latency in seconds.", PER_TOKEN);
    private final Histogram requestTpot = new Histogram("vllm:request_time_per_output_token_seconds",
            "Histogram of time_per_output_token_seconds per request.", PER_TOKEN);
    private final Histogram prefillPerToken = new Histogram("vllm:time_per_prefill_token_request_seconds",
            "Time spent per token during prefill  phase in seconds", PREFILL_PER_TOKEN);
    private final Histogram e2e = new Histogram("vllm:e2e_request_latency_seconds",
            "Histogram of e2e request latency in seconds.", LATENCY);
    private final Histogram queue = new Histogram("vllm:request_queue_time_seconds",
            "Histogram of time spent in WAITING phase for request.", LATENCY);
    private final Histogram inference = new Histogram("vllm:request_inference_time_seconds",
            "Histogram of time spent in RUNNING phase for request.", LATENCY);
    private final Histogram prefill = new Histogram("vllm:request_prefill_time_seconds",
            "Histogram of time spent in PREFILL phase for request.", LATENCY);
    private final Histogram decode = new Histogram("vllm:request_decode_time_seconds",
            "Histogram of time spent in DECODE phase for request.", LATENCY);

    /**
     * @param servedModelName the {@code model_name} label
     * @param maxModelLen     sets the 1-2-5 token-count buckets
     * @param cacheConfigInfo {@code vllm:cache_config_info} labels (CacheConfig fields as strings)
     */
    VllmMetrics(String servedModelName, int maxModelLen, Map<String, String> cacheConfigInfo) {
        this.labels = PromFormat.labels(Map.of("model_name", servedModelName, "engine", "0"));
        Map<String, String> info = new LinkedHashMap<>(cacheConfigInfo);
        info.put("engine", "0");
        this.cacheConfigLabels = PromFormat.labels(info);
        for (FinishedRequest.FinishReason reason : FinishedRequest.FinishReason.values()) {
            success.put(reason, new LongAdder());
        }
        double[] tokenBuckets = Histogram.oneTwoFive(maxModelLen);
        promptTokens = new Histogram("vllm:request_prompt_tokens", "Number of prefill tokens processed.", tokenBuckets);
        generationTokens = new Histogram("vllm:request_generation_tokens", "Number of generation tokens processed.",
                tokenBuckets);
    }

    /** One gap between consecutive output steps of a request, in engine nanoseconds. */
    void observeTokenGap(long gapNanos) {
        double seconds = gapNanos / NANOS_PER_SECOND;
        tpot.observe(seconds);
        itl.observe(seconds);
    }

    /**
     * A finished request's intervals (loggers.py record: finished_requests). Aborts only count. As in vLLM
     * ({@code vllm/v1/metrics/stats.py}), TTFT and e2e latency count from the API server's arrival, so they include
     * the hand-off to the engine core; queue, prefill, decode and inference are the engine core's own intervals.
     */
    void observeFinished(FinishedRequest f) {
        if (f.firstTokenNanos() > 0 && f.outputTokens() > 0) {
            ttft.observe((f.firstTokenNanos() - f.arrivalNanos()) / NANOS_PER_SECOND);
        }
        success.get(f.reason()).increment();
        if (f.reason() == FinishedRequest.FinishReason.ABORT) return;
        double prefillSeconds = (f.firstTokenNanos() - f.scheduledNanos()) / NANOS_PER_SECOND;
        double decodeSeconds = (f.finishedNanos() - f.firstTokenNanos()) / NANOS_PER_SECOND;
        e2e.observe((f.finishedNanos() - f.arrivalNanos()) / NANOS_PER_SECOND);
        queue.observe((f.scheduledNanos() - f.queuedNanos()) / NANOS_PER_SECOND);
        prefill.observe(prefillSeconds);
        prefillPerToken.observe(prefillSeconds / f.promptTokens());
        inference.observe((f.finishedNanos() - f.scheduledNanos()) / NANOS_PER_SECOND);
        decode.observe(decodeSeconds);
        if (f.outputTokens() > 1) requestTpot.observe(decodeSeconds / (f.outputTokens() - 1));
        promptTokens.observe(f.promptTokens());
        generationTokens.observe(f.outputTokens());
    }

    /** The whole {@code /metrics} page for the engine state {@code now}. */
    String render(EngineSnapshot now) {
        StringBuilder out = new StringBuilder(16_384);
        gauge(out, "vllm:num_requests_running", "Number of requests in model execution batches.", now.running());
        gauge(out, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", now.waiting());
        gauge(out, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", now.kvCacheUsage());
        counter(out, "vllm:prefix_cache_queries",
                "Prefix cache queries, in terms of number of queried tokens.", now.prefixCacheQueries());
        counter(out, "vllm:prefix_cache_hits",
                "Prefix cache hits, in terms of number of cached tokens.", now.prefixCacheHits());
        counter(out, "vllm:num_preemptions", "Cumulative number of preemption from the engine.", now.preemptions());
        counter(out, "vllm:prompt_tokens", "Number of prefill tokens processed.", now.promptTokens());
        counter(out, "vllm:generation_tokens", "Number of generation tokens processed.", now.generationTokens());
        PromFormat.header(out, "vllm:request_success_total", "Count of successfully processed requests.", "counter");
        String open = labels.substring(0, labels.indexOf("model_name"));
        for (Map.Entry<FinishedRequest.FinishReason, LongAdder> e : success.entrySet()) {
            String reason = e.getKey().name().toLowerCase(java.util.Locale.ROOT);
            PromFormat.sample(out, "vllm:request_success_total", open + "finished_reason=\"" + reason + "\","
                    + labels.substring(open.length()), e.getValue().sum());
        }
        for (Histogram h : new Histogram[] {promptTokens, generationTokens, ttft, tpot, itl, requestTpot,
                prefillPerToken, e2e, queue, inference, prefill, decode}) {
            h.render(out, labels);
        }
        PromFormat.header(out, "vllm:cache_config_info", "Information of the LLMEngine CacheConfig", "gauge");
        PromFormat.sample(out, "vllm:cache_config_info", cacheConfigLabels, 1);
        return out.toString();
    }

    private void gauge(StringBuilder out, String name, String help, double value) {
        PromFormat.header(out, name, help, "gauge");
        PromFormat.sample(out, name, labels, value);
    }

    // prometheus_client names a counter family after its _total sample
    private void counter(StringBuilder out, String name, String help, double value) {
        PromFormat.header(out, name + "_total", help, "counter");
        PromFormat.sample(out, name + "_total", labels, value);
    }
}
