package dev.headroom.tune;

import dev.headroom.spec.GpuSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server configs {@code tune} searches: a list of values per knob, every combination one config.
 *
 * @param values the values of each knob searched, in {@link Knob} order; a knob left out keeps vLLM's default
 */
public record SearchSpace(Map<Knob, List<Object>> values) {

    /** The smallest max_model_len tune proposes: below it a chat history of a few turns would not fit. */
    static final int MIN_MODEL_LEN = 1024;
    /** Compute capability from which the GPU runs FP8 natively (Ada, Hopper), so an FP8 KV cache is searched. */
    static final int FP8_COMPUTE_CAPABILITY = 89;

    public SearchSpace {
        Map<Knob, List<Object>> copy = new EnumMap<>(Knob.class);
        values.forEach((k, v) -> {
            if (v.isEmpty()) throw new IllegalArgumentException("--space: " + k.key() + " has no value");
            copy.put(k, List.copyOf(v));
        });
        values = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * The default space on {@code gpu} for a workload whose longest request (prompt and output) is
     * {@code longestTokens}, within the model's {@code modelMaxLen}: max_num_seqs 64, 128 and 256,
     * max_num_batched_tokens 2048 and 8192, gpu_memory_utilization 0.8 and 0.9, max_model_len the smallest power of two that holds the longest
     * request (at least 1024) and twice that, prefix caching and chunked prefill on and off, and an FP8 KV cache
     * beside the model's dtype where the GPU runs FP8.
     */
    public static SearchSpace defaults(GpuSpec gpu, int longestTokens, int modelMaxLen) {
        Map<Knob, List<Object>> m = new EnumMap<>(Knob.class);
        m.put(Knob.MAX_NUM_SEQS, List.of(64, 128, 256));
        m.put(Knob.MAX_NUM_BATCHED_TOKENS, List.of(2048, 8192));
        m.put(Knob.GPU_MEMORY_UTILIZATION, List.of(0.8, 0.9));
        int len = Math.max(MIN_MODEL_LEN, Integer.highestOneBit(Math.max(1, longestTokens - 1)) * 2);
        List<Object> lens = new ArrayList<>();
        lens.add(Math.min(len, modelMaxLen));
        if (2L * len <= modelMaxLen) lens.add(2 * len);
        m.put(Knob.MAX_MODEL_LEN, lens);
        m.put(Knob.ENABLE_PREFIX_CACHING, List.of(true, false));
        m.put(Knob.ENABLE_CHUNKED_PREFILL, List.of(true, false));
        m.put(Knob.KV_CACHE_DTYPE, gpu.gpu().computeCapabilityNumber() >= FP8_COMPUTE_CAPABILITY
                ? List.of("auto", "fp8") : List.of("auto"));
        return new SearchSpace(m);
    }

    /**
     * Parses {@code --space} in {@code --serve-grid}'s form, {@code max_num_seqs=64,128;gpu_memory_utilization=0.9}:
     * the knobs it names, each with its values. Bad input names {@code --space}, the part and what is accepted.
     */
    public static SearchSpace parse(String spec) {
        Map<Knob, List<Object>> m = new EnumMap<>(Knob.class);
        for (String part : spec.split(";")) {
            if (part.isBlank()) continue;
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("--space: '" + part.strip() + "' is not KNOB=V1,V2 (e.g. max_num_seqs=64,128)");
            }
            Knob knob = Knob.of(part.substring(0, eq));
            if (m.containsKey(knob)) throw new IllegalArgumentException("--space names " + knob.key() + " twice");
            List<Object> vs = new ArrayList<>();
            for (String v : part.substring(eq + 1).split(",")) {
                if (!v.isBlank()) vs.add(knob.parse(v));
            }
            m.put(knob, vs);
        }
        if (m.isEmpty()) throw new IllegalArgumentException("--space '" + spec + "' names no knob (e.g. max_num_seqs=64,128)");
        return new SearchSpace(m);
    }

    /** This space with the knobs {@code given} names replaced by its values. */
    public SearchSpace overriddenBy(SearchSpace given) {
        Map<Knob, List<Object>> m = new EnumMap<>(values);
        m.putAll(given.values);
        return new SearchSpace(m);
    }

    /** Refuses a max_model_len below the workload's longest request, which vLLM would reject mid-run. */
    public void requireHolds(int longestTokens) {
        for (Object len : values.getOrDefault(Knob.MAX_MODEL_LEN, List.of())) {
            if ((Integer) len < longestTokens) {
                throw new IllegalArgumentException(String.format(Locale.US, "--space: max_model_len=%d is below the "
                        + "workload's longest request (%,d tokens, prompt and output); use at least %d", len, longestTokens, longestTokens));
            }
        }
    }

    /** How many configs the space holds. */
    public int size() {
        return values.values().stream().mapToInt(List::size).reduce(1, (a, b) -> a * b);
    }

    /** Every config, as vLLM config keys to values, in knob order; the first knob varies slowest. */
    public List<Map<String, Object>> configs() {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<Knob, List<Object>> e : values.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : out) {
                for (Object v : e.getValue()) {
                    Map<String, Object> m = new LinkedHashMap<>(partial);
                    m.put(e.getKey().key(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /** {@code --space}'s form of this space, for tune.json and the report. */
    public Map<String, List<Object>> toMap() {
        Map<String, List<Object>> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k.key(), v));
        return m;
    }
}
