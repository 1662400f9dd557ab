package dev.headroom.workload;

/**
 * How requests are released.
 *
 * <p>Closed loop: {@code ratePerSecond} is infinite and {@code concurrency} requests are in flight at all times.
 * Open loop: arrivals at {@code ratePerSecond} with gamma-distributed gaps of shape {@code burstiness} (1 is
 * Poisson), optionally capped at {@code concurrency} in flight (0 means uncapped).
 */
public record LoadPattern(int concurrency, double ratePerSecond, double burstiness) {

    public LoadPattern {
        if (concurrency < 0) {
            throw new IllegalArgumentException("--concurrency must be at least 1, was " + concurrency);
        }
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("--rate must be positive (requests per second), was " + ratePerSecond);
        }
        if (!(burstiness > 0)) {
            throw new IllegalArgumentException("--burstiness must be positive (1 = Poisson), was " + burstiness);
        }
        if (Double.isInfinite(ratePerSecond) && concurrency == 0) {
            throw new IllegalArgumentException("a closed loop needs --concurrency of at least 1");
        }
    }

    public static LoadPattern closedLoop(int concurrency) {
        return new LoadPattern(concurrency, Double.POSITIVE_INFINITY, 1.0);
    }

    public static LoadPattern openLoop(double ratePerSecond, double burstiness, int maxConcurrency) {
        return new LoadPattern(maxConcurrency, ratePerSecond, burstiness);
    }

    public boolean isOpenLoop() {
        return Double.isFinite(ratePerSecond);
    }

    /** True when in-flight requests are capped. */
    public boolean isCapped() {
        return concurrency > 0;
    }
}
