package dev.headroom.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A parsed Prometheus text exposition (format 0.0.4): the samples in file order and the families declared by
 * {@code # TYPE} / {@code # HELP}, in order of declaration.
 *
 * @param samples  every sample line
 * @param families declared families by name
 */
public record PrometheusExposition(List<Sample> samples, Map<String, Family> families) {

    /** An exposition with nothing in it: what a server without {@code /metrics} yields. */
    public static final PrometheusExposition EMPTY = new PrometheusExposition(List.of(), Map.of());

    /** Metric types of the text format. */
    public enum Type { COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNTYPED }

    /**
     * One declared family.
     *
     * @param name the family name ({@code vllm:num_preemptions}; its counter sample is {@code ..._total})
     * @param type the declared type, UNTYPED when only HELP was given
     * @param help the unescaped HELP text, or null
     */
    public record Family(String name, Type type, String help) {
        public Family {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * One sample line.
     *
     * @param name        the sample's metric name ({@code vllm:prompt_tokens_total})
     * @param labels      label names to unescaped values, in the order written
     * @param value       the value (NaN and ±Inf allowed)
     * @param timestampMs the optional timestamp in ms since the epoch, or null
     */
    public record Sample(String name, Map<String, String> labels, double value, Long timestampMs) {
        public Sample {
            Objects.requireNonNull(name, "name");
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }
    }

    public PrometheusExposition {
        samples = List.copyOf(samples);
        families = Collections.unmodifiableMap(new LinkedHashMap<>(families));
    }

    /** Whether there is no sample at all. */
    public boolean isEmpty() {
        return samples.isEmpty();
    }

    /** The samples named exactly {@code name}, in file order. */
    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The sum of all samples named {@code name} (over every label set, e.g. all engines), or empty if none. */
    public OptionalDouble sum(String name) {
        List<Sample> named = samples(name);
        if (named.isEmpty()) return OptionalDouble.empty();
        return OptionalDouble.of(named.stream().mapToDouble(Sample::value).sum());
    }
}
