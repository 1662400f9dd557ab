package dev.headroom.results;

/**
 * The GPU's power over a run, for the Benchmark Report's observability: the report's {@code power_consumption}
 * (Watts) and headroom's energy per output token. Unknown values are null: power nobody measured is "not measured",
 * never 0.
 *
 * @param meanWatts            mean board power over the measured window, W
 * @param joulesPerOutputToken energy over the window divided by the output tokens, J/token
 */
public record GpuPower(Double meanWatts, Double joulesPerOutputToken) {

    /** No power telemetry. */
    public static final GpuPower NOT_MEASURED = new GpuPower(null, null);

    public GpuPower {
        if (meanWatts != null && !(meanWatts >= 0)) throw new IllegalArgumentException("meanWatts must be >= 0, was " + meanWatts);
        if (joulesPerOutputToken != null && !(joulesPerOutputToken >= 0)) {
            throw new IllegalArgumentException("joulesPerOutputToken must be >= 0, was " + joulesPerOutputToken);
        }
    }
}
