package dev.headroom.workload;

import java.util.SplittableRandom;

/**
 * Open-loop arrival offsets exactly as vLLM's {@code get_request} builds them (vllm/benchmarks/serve.py):
 * each gap ~ Gamma(shape = burstiness, scale = 1 / (rate · burstiness)), summed, then rescaled so the last
 * arrival falls at exactly N / rate. Burstiness 1 is Poisson; infinite burstiness gives constant gaps.
 */
public final class Arrivals {

    private Arrivals() {}

    /** {@code count} ascending arrival offsets in nanoseconds from the run start; seeded, so reproducible. */
    public static long[] offsetsNanos(int count, double ratePerSecond, double burstiness, long seed) {
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, was " + count);
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("--rate must be a positive finite number of requests per second, was " + ratePerSecond);
        }
        if (!(burstiness > 0)) throw new IllegalArgumentException("--burstiness must be positive (1 = Poisson), was " + burstiness);
        SplittableRandom random = new SplittableRandom(seed);
        double[] cumulative = new double[count];
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += Double.isInfinite(burstiness)
                    ? 1.0 / ratePerSecond
                    : gamma(random, burstiness) / (ratePerSecond * burstiness);
            cumulative[i] = sum;
        }
        // vLLM: "re-scale delay time to ensure the final delay_ts align with target_total_delay_s".
        double scale = count == 0 || sum == 0 ? 1 : (count / ratePerSecond) / sum;
        long[] offsets = new long[count];
        for (int i = 0; i < count; i++) offsets[i] = Math.round(cumulative[i] * scale * 1e9);
        return offsets;
    }

    /** How many arrivals an open loop of {@code durationNanos} at {@code ratePerSecond} holds: the last lands at N/rate <= duration. */
    public static int countForDuration(long durationNanos, double ratePerSecond) {
        long n = (long) Math.floor(durationNanos / 1e9 * ratePerSecond);
        if (n > Integer.MAX_VALUE - 1) throw new IllegalArgumentException("--duration × --rate is too many requests: " + n);
        return (int) Math.max(1, n);
    }

    /** A Gamma(shape, 1) variate: Marsaglia and Tsang (2000), with the U^(1/shape) boost for shape < 1. */
    static double gamma(SplittableRandom random, double shape) {
        if (shape < 1) {
            double u = random.nextDouble();
            return gamma(random, shape + 1) * Math.pow(u == 0 ? Double.MIN_VALUE : u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = normal(random);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return d * v;
            if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
        }
    }

    private static double normal(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1 == 0 ? Double.MIN_VALUE : u1)) * Math.cos(2 * Math.PI * u2);
    }
}
