package dev.headroom.sweep;

import dev.headroom.plan.MemoryPlan;
import dev.headroom.plan.Planner;
import dev.headroom.spec.ModelSpec;
import dev.headroom.spec.ServeConfig;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code plan} predicts for one server config on the sweep's GPU: whether vLLM starts, its KV cache and
 * maximum concurrency, or the error vLLM would raise. No prediction (nulls) when the model is not one headroom
 * can read (e.g. a GGUF file for llama-server).
 *
 * @param starts         true when vLLM would start, false when it would refuse, null when not predicted
 * @param kvCacheTokens  {@code GPU KV cache size} as vLLM would log it, or null
 * @param maxConcurrency {@code Maximum concurrency} at max_model_len, or null
 * @param error          vLLM's start-up error as the planner predicts it, or null
 * @param serverValues   the config under vLLM's names with vLLM's defaults resolved (capacity.csv's part 2)
 */
public record PlanCheck(Boolean starts, Long kvCacheTokens, Double maxConcurrency, String error,
                        Map<String, Object> serverValues) {

    /** capacity.csv's and configs.csv's server-config columns, in order (docs/formats.md). */
    public static final List<String> SERVER_KEYS = List.of("model", "gpu", "gpu_memory_utilization",
            "max_model_len", "max_num_seqs", "max_num_batched_tokens", "enable_prefix_caching", "enable_chunked_prefill");

    public PlanCheck {
        serverValues = Collections.unmodifiableMap(new LinkedHashMap<>(serverValues));
    }

    /** Plans {@code variant} on the GPU and vLLM release of {@code sim}. */
    public static PlanCheck of(ServeVariant variant, SimSettings sim) {
        Map<String, Object> given = given(variant, sim);
        ModelSpec model;
        try {
            model = ModelSpec.resolve(String.valueOf(given.get("model")));
        } catch (IllegalArgumentException unknownModel) {
            return new PlanCheck(null, null, null, null, given);
        }
        ServingSetup setup;
        try {
            ServeFlags flags = flags(variant, sim, true);
            setup = new ServingSetup(model, sim.gpu(), ServeConfig.resolve(flags, model, sim.gpu(), sim.version()));
        } catch (IllegalArgumentException refused) {
            return new PlanCheck(false, null, null, refused.getMessage(), given);
        }
        return planned(setup, given);
    }

    /**
     * Plans an already resolved setup: the {@code default} config of a sweep without a config grid (the embedded
     * simulator's or the offline setup).
     *
     * @param model the model as the sweep names it (capacity.csv's {@code model})
     */
    public static PlanCheck of(ServingSetup setup, String model) {
        Map<String, Object> given = new LinkedHashMap<>();
        for (String key : SERVER_KEYS) given.put(key, null);
        given.put("model", model);
        given.put("gpu", setup.gpu().gpu().id());
        return planned(setup, given);
    }

    /** No prediction and no known values: a server at {@code --url}, whose settings headroom cannot see. */
    /**
     * The settings {@code variant}'s server receives, recorded without a prediction: for a server that is not vLLM
     * (llama.cpp, SGLang), whose start-up the planner does not model. Its hardware is {@code serverGpu} (the
     * sweep's {@code --server-gpu}: a catalog id, cpu or any label), or unknown (null): never the simulator's GPU.
     */
    public static PlanCheck unpredicted(ServeVariant variant, String serverGpu) {
        Map<String, Object> m = settings(variant);
        m.put("gpu", serverGpu);
        return new PlanCheck(null, null, null, null, m);
    }

    public static PlanCheck none() {
        return new PlanCheck(null, null, null, null, Map.of());
    }

    /**
     * A server at {@code --url} on a GPU the user named ({@code --server-gpu}): nothing is predicted, but capacity.csv
     * and the playbook can say which GPU class the numbers belong to.
     */
    public static PlanCheck onGpu(String gpuId) {
        Map<String, Object> given = new LinkedHashMap<>();
        for (String key : SERVER_KEYS) given.put(key, null);
        given.put("gpu", gpuId);
        return new PlanCheck(null, null, null, null, given);
    }

    private static PlanCheck planned(ServingSetup setup, Map<String, Object> given) {
        MemoryPlan plan = Planner.plan(setup);
        return new PlanCheck(plan.fits(), plan.kvSized() ? plan.kvCacheTokens() : null,
                plan.kvSized() ? plan.maxConcurrency() : null, plan.error(), resolved(given, setup.serve()));
    }

    /**
     * The variant as a serving setup on {@code sim}'s GPU: its model, else the sweep's default model.
     *
     * @param ignoreUnknown true to skip keys headroom does not model; false rejects them as vLLM rejects bad flags
     */
    static ServingSetup setup(ServeVariant variant, SimSettings sim, boolean ignoreUnknown) {
        return ServingSetup.resolve(flags(variant, sim, ignoreUnknown), sim.gpu(), sim.version());
    }

    private static ServeFlags flags(ServeVariant variant, SimSettings sim, boolean ignoreUnknown) {
        ServeFlags flags = ServeFlags.fromValues(variant.values(), ignoreUnknown);
        if (flags.model() != null) return flags;
        return flags.overriddenBy(new ServeFlags(sim.defaultModel(), null, null, null, null, null, null, null, null,
                null, null, null, null));
    }

    /** The config's values as given (the model defaulted), under the server-config column names. */
    private static Map<String, Object> given(ServeVariant variant, SimSettings sim) {
        Map<String, Object> m = settings(variant);
        m.putIfAbsent("model", sim.defaultModel());
        m.put("gpu", sim.gpu().gpu().id());
        return m;
    }

    /** The config's values under the server-config columns, in order (absent keys null). */
    private static Map<String, Object> settings(ServeVariant variant) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String key : SERVER_KEYS) m.put(key, variant.values().get(key));
        return m;
    }

    private static Map<String, Object> resolved(Map<String, Object> given, ServeConfig s) {
        Map<String, Object> m = new LinkedHashMap<>(given);
        m.putAll(s.knobs());
        return m;
    }
}
