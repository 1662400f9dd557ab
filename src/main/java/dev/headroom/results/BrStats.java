package dev.headroom.results;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headroom.metrics.Distribution;
import dev.headroom.metrics.Numpy;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Benchmark Report's {@code Statistics} object ({@code units}, {@code mean}, {@code stddev}, {@code min},
 * {@code p0p1} … {@code p99p9}, {@code max}) from headroom's numbers: numpy's mean, population std and linear
 * percentiles, as every headroom statistic is computed (metrics.Distribution).
 */
final class BrStats {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The report's percentile names, each with the percentile it stands for. */
    private static final Map<String, Double> PERCENTILES = percentiles();

    private BrStats() {}

    private static Map<String, Double> percentiles() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p0p1", 0.1);
        for (double p : new double[] {1, 5, 10, 25, 50, 75, 90, 95, 99}) m.put("p" + (int) p, p);
        m.put("p99p9", 99.9);
        return m;
    }

    /**
     * A latency distribution in its milliseconds ({@code units} {@code ms} or {@code ms/token}); null when it
     * holds no value (no request succeeded): a latency nobody measured is left out, never written as 0.
     */
    static ObjectNode ofMs(Distribution d, String units) {
        if (d.count() == 0) return null;
        ObjectNode s = head(units, d.meanMs());
        s.put("stddev", d.stdMs());
        s.put("min", d.percentileMs(0));
        PERCENTILES.forEach((name, p) -> s.put(name, d.percentileMs(p)));
        s.put("max", d.maxMs());
        return s;
    }

    /** The statistics of {@code values} (NaN values left out); null when none is left. */
    static ObjectNode of(double[] values, String units) {
        double[] known = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        if (known.length == 0) return null;
        double[] sorted = known.clone();
        Arrays.sort(sorted);
        ObjectNode s = head(units, Numpy.mean(known));
        s.put("stddev", Numpy.std(known));
        s.put("min", sorted[0]);
        PERCENTILES.forEach((name, p) -> s.put(name, Numpy.percentileOfSorted(sorted, p)));
        s.put("max", sorted[sorted.length - 1]);
        return s;
    }

    /** One figure over the whole run (a throughput, a rate): only its {@code mean}; null when not known. */
    static ObjectNode mean(Double value, String units) {
        return value == null || value.isNaN() ? null : head(units, value);
    }

    private static ObjectNode head(String units, double mean) {
        ObjectNode s = NODES.objectNode();
        s.put("units", units);
        s.put("mean", mean);
        return s;
    }

    /** Puts {@code value} under {@code key} unless it is null (the schema's optional fields are left out, not null). */
    static void putIf(ObjectNode parent, String key, com.fasterxml.jackson.databind.JsonNode value) {
        if (value != null && !(value instanceof ObjectNode o && o.isEmpty())) parent.set(key, value);
    }
}
