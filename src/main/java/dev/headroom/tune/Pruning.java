package dev.headroom.tune;

import dev.headroom.plan.MemoryPlan;
import dev.headroom.plan.Planner;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.VllmVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The space with every config the planner says vLLM refuses taken out before anything runs.
 *
 * @param candidates the configs that start, labelled in space order
 * @param refused    how many configs the planner refused
 * @param nearest    the refused config that came closest to starting (the most KV cache memory left), with the
 *                   planner's reason; null when none was refused
 */
public record Pruning(List<Candidate> candidates, int refused, Refusal nearest) {

    /** A refused config and vLLM's reason as the planner predicts it. */
    public record Refusal(Map<String, Object> values, String reason, double kvCacheGib) {}

    public Pruning {
        candidates = List.copyOf(candidates);
    }

    /**
     * Plans every config of {@code space} for {@code model} on {@code gpu} under vLLM {@code version}.
     *
     * @throws IllegalArgumentException for a value vLLM would reject as a flag, naming it
     */
    public static Pruning of(SearchSpace space, String model, GpuSpec gpu, VllmVersion version) {
        List<Candidate> starts = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        int index = 0;
        for (Map<String, Object> values : space.configs()) {
            ServeFlags flags = ServeFlags.fromValues(values, false).overriddenBy(modelOnly(model));
            ServingSetup setup = ServingSetup.resolve(flags, gpu, version);
            MemoryPlan plan = Planner.plan(setup);
            if (plan.fits()) {
                starts.add(new Candidate(String.format(Locale.ROOT, "c%03d", index), values, setup, plan));
            } else {
                // A refusal before the KV cache is sized (a config-time error) is furthest from starting.
                refusals.add(new Refusal(values, plan.error(), plan.kvSized() ? plan.kvCacheGib() : Double.NEGATIVE_INFINITY));
            }
            index++;
        }
        Refusal nearest = refusals.stream().max(Comparator.comparingDouble(Refusal::kvCacheGib)).orElse(null);
        return new Pruning(starts, refusals.size(), nearest);
    }

    /** The one-line error when nothing starts: the planner's reason for the nearest config. */
    public String nothingStarts() {
        StringBuilder values = new StringBuilder();
        nearest.values().forEach((k, v) -> values.append(values.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return "--space: vLLM would start none of its " + refused + " configs; the nearest (" + values + ") fails with: "
                + nearest.reason();
    }

    private static ServeFlags modelOnly(String model) {
        return new ServeFlags(model, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
