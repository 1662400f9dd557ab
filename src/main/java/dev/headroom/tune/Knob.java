package dev.headroom.tune;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A vLLM serving setting that {@code tune} searches, under vLLM's name with underscores. */
public enum Knob {
    MAX_NUM_SEQS("max_num_seqs"),
    MAX_NUM_BATCHED_TOKENS("max_num_batched_tokens"),
    GPU_MEMORY_UTILIZATION("gpu_memory_utilization"),
    MAX_MODEL_LEN("max_model_len"),
    ENABLE_PREFIX_CACHING("enable_prefix_caching"),
    ENABLE_CHUNKED_PREFILL("enable_chunked_prefill"),
    KV_CACHE_DTYPE("kv_cache_dtype");

    private final String key;

    Knob(String key) {
        this.key = key;
    }

    /** vLLM's name, e.g. {@code max_num_seqs}: the key of a {@code --config} YAML. */
    public String key() {
        return key;
    }

    /** The knob named {@code key}; bad input names {@code --space} and the knobs accepted. */
    public static Knob of(String key) {
        String k = key.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (Knob knob : values()) if (knob.key.equals(k)) return knob;
        throw new IllegalArgumentException("--space: '" + key + "' is no setting tune searches; use "
                + Arrays.stream(values()).map(Knob::key).collect(Collectors.joining(", ")));
    }

    /** One value of this knob from text, typed as a vLLM config holds it; bad input names the knob and the value. */
    public Object parse(String text) {
        String t = text.strip();
        try {
            return switch (this) {
                case MAX_NUM_SEQS, MAX_NUM_BATCHED_TOKENS, MAX_MODEL_LEN -> positive(Integer.parseInt(t));
                case GPU_MEMORY_UTILIZATION -> fraction(Double.parseDouble(t));
                case ENABLE_PREFIX_CACHING, ENABLE_CHUNKED_PREFILL -> flag(t);
                case KV_CACHE_DTYPE -> t;
            };
        } catch (NumberFormatException e) {
            throw bad(t, "a number");
        }
    }

    private int positive(int v) {
        if (v < 1) throw bad(String.valueOf(v), "a positive integer");
        return v;
    }

    private double fraction(double v) {
        if (!(v > 0 && v <= 1)) throw bad(String.valueOf(v), "a fraction in (0, 1]");
        return v;
    }

    private boolean flag(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(t, "true or false");
        };
    }

    private IllegalArgumentException bad(String value, String accepted) {
        return new IllegalArgumentException("--space: " + key + "=" + value + " is not " + accepted);
    }
}
