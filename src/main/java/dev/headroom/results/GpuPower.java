package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The GPU's power over a run, for the Benchmark Report's observability: the report's {@code power_consumption}
 * (Watts) and headroom's energy per output token. Unknown values are null: power nobody measured is "not measured",
 * never 0.
 *
 * @param meanWatts            mean board power over the measured window, W
 * @param joulesPerOutputToken energy over the window divided by the output tokens, J/token
 */
record GpuPower(Double meanWatts, Double joulesPerOutputToken) {

    /**
     * The power a run's summary.json states ({@code gpu_power_mean_w}, {@code energy_per_output_token_j}, written
     * when the DCGM exporter or nvidia-smi was read during the window); each null when the summary has none.
     */
    static GpuPower of(JsonNode summary) {
        return new GpuPower(number(summary.path("gpu_power_mean_w")), number(summary.path("energy_per_output_token_j")));
    }

    private static Double number(JsonNode n) {
        return n.isNumber() && Double.isFinite(n.asDouble()) ? n.asDouble() : null;
    }

    public GpuPower {
        if (meanWatts != null && !(meanWatts >= 0)) throw new IllegalArgumentException("meanWatts must be >= 0, was " + meanWatts);
        if (joulesPerOutputToken != null && !(joulesPerOutputToken >= 0)) {
            throw new IllegalArgumentException("joulesPerOutputToken must be >= 0, was " + joulesPerOutputToken);
        }
    }
}
