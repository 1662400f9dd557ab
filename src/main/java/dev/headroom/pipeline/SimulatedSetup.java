package dev.headroom.pipeline;

import dev.headroom.spec.ServingSetup;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A simulated serving setup as run.yaml's {@code simulated_target} records it, under vLLM's argument names. */
public final class SimulatedSetup {

    private SimulatedSetup() {}

    /**
     * The setup described for run.yaml.
     *
     * @param kind how it was simulated, e.g. {@code embedded simulator} or {@code offline simulation}
     */
    public static Map<String, Object> describe(ServingSetup setup, String kind) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("model", setup.model().name());
        m.put("gpu", setup.gpu().deviceName());
        m.put("gpu_memory_gib", Double.parseDouble(String.format(Locale.ROOT, "%.2f", setup.gpu().totalMemoryGib())));
        m.put("vllm_version", setup.serve().vllmVersion().toString());
        m.putAll(setup.serve().knobs());
        m.put("dtype", setup.serve().dtype().name().toLowerCase(Locale.ROOT));
        m.put("kv_cache_dtype", setup.serve().kvCacheDtype());
        // The weights as served: a checkpoint's own quantization, or the one --quantization applied on load.
        m.put("quantization", setup.model().quantization().method());
        m.put("tensor_parallel_size", setup.serve().tensorParallelSize());
        return m;
    }
}
