package dev.headroom.load;

import dev.headroom.workload.LoadPattern;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How one load point is sent: endpoint and body options, load pattern, and when to stop.
 *
 * @param requests        requests to measure (after warm-up); 0 when {@code duration} bounds the run
 * @param duration        how long to keep issuing requests, or null when {@code requests} bounds the run
 * @param warmup          requests sent and discarded before the measured run
 * @param maxErrorRate    stop early once this fraction of finished requests failed (1 = never)
 * @param requestIdPrefix {@code x-request-id} = prefix + index, e.g. {@code headroom-1a2b3c4d-}
 */
public record RunSettings(Api api, String model, boolean exactOutput, Map<String, Object> extraBody,
                          Duration requestTimeout, LoadPattern pattern, int requests, Duration duration, int warmup,
                          long seed, double maxErrorRate, String requestIdPrefix) {

    public RunSettings {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(requestIdPrefix, "requestIdPrefix");
        extraBody = Map.copyOf(extraBody);
        if (!requestTimeout.isPositive()) throw new IllegalArgumentException("--request-timeout must be positive, was " + requestTimeout);
        if ((requests > 0) == (duration != null)) {
            throw new IllegalArgumentException("give exactly one of --requests N (N >= 1) or --duration D");
        }
        if (requests < 0) throw new IllegalArgumentException("--requests must be at least 1, was " + requests);
        if (duration != null && !duration.isPositive()) throw new IllegalArgumentException("--duration must be positive, was " + duration);
        if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, was " + warmup);
        if (!(maxErrorRate > 0 && maxErrorRate <= 1)) {
            throw new IllegalArgumentException("--max-error-rate must be a fraction in (0, 1], was " + maxErrorRate);
        }
    }
}
