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
 * Samples a server's {@code /metrics} every interval during a load point's measured window, on one daemon thread.
 * The first scrape, taken when {@link #start} is called (after warm-up), is the baseline of every counter; the last
 * is taken by {@link #stop}. A server without {@code /metrics} is scraped once and then left alone.
 */
public final class TelemetryScraper {

    /**
     * What the window saw.
     *
     * @param telemetry the series
     * @param first     the baseline scrape
     * @param last      the final scrape
     */
    public record Result(Telemetry telemetry, PrometheusExposition first, PrometheusExposition last) {}

    private final HttpClient client;
    private final URI uri;
    private final Duration timeout;
    private final long originNanos;
    private final PrometheusExposition first;
    private final List<TelemetrySample> samples = new ArrayList<>();
    private final ScheduledExecutorService timer;

    private TelemetryScraper(String baseUrl, Duration interval) {
        timeout = interval.compareTo(ServerMetrics.DEFAULT_TIMEOUT) < 0 ? ServerMetrics.DEFAULT_TIMEOUT : interval;
        client = HttpClient.newBuilder().connectTimeout(timeout).build();
        uri = ServerMetrics.metricsUri(baseUrl);
        originNanos = System.nanoTime();
        first = ServerMetrics.scrape(client, uri, timeout);
        if (first.isEmpty()) {
            timer = null;
            return;
        }
        samples.add(TelemetrySample.of(first, 0));
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("headroom-scrape").daemon().factory());
        long periodNanos = interval.toNanos();
        timer.scheduleAtFixedRate(this::sample, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    /** Takes the baseline scrape of {@code baseUrl} now and samples every {@code interval} until {@link #stop}. */
    public static TelemetryScraper start(String baseUrl, Duration interval) {
        if (!interval.isPositive()) throw new IllegalArgumentException("--scrape-interval must be positive, was " + interval);
        return new TelemetryScraper(baseUrl, interval);
    }

    private void sample() {
        PrometheusExposition e = ServerMetrics.scrape(client, uri, timeout);
        double t = (System.nanoTime() - originNanos) / 1e9;
        if (!e.isEmpty()) {
            synchronized (samples) {
                samples.add(TelemetrySample.of(e, t));
            }
        }
    }

    /** Stops sampling, takes the final scrape and returns the series (empty for a server without /metrics). */
    public Result stop() {
        if (timer == null) {
            client.close();
            return new Result(Telemetry.NONE, PrometheusExposition.EMPTY, PrometheusExposition.EMPTY);
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        PrometheusExposition last = ServerMetrics.scrape(client, uri, timeout);
        client.close();
        synchronized (samples) {
            if (!last.isEmpty()) samples.add(TelemetrySample.of(last, (System.nanoTime() - originNanos) / 1e9));
            return new Result(new Telemetry(samples), first, last.isEmpty() ? first : last);
        }
    }
}
