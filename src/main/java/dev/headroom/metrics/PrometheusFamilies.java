package dev.headroom.metrics;

import dev.headroom.metrics.PrometheusExposition.Family;
import dev.headroom.metrics.PrometheusExposition.Sample;
import dev.headroom.metrics.PrometheusExposition.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Which family a sample belongs to, and the per-type rules the text format sets for samples and histograms. */
final class PrometheusFamilies {

    private PrometheusFamilies() {
    }

    /**
     * The family of a sample name: the name itself when declared, else the declared base of a type-specific
     * suffix (counter {@code _total}/{@code _created}, histogram {@code _bucket}/{@code _sum}/{@code _count}/
     * {@code _created}, summary {@code _sum}/{@code _count}/{@code _created}), else the name (untyped).
     */
    static String familyOf(String sample, Map<String, Family> families) {
        if (families.containsKey(sample)) return sample;
        for (String suffix : List.of("_total", "_bucket", "_sum", "_count", "_created")) {
            if (!sample.endsWith(suffix)) continue;
            Family base = families.get(sample.substring(0, sample.length() - suffix.length()));
            if (base != null && suffixes(base.type()).contains(suffix)) return base.name();
        }
        return sample;
    }

    private static List<String> suffixes(Type type) {
        return switch (type) {
            case COUNTER -> List.of("_total", "_created");
            case HISTOGRAM -> List.of("_bucket", "_sum", "_count", "_created");
            case SUMMARY -> List.of("_sum", "_count", "_created");
            case GAUGE, UNTYPED -> List.of();
        };
    }

    /** Rejects a sample its family's type does not allow (a bucket without {@code le}, a quantile without one). */
    static void checkSample(Sample s, Family family) {
        if (family == null) return;
        if (family.type() == Type.HISTOGRAM && s.name().endsWith("_bucket")) {
            String le = s.labels().get("le");
            if (le == null) throw new IllegalArgumentException("histogram bucket without an le label");
            PrometheusText.value(le);
        }
        if (family.type() == Type.HISTOGRAM && s.name().equals(family.name())) {
            throw new IllegalArgumentException("histogram " + family.name() + " has a sample without a suffix");
        }
        if (family.type() == Type.SUMMARY && s.name().equals(family.name())) {
            String q = s.labels().get("quantile");
            if (q == null) throw new IllegalArgumentException("summary sample without a quantile label");
            PrometheusText.value(q);
        }
    }

    /** Every histogram series has cumulative buckets ending in +Inf, and its _count equals the +Inf bucket. */
    static void checkHistograms(PrometheusExposition e) {
        for (Family f : e.families().values()) {
            if (f.type() != Type.HISTOGRAM) continue;
            Map<Map<String, String>, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
            for (Sample s : e.samples(f.name() + "_bucket")) {
                Map<String, String> series = new LinkedHashMap<>(s.labels());
                double le = PrometheusText.value(series.remove("le"));
                buckets.computeIfAbsent(new TreeMap<>(series), k -> new TreeMap<>()).put(le, s.value());
            }
            buckets.forEach((series, byLe) -> checkSeries(f.name(), series, byLe, e));
        }
    }

    private static void checkSeries(String name, Map<String, String> series, TreeMap<Double, Double> byLe,
                                    PrometheusExposition e) {
        if (!byLe.containsKey(Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("/metrics: histogram " + name + series + " has no le=\"+Inf\" bucket");
        }
        double previous = Double.NEGATIVE_INFINITY;
        for (double count : byLe.values()) {
            if (count < previous) {
                throw new IllegalArgumentException("/metrics: histogram " + name + series + " buckets are not cumulative");
            }
            previous = count;
        }
        for (Sample c : e.samples(name + "_count")) {
            if (new TreeMap<>(c.labels()).equals(series) && c.value() != byLe.get(Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("/metrics: histogram " + name + series
                        + " _count differs from its +Inf bucket");
            }
        }
    }
}
