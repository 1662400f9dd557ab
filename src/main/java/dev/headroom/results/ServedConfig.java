package dev.headroom.results;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server config a point ran under, with vLLM's names (capacity.csv part 2, configs.csv's first columns). A
 * value headroom does not know (a server at {@code --url}, which it did not start) is null.
 *
 * @param model                the served model
 * @param gpu                  the GPU's catalog id, e.g. {@code t4}
 * @param gpuMemoryUtilization the share of GPU memory vLLM may use, 0–1
 * @param maxModelLen          the longest sequence in tokens
 * @param maxNumSeqs           the most requests in one batch
 * @param maxNumBatchedTokens  the most tokens in one step
 */
public record ServedConfig(String model, String gpu, Double gpuMemoryUtilization, Integer maxModelLen,
                           Integer maxNumSeqs, Integer maxNumBatchedTokens, Boolean enablePrefixCaching,
                           Boolean enableChunkedPrefill) {

    /** The columns, in order. */
    public static final List<String> KEYS = List.of("model", "gpu", "gpu_memory_utilization", "max_model_len",
            "max_num_seqs", "max_num_batched_tokens", "enable_prefix_caching", "enable_chunked_prefill");

    /** Nothing known. */
    public static final ServedConfig UNKNOWN = new ServedConfig(null, null, null, null, null, null, null, null);

    /** A config from its vLLM keys (values of any type, as the planner or a file gives them; absent keys unknown). */
    public static ServedConfig of(Map<String, ?> values) {
        return new ServedConfig(Cells.text(cell(values, "model")), Cells.text(cell(values, "gpu")),
                Cells.number(cell(values, "gpu_memory_utilization")), whole(values, "max_model_len"),
                whole(values, "max_num_seqs"), whole(values, "max_num_batched_tokens"),
                Cells.flag(cell(values, "enable_prefix_caching")), Cells.flag(cell(values, "enable_chunked_prefill")));
    }

    private static String cell(Map<String, ?> values, String key) {
        Object v = values.get(key);
        return v == null ? null : v instanceof Double || v instanceof Float ? Cells.of(v) : String.valueOf(v);
    }

    private static Integer whole(Map<String, ?> values, String key) {
        Double v = Cells.number(cell(values, key));
        return v == null ? null : (int) Math.round(v);
    }

    /** This config with {@code model} when it names none (a server at --url names the model it served). */
    public ServedConfig orModel(String served) {
        return model != null || served == null ? this : new ServedConfig(served, gpu, gpuMemoryUtilization,
                maxModelLen, maxNumSeqs, maxNumBatchedTokens, enablePrefixCaching, enableChunkedPrefill);
    }

    /** The values by key, in column order (null where unknown). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("gpu", gpu);
        m.put("gpu_memory_utilization", gpuMemoryUtilization);
        m.put("max_model_len", maxModelLen);
        m.put("max_num_seqs", maxNumSeqs);
        m.put("max_num_batched_tokens", maxNumBatchedTokens);
        m.put("enable_prefix_caching", enablePrefixCaching);
        m.put("enable_chunked_prefill", enableChunkedPrefill);
        return m;
    }

    /** A value as its cell's text, "" when unknown: for tables that list knobs by name. */
    public String text(String key) {
        if (!KEYS.contains(key)) throw new IllegalArgumentException("no server-config key '" + key + "'; one of " + KEYS);
        return Cells.of(toMap().get(key));
    }

    /** Whether the value of {@code key} is known. */
    public boolean has(String key) {
        return !text(key).isEmpty();
    }

    /** A numeric value by key, NaN when unknown or not a number. */
    public double num(String key) {
        Double v = Cells.number(text(key));
        return v == null ? Double.NaN : v;
    }

    /** The cells in column order. */
    List<String> cells() {
        return toMap().values().stream().map(Cells::of).toList();
    }
}
