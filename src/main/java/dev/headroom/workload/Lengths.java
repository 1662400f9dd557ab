package dev.headroom.workload;

import java.util.SplittableRandom;

/**
 * A token-length distribution: fixed at {@code mean}; uniform over [floor(mean·(1−r)), ceil(mean·(1+r))] as
 * vLLM's random dataset draws with {@code --random-range-ratio r}; or normal with {@code stddev}, clamped to
 * [{@code min}, {@code max}].
 */
public record Lengths(int mean, double rangeRatio, double stddev, int min, int max) {

    public Lengths {
        if (mean < 1) throw new IllegalArgumentException("token length must be at least 1, was " + mean);
        if (rangeRatio < 0 || rangeRatio >= 1) throw new IllegalArgumentException("--range-ratio must be in [0, 1), was " + rangeRatio);
        if (stddev < 0) throw new IllegalArgumentException("a token-length stddev must be >= 0, was " + stddev);
        if (rangeRatio > 0 && stddev > 0) throw new IllegalArgumentException("use either --range-ratio or a stddev, not both");
        if (min < 1 || max < min) throw new IllegalArgumentException("token-length bounds need 1 <= min <= max, were " + min + ".." + max);
    }

    public static Lengths fixed(int tokens) {
        return new Lengths(tokens, 0, 0, 1, Integer.MAX_VALUE);
    }

    /** Normal lengths around {@code mean} with {@code stddev}, clamped to [{@code min}, {@code max}] (tokens). */
    public static Lengths normal(int mean, double stddev, int min, int max) {
        return new Lengths(mean, 0, stddev, min, max);
    }

    /** Uniform lengths in [floor(mean·(1−r)), ceil(mean·(1+r))], as vLLM's {@code --random-range-ratio r}. */
    public static Lengths uniform(int mean, double rangeRatio) {
        return new Lengths(mean, rangeRatio, 0, 1, Integer.MAX_VALUE);
    }

    /** The smallest length {@link #sample} can draw. */
    public int least() {
        if (rangeRatio > 0) return Math.max(1, (int) Math.floor(mean * (1 - rangeRatio)));
        if (stddev > 0) return min;
        return mean;
    }

    /** One length drawn from this distribution. */
    public int sample(SplittableRandom random) {
        if (rangeRatio > 0) {
            // vllm/benchmarks/datasets.py RandomDataset: integers(floor(len*(1-r)), ceil(len*(1+r)) + 1).
            int low = Math.max(1, (int) Math.floor(mean * (1 - rangeRatio)));
            int high = (int) Math.ceil(mean * (1 + rangeRatio));
            return random.nextInt(low, high + 1);
        }
        if (stddev > 0) {
            double u1 = random.nextDouble();
            double u2 = random.nextDouble();
            double z = Math.sqrt(-2 * Math.log(u1 == 0 ? Double.MIN_VALUE : u1)) * Math.cos(2 * Math.PI * u2);
            long value = Math.round(mean + stddev * z);
            return (int) Math.max(min, Math.min(max, value));
        }
        return mean;
    }
}
