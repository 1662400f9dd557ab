package dev.headroom.tune;

import dev.headroom.plan.MemoryPlan;
import dev.headroom.spec.ServingSetup;
import dev.headroom.sweep.ServeVariant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One config of the search space that the planner says vLLM starts.
 *
 * @param label  a short, file-safe name unique within the search ({@code c007}), its run folders' name
 * @param values the knobs searched, vLLM's names to values, in {@link Knob} order
 * @param setup  the serving setup it resolves to on the tuned GPU (every other flag vLLM's default)
 * @param plan   the planner's start-up figures for it
 */
public record Candidate(String label, Map<String, Object> values, ServingSetup setup, MemoryPlan plan) {

    public Candidate {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(setup, "setup");
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The config as a server starts it: the model, then the knobs, as a vLLM {@code --config} YAML holds them. */
    public ServeVariant variant() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", setup.model().name());
        m.putAll(values);
        return new ServeVariant(label, m, null);
    }

    /** The knobs in {@code key=value} form, comma-separated, for console lines. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(b.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return b.toString();
    }
}
