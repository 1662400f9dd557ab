package dev.headroom.pipeline;

import dev.headroom.metrics.Summary;
import java.util.Map;

/**
 * One finished load point, as written to its run folder.
 *
 * @param summary     the metrics
 * @param summaryJson every key written to summary.json
 * @param stopReason  why the point stopped early (signal, --max-error-rate), or null
 * @param engineSteps engine steps of a predicted point, or -1 for a measured one
 */
public record PointResult(Summary summary, Map<String, Object> summaryJson, String stopReason, long engineSteps) {

    public PointResult {
        summaryJson = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(summaryJson));
    }

    /** True for a point predicted on the virtual clock. */
    public boolean predicted() {
        return engineSteps >= 0;
    }
}
