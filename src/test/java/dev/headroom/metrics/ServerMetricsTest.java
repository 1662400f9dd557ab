package dev.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {

    private static final String BEFORE = """
            # TYPE vllm:num_preemptions counter
            vllm:num_preemptions_total{engine="0"} 2.0
            # TYPE vllm:prompt_tokens counter
            vllm:prompt_tokens_total{engine="0"} 1000.0
            # TYPE vllm:generation_tokens counter
            vllm:generation_tokens_total{engine="0"} 500.0
            # TYPE vllm:request_success counter
            vllm:request_success_total{finished_reason="stop"} 4.0
            vllm:request_success_total{finished_reason="length"} 1.0
            # TYPE vllm:prefix_cache_queries counter
            vllm:prefix_cache_queries_total 800.0
            # TYPE vllm:prefix_cache_hits counter
            vllm:prefix_cache_hits_total 100.0
            # TYPE vllm:request_queue_time_seconds histogram
            vllm:request_queue_time_seconds_bucket{le="+Inf"} 5.0
            vllm:request_queue_time_seconds_sum 1.0
            vllm:request_queue_time_seconds_count 5.0
            """;

    private static final String AFTER = """
            # TYPE vllm:num_preemptions counter
            vllm:num_preemptions_total{engine="0"} 7.0
            # TYPE vllm:prompt_tokens counter
            vllm:prompt_tokens_total{engine="0"} 3000.0
            # TYPE vllm:generation_tokens counter
            vllm:generation_tokens_total{engine="0"} 1500.0
            # TYPE vllm:request_success counter
            vllm:request_success_total{finished_reason="stop"} 12.0
            vllm:request_success_total{finished_reason="length"} 3.0
            # TYPE vllm:prefix_cache_queries counter
            vllm:prefix_cache_queries_total 2800.0
            # TYPE vllm:prefix_cache_hits counter
            vllm:prefix_cache_hits_total 600.0
            # TYPE vllm:request_queue_time_seconds histogram
            vllm:request_queue_time_seconds_bucket{le="+Inf"} 15.0
            vllm:request_queue_time_seconds_sum 3.0
            vllm:request_queue_time_seconds_count 15.0
            # TYPE vllm:cache_config_info gauge
            vllm:cache_config_info{block_size="16",num_gpu_blocks="4096"} 1.0
            """;

    @Test
    void deltaGivesWhatTheServerDidDuringTheRun() {
        Map<String, Object> d = ServerMetrics.delta(PrometheusText.parse(BEFORE), PrometheusText.parse(AFTER));
        assertThat(d).containsEntry("server_preemptions", 5L)
                .containsEntry("server_prompt_tokens", 2000L)
                .containsEntry("server_generation_tokens", 1000L)
                .containsEntry("server_requests_finished", 10L)
                .containsEntry("server_prefix_cache_queries", 2000L)
                .containsEntry("server_prefix_cache_hits", 500L)
                .containsEntry("server_prefix_cache_hit_rate", 0.25)
                .containsEntry("server_num_gpu_blocks", 4096L)
                .containsEntry("server_block_size", 16L);
        // (3.0 - 1.0) s over (15 - 5) requests
        assertThat((double) d.get("server_mean_queue_time_ms")).isCloseTo(200.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d).doesNotContainKey("server_mean_prefill_time_ms");
    }

    @Test
    void olderPrefixCacheNamesAndCounterResets() {
        PrometheusExposition before = PrometheusText.parse(
                "vllm:gpu_prefix_cache_queries_total 100\nvllm:gpu_prefix_cache_hits_total 10\nvllm:num_preemptions_total 50\n");
        PrometheusExposition after = PrometheusText.parse(
                "vllm:gpu_prefix_cache_queries_total 300\nvllm:gpu_prefix_cache_hits_total 10\nvllm:num_preemptions_total 3\n");
        Map<String, Object> d = ServerMetrics.delta(before, after);
        assertThat(d).containsEntry("server_prefix_cache_hit_rate", 0.0)
                .as("a counter that went down restarted from 0").containsEntry("server_preemptions", 3L);
    }

    @Test
    void nothingWithoutBothScrapes() {
        assertThat(ServerMetrics.delta(PrometheusExposition.EMPTY, PrometheusText.parse(AFTER))).isEmpty();
    }

    @Test
    void metricsUriFromBaseUrls() {
        assertThat(ServerMetrics.metricsUri("http://127.0.0.1:8000")).hasToString("http://127.0.0.1:8000/metrics");
        assertThat(ServerMetrics.metricsUri("http://127.0.0.1:8000/v1/")).hasToString("http://127.0.0.1:8000/metrics");
    }

    @Test
    void scrapesALoopbackServerAndToleratesMissingEndpoints() throws IOException {
        AtomicReference<String> body = new AtomicReference<>(AFTER);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(ServerMetrics.scrape(base).sum("vllm:num_preemptions_total")).hasValue(7.0);
            body.set("not { prometheus\n");
            assertThat(ServerMetrics.scrape(base).isEmpty()).as("malformed body").isTrue();
            HttpClient client = HttpClient.newHttpClient();
            assertThat(ServerMetrics.scrape(client, URI.create(base + "/nope"), Duration.ofSeconds(2)).isEmpty())
                    .as("404").isTrue();
        } finally {
            server.stop(0);
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertThat(ServerMetrics.scrape("http://127.0.0.1:" + closedPort).isEmpty()).as("refused").isTrue();
    }
}
