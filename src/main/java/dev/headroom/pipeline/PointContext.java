package dev.headroom.pipeline;

import dev.headroom.metrics.GpuMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how one load point runs.
 *
 * @param dir            its run folder (created when missing)
 * @param command        the verb recorded in run.yaml ({@code run}, {@code run --offline}, {@code sweep})
 * @param events         warnings and progress
 * @param signal         the Ctrl-C guard of the whole command
 * @param scrapeInterval how often {@code /metrics} is sampled (on the virtual clock for a predicted point), and the GPU
 * @param gpuMetrics     where a measured point reads the GPU's power and utilisation ({@code --gpu-metrics})
 */
public record PointContext(Path dir, String command, PointEvents events, SignalStop signal, Duration scrapeInterval,
                           GpuMetrics gpuMetrics) {

    /** vLLM's Prometheus gauges sampled twice a second unless {@code --scrape-interval} says otherwise. */
    public static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofMillis(500);

    public PointContext {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(signal, "signal");
        if (scrapeInterval == null || !scrapeInterval.isPositive()) {
            throw new IllegalArgumentException("--scrape-interval must be positive, was " + scrapeInterval);
        }
        Objects.requireNonNull(gpuMetrics, "gpuMetrics");
    }

    /** A context that samples no GPU. */
    public PointContext(Path dir, String command, PointEvents events, SignalStop signal, Duration scrapeInterval) {
        this(dir, command, events, signal, scrapeInterval, GpuMetrics.OFF);
    }

    /** The same context for another folder. */
    public PointContext in(Path otherDir) {
        return new PointContext(otherDir, command, events, signal, scrapeInterval, gpuMetrics);
    }
}
