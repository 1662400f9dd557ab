package dev.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryTest {

    private static TelemetrySample scrape(String text, double t) {
        return TelemetrySample.of(PrometheusText.parse(text), t);
    }

    /** llama-server 80fb11a's /metrics, as it answered during a run (counters and gauges only). */
    private static String llamaCpp(int prompt, int cached, int processing, int deferred) {
        return """
                # HELP llamacpp:prompt_tokens_total Number of prompt tokens processed, excluding cached tokens
                # TYPE llamacpp:prompt_tokens_total counter
                llamacpp:prompt_tokens_total %d
                llamacpp:prompt_tokens_cached_total %d
                llamacpp:prompt_seconds_total 12.5
                llamacpp:tokens_predicted_total 640
                llamacpp:tokens_predicted_seconds_total 61.2
                llamacpp:n_decode_total 301
                llamacpp:n_tokens_max 544
                llamacpp:spec_decode_num_draft_tokens_total 0
                llamacpp:prompt_tokens_seconds 410.2
                llamacpp:predicted_tokens_seconds 10.5
                llamacpp:requests_processing %d
                llamacpp:requests_deferred %d
                llamacpp:n_busy_slots_per_decode 3.7
                """.formatted(prompt, cached, processing, deferred);
    }

    @Test
    void aSlotServersDeferredRequestsWaitItsBusySlotsRunAndItsCachedTokensAreItsHitRate() {
        Telemetry t = new Telemetry(List.of(scrape(llamaCpp(1000, 0, 4, 0), 0), scrape(llamaCpp(2600, 400, 4, 7), 1),
                scrape(llamaCpp(4000, 1000, 4, 8), 2)));
        Map<String, Object> s = t.summary(-1);
        assertThat(s).containsEntry("num_requests_running_max", 4.0).containsEntry("num_requests_waiting_max", 8.0)
                .containsEntry("num_requests_waiting_mean", 5.0);
        // 1,000 of the 4,000 prompt tokens seen in the window (3,000 evaluated + 1,000 cached) came from the cache.
        assertThat((Double) s.get("server_prefix_cache_hit_rate")).isEqualTo(0.25);
        assertThat(s.get("server_preemptions")).as("llama.cpp has no preemption counter: not measured, not 0").isNull();
        assertThat(TelemetrySample.llamaCpp(PrometheusText.parse(llamaCpp(0, 0, 0, 0))))
                .as("so a run does not read its log's count of vLLM warnings as 0 preemptions").isTrue();
        assertThat(s.get("kv_cache_usage_max")).as("this llama.cpp exposes no KV usage").isNull();
    }

    @Test
    void vllmCurrentNamesOlderAliasesAndLlamaCppMapOntoTheSameKeys() {
        TelemetrySample v1 = scrape("""
                vllm:kv_cache_usage_perc{engine="0"} 0.5
                vllm:num_requests_running{engine="0"} 7
                vllm:num_requests_waiting{engine="0"} 2
                vllm:num_preemptions_total{engine="0"} 3
                vllm:prefix_cache_hits_total{engine="0"} 10
                vllm:prefix_cache_queries_total{engine="0"} 40
                """, 1);
        assertThat(v1).isEqualTo(new TelemetrySample(1, 0.5, 7, 2, 3, 10, 40));
        TelemetrySample old = scrape("""
                vllm:gpu_cache_usage_perc 0.25
                vllm:gpu_prefix_cache_hits_total 1
                vllm:gpu_prefix_cache_queries_total 4
                """, 2);
        assertThat(old.kvCacheUsage()).isEqualTo(0.25);
        assertThat(old.prefixCacheQueries()).isEqualTo(4);
        assertThat(old.running()).isNaN();
        TelemetrySample llama = scrape("""
                llamacpp:kv_cache_usage_ratio 0.75
                llamacpp:requests_processing 4
                llamacpp:requests_deferred 1
                """, 3);
        assertThat(llama.kvCacheUsage()).isEqualTo(0.75);
        assertThat(llama.running()).isEqualTo(4);
        assertThat(llama.waiting()).isEqualTo(1);
        assertThat(scrape("http_requests_total 3\n", 0).any()).isFalse();
    }

    @Test
    void summaryIsMaxMeanAndCounterIncreaseOverTheWindow(@TempDir Path dir) throws IOException {
        Telemetry t = new Telemetry(List.of(new TelemetrySample(0, 0.1, 0, 0, 5, 0, 0),
                new TelemetrySample(0.5, 0.9, 8, 3, 7, 30, 100), new TelemetrySample(1, 0.2, 2, 0, 9, 50, 200)));
        Map<String, Object> s = t.summary(-1);
        assertThat((Double) s.get("kv_cache_usage_max")).isEqualTo(0.9);
        assertThat((Double) s.get("kv_cache_usage_mean")).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s).containsEntry("num_requests_running_max", 8.0).containsEntry("num_requests_waiting_max", 3.0)
                .containsEntry("server_preemptions", 4L).containsEntry("server_prefix_cache_hit_rate", 0.25);
        Map<String, Object> none = Telemetry.NONE.summary(-1);
        assertThat(none).containsEntry("kv_cache_usage_max", null).containsEntry("server_preemptions", null);
        assertThat(new Telemetry(List.of(new TelemetrySample(0, 0.5, 1, 0, Double.NaN, Double.NaN, Double.NaN)))
                .summary(12)).containsEntry("server_preemptions", 12L);
    }

    @Test
    void v0PreemptionWarningsAreCountedFromTheMarkOn(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("server.log");
        String warning = "WARNING 11-29 10:00:00 [scheduler.py:1754] Sequence group cmpl-1-0 is preempted by "
                + "PreemptionMode.RECOMPUTE mode because there is not enough KV cache space. This can affect the end-to-end "
                + "performance. Increase gpu_memory_utilization or tensor_parallel_size to provide more KV cache memory. "
                + "total_num_cumulative_preemption=";
        Files.writeString(log, "INFO start\n" + warning + "1\n");
        PreemptionLog mark = PreemptionLog.mark(log);
        assertThat(mark.countSinceMark()).isZero();
        Files.writeString(log, warning + "51\n" + warning + "101\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(mark.countSinceMark()).isEqualTo(100);
    }
}
