package dev.headroom.tune;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much each knob moved the predicted figure: among configs that differ in that knob alone, the largest spread of
 * their figures, as a percent of the larger one. A knob under {@link #MATTERS_PERCENT} did not matter for this
 * workload and GPU.
 */
final class KnobEffects {

    /** A knob that moves the figure by less than this percent did not matter. */
    static final double MATTERS_PERCENT = 1;

    private KnobEffects() {}

    /** Each searched knob with more than one value, to its largest effect in percent, in knob order. */
    static Map<String, Double> of(List<Candidate> candidates, Map<String, Figure> figures) {
        Map<String, Double> effects = new LinkedHashMap<>();
        if (candidates.isEmpty()) return effects;
        for (String knob : candidates.get(0).values().keySet()) {
            Map<Map<String, Object>, List<Double>> byRest = new HashMap<>();
            for (Candidate c : candidates) {
                Figure f = figures.get(c.label());
                if (f == null) continue;
                Map<String, Object> rest = new LinkedHashMap<>(c.values());
                rest.remove(knob);
                byRest.computeIfAbsent(rest, k -> new ArrayList<>()).add(f.value());
            }
            double largest = -1;
            for (List<Double> vs : byRest.values()) {
                if (vs.size() < 2) continue;
                double max = vs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
                double min = vs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
                largest = Math.max(largest, max == 0 ? 0 : 100 * (max - min) / max);
            }
            if (largest >= 0) effects.put(knob, largest);
        }
        return effects;
    }
}
