package dev.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The DCGM exporter's exposition (fixture: dcgm-exporter-2gpu.prom, two H100s) read into GPU samples. */
class DcgmScraperTest {

    private static String fixture() throws IOException {
        try (InputStream in = DcgmScraperTest.class.getResourceAsStream("dcgm-exporter-2gpu.prom")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyGpuCombinedPowerAndMemorySummedUtilisationAndProfilingAveraged() throws IOException {
        DcgmReading.Seen seen = new DcgmReading.Seen();
        GpuSample s = DcgmReading.of(PrometheusText.parse(fixture()), null, 1.5, seen).orElseThrow();
        assertThat(s.tSeconds()).isEqualTo(1.5);
        assertThat(s.powerW()).isEqualTo(512.25 + 488.5);
        assertThat(s.utilPerc()).isEqualTo(94.5);
        assertThat(s.memoryUsedMib()).isEqualTo(72060 + 71548);
        assertThat(s.grEngineActive()).isCloseTo(0.93, within(1e-12));
        assertThat(s.smActive()).isCloseTo(0.80, within(1e-12));
        assertThat(s.dramActive()).isCloseTo(0.63, within(1e-12));
        assertThat(s.tensorActive()).isCloseTo(0.40, within(1e-12));
        assertThat(seen.warnings(URI.create("http://gpu-node-1:9400/metrics"), null)).isEmpty();
    }

    @Test
    void gpuIndexKeepsThatGpuAndOneNotListedIsNamed() throws IOException {
        PrometheusExposition e = PrometheusText.parse(fixture());
        GpuSample one = DcgmReading.of(e, 1, 0, new DcgmReading.Seen()).orElseThrow();
        assertThat(one.powerW()).isEqualTo(488.5);
        assertThat(one.tensorActive()).isEqualTo(0.38);
        DcgmReading.Seen seen = new DcgmReading.Seen();
        assertThat(DcgmReading.of(e, 4, 0, seen)).isEmpty();
        assertThat(seen.warnings(URI.create("http://h:9400/metrics"), 4)).containsExactly(
                "the DCGM exporter at http://h:9400/metrics lists GPUs [0, 1] but not --gpu-index 4: GPU telemetry is not measured");
    }

    @Test
    void anExporterWithoutPowerLeavesPowerNotMeasuredAndSaysSo() throws IOException {
        String noPower = fixture().lines().filter(l -> !l.contains("DCGM_FI_DEV_POWER_USAGE"))
                .reduce("", (a, l) -> a + l + "\n");
        DcgmReading.Seen seen = new DcgmReading.Seen();
        GpuSample s = DcgmReading.of(PrometheusText.parse(noPower), null, 0, seen).orElseThrow();
        assertThat(s.powerW()).isNaN();
        assertThat(s.utilPerc()).isEqualTo(94.5);
        assertThat(seen.warnings(URI.create("http://h:9400/metrics"), null)).containsExactly(
                "the DCGM exporter at http://h:9400/metrics has no DCGM_FI_DEV_POWER_USAGE: GPU power is not measured");
    }

    @Test
    void theScraperSamplesTheExporterFromStartToStop() throws IOException {
        byte[] body = fixture().getBytes(StandardCharsets.UTF_8);
        AtomicInteger scrapes = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", x -> {
            scrapes.incrementAndGet();
            x.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            x.sendResponseHeaders(200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            GpuMetrics source = GpuMetrics.parse(base, null, false);
            assertThat(source).isEqualTo(new GpuMetrics.Dcgm(URI.create(base + "/metrics"), null));
            GpuTelemetry t = source.start(Duration.ofHours(1)).stop();
            assertThat(scrapes.get()).as("the first scrape at start, the last at stop").isEqualTo(2);
            assertThat(t.source()).isEqualTo("dcgm-exporter");
            assertThat(t.samples()).hasSize(2).allSatisfy(s -> assertThat(s.powerW()).isEqualTo(1000.75));
            assertThat(t.hasProf()).isTrue();
            assertThat(t.warnings()).isEmpty();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anExporterThatGivesNothingIsAWarning() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
            GpuTelemetry t = DcgmScraper.start(uri, null, Duration.ofMillis(500)).stop();
            assertThat(t.samples()).isEmpty();
            assertThat(t.warnings()).containsExactly("the DCGM exporter at " + uri
                    + " gave no metrics (unreachable, or not Prometheus text): GPU telemetry is not measured");
        } finally {
            server.stop(0);
        }
    }
}
