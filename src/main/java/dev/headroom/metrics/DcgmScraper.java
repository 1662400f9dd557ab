package dev.headroom.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the NVIDIA DCGM exporter's {@code /metrics} every interval during a measured window, on one daemon
 * thread, as {@link TelemetryScraper} samples the server's: a scrape at {@link #start}, one per interval, one at
 * {@link #stop}. An exporter that gives nothing is scraped once and named in a warning.
 */
public final class DcgmScraper implements GpuSampler {

    private final HttpClient client;
    private final URI uri;
    private final Duration timeout;
    private final Integer gpuIndex;
    private final long originNanos;
    private final List<GpuSample> samples = new ArrayList<>();
    private final DcgmReading.Seen seen = new DcgmReading.Seen();
    private final ScheduledExecutorService timer;

    private DcgmScraper(URI uri, Integer gpuIndex, Duration interval) {
        this.uri = uri;
        this.gpuIndex = gpuIndex;
        timeout = interval.compareTo(ServerMetrics.DEFAULT_TIMEOUT) < 0 ? ServerMetrics.DEFAULT_TIMEOUT : interval;
        client = HttpClient.newBuilder().connectTimeout(timeout).build();
        originNanos = System.nanoTime();
        PrometheusExposition first = ServerMetrics.scrape(client, uri, timeout);
        if (first.isEmpty()) {
            timer = null;
            return;
        }
        add(first, 0);
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("headroom-dcgm").daemon().factory());
        long periodNanos = interval.toNanos();
        timer.scheduleAtFixedRate(() -> add(ServerMetrics.scrape(client, uri, timeout), secondsSinceOrigin()),
                periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    /** Takes the first scrape of {@code metrics} now and samples every {@code interval} until {@link #stop}. */
    public static DcgmScraper start(URI metrics, Integer gpuIndex, Duration interval) {
        return new DcgmScraper(metrics, gpuIndex, interval);
    }

    private double secondsSinceOrigin() {
        return (System.nanoTime() - originNanos) / 1e9;
    }

    private void add(PrometheusExposition e, double tSeconds) {
        if (e.isEmpty()) return;
        synchronized (samples) {
            DcgmReading.of(e, gpuIndex, tSeconds, seen).ifPresent(samples::add);
        }
    }

    @Override
    public GpuTelemetry stop() {
        if (timer == null) {
            client.close();
            return new GpuTelemetry("dcgm-exporter", List.of(), List.of("the DCGM exporter at " + uri
                    + " gave no metrics (unreachable, or not Prometheus text): GPU telemetry is not measured"));
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        add(ServerMetrics.scrape(client, uri, timeout), secondsSinceOrigin());
        client.close();
        synchronized (samples) {
            return new GpuTelemetry("dcgm-exporter", samples, seen.warnings(uri, gpuIndex));
        }
    }
}
