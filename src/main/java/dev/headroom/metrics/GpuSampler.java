package dev.headroom.metrics;

/** GPU sampling under way during a measured window; {@link #stop} ends it and gives the series. */
@FunctionalInterface
public interface GpuSampler {

    /** No sampling: {@code --gpu-metrics none}, no source on this host, or a simulated server. */
    GpuSampler OFF = () -> GpuTelemetry.NONE;

    /** Stops sampling and returns what was measured, with a warning for each cause of a value not measured. */
    GpuTelemetry stop();
}
