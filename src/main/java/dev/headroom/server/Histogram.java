package dev.headroom.server;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/** A Prometheus histogram with fixed upper bounds; lock-free and allocation-free to observe. */
final class Histogram {

    final String name;
    final String help;
    private final double[] bounds;
    private final AtomicLongArray counts;
    private final DoubleAdder sum = new DoubleAdder();

    /** @param bounds finite bucket upper bounds, ascending; {@code +Inf} is implied */
    Histogram(String name, String help, double... bounds) {
        for (int i = 1; i < bounds.length; i++) {
            if (bounds[i] <= bounds[i - 1]) throw new IllegalArgumentException(name + ": buckets must ascend");
        }
        this.name = name;
        this.help = help;
        this.bounds = bounds.clone();
        this.counts = new AtomicLongArray(bounds.length + 1);
    }

    /** Records one value (seconds or a count, per the metric). */
    void observe(double value) {
        int i = 0;
        while (i < bounds.length && value > bounds[i]) i++;
        counts.incrementAndGet(i);
        sum.add(value);
    }

    /** Appends the family in Prometheus text: HELP, TYPE, _sum, cumulative _bucket{le}, _count. */
    void render(StringBuilder out, String labels) {
        PromFormat.header(out, name, help, "histogram");
        PromFormat.sample(out, name + "_sum", labels, sum.sum());
        long cumulative = 0;
        String open = labels.substring(0, labels.length() - 1) + ",le=\"";
        for (int i = 0; i <= bounds.length; i++) {
            cumulative += counts.get(i);
            String le = i < bounds.length ? PromFormat.number(bounds[i]) : "+Inf";
            PromFormat.sample(out, name + "_bucket", open + le + "\"}", cumulative);
        }
        PromFormat.sample(out, name + "_count", labels, cumulative);
    }

    /** vLLM's 1-2-5 buckets up to {@code max} ({@code vllm/v1/metrics/loggers.py build_1_2_5_buckets}). */
    static double[] oneTwoFive(int max) {
        java.util.List<Double> out = new java.util.ArrayList<>();
        for (long scale = 1; ; scale *= 10) {
            for (int mantissa : new int[] {1, 2, 5}) {
                if (mantissa * scale > max) return out.stream().mapToDouble(Double::doubleValue).toArray();
                out.add((double) (mantissa * scale));
            }
        }
    }
}
