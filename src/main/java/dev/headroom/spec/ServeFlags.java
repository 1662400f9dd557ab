package dev.headroom.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The vLLM serving flags a user set, under vLLM's names; {@code null} means "vLLM's default" (resolved by
 * {@link ServeConfig#resolve}). Comes from the command line or a {@code --config} YAML in vLLM's format.
 */
public record ServeFlags(String model, Double gpuMemoryUtilization, Integer maxModelLen, Integer maxNumSeqs,
                         Integer maxNumBatchedTokens, Boolean enablePrefixCaching, Boolean enableChunkedPrefill,
                         Integer blockSize, String kvCacheDtype, String dtype, Boolean enforceEager,
                         Integer tensorParallelSize, Double swapSpaceGib, String quantization) {

    /** Nothing set: every value is vLLM's default. */
    public static final ServeFlags NONE = new ServeFlags(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null);

    /** {@code --block-size} choices (vllm/config/cache.py BlockSize). */
    public static final Set<Integer> BLOCK_SIZES = Set.of(1, 8, 16, 32, 64, 128);
    /** {@code --kv-cache-dtype} choices (vllm/config/cache.py CacheDType). */
    public static final Set<String> KV_CACHE_DTYPES = Set.of("auto", "fp8", "fp8_e4m3", "fp8_e5m2", "fp8_inc", "bfloat16");
    /** {@code --dtype} choices (vllm/engine/arg_utils.py). */
    public static final Set<String> DTYPES = Set.of("auto", "half", "float16", "bfloat16", "float", "float32");

    /** vLLM flags a YAML may carry that do not change memory or scheduling; accepted and ignored. */
    private static final Set<String> IGNORED = Set.of("host", "port", "served-model-name", "uvicorn-log-level",
            "disable-log-requests", "disable-log-stats", "enable-log-requests", "trust-remote-code", "tokenizer",
            "download-dir", "seed", "api-key", "revision", "tokenizer-mode", "disable-uvicorn-access-log",
            "enable-auto-tool-choice", "tool-call-parser", "chat-template", "generation-config", "load-format",
            "max-log-len", "allowed-origins", "root-path", "hf-token", "config-format");

    /** The argument names {@link #fromNode} reads. */
    private static final Set<String> KNOWN = Set.of("model", "kv-cache-dtype", "dtype", "quantization",
            "gpu-memory-utilization", "swap-space", "max-model-len", "max-num-batched-tokens", "max-num-seqs",
            "block-size", "tensor-parallel-size", "enable-prefix-caching", "enable-chunked-prefill", "enforce-eager",
            "no-enable-prefix-caching", "no-enable-chunked-prefill", "speculative-config", "spec-method", "spec-model",
            "spec-tokens", "num-speculative-tokens");

    public ServeFlags {
        if (gpuMemoryUtilization != null && !(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1)) {
            throw bad("gpu-memory-utilization", gpuMemoryUtilization, "a fraction in (0, 1]");
        }
        if (maxModelLen != null && maxModelLen < 1) throw bad("max-model-len", maxModelLen, "a positive integer");
        if (maxNumSeqs != null && maxNumSeqs < 1) throw bad("max-num-seqs", maxNumSeqs, "a positive integer");
        if (maxNumBatchedTokens != null && maxNumBatchedTokens < 1) {
            throw bad("max-num-batched-tokens", maxNumBatchedTokens, "a positive integer");
        }
        if (blockSize != null && !BLOCK_SIZES.contains(blockSize)) throw bad("block-size", blockSize, "one of 1, 8, 16, 32, 64, 128");
        if (kvCacheDtype != null && !KV_CACHE_DTYPES.contains(kvCacheDtype)) {
            throw bad("kv-cache-dtype", kvCacheDtype, "one of auto, fp8, fp8_e4m3, fp8_e5m2, fp8_inc, bfloat16");
        }
        if (dtype != null && !DTYPES.contains(dtype)) throw bad("dtype", dtype, "one of auto, half, float16, bfloat16, float, float32");
        if (tensorParallelSize != null && (tensorParallelSize < 1 || tensorParallelSize > 64)) {
            throw bad("tensor-parallel-size", tensorParallelSize, "an integer from 1 to 64");
        }
        if (swapSpaceGib != null && swapSpaceGib < 0) throw bad("swap-space", swapSpaceGib, "a non-negative number of GiB");
        if (quantization != null && !Quantization.VLLM_METHODS.contains(quantization)) {
            throw bad("quantization", quantization, "one of vLLM's methods: " + String.join(", ", Quantization.MODELLED_FLAGS)
                    + ", ...");
        }
    }

    /** Flags without {@code --quantization} (the checkpoint's own quantization_config applies). */
    public ServeFlags(String model, Double gpuMemoryUtilization, Integer maxModelLen, Integer maxNumSeqs,
                      Integer maxNumBatchedTokens, Boolean enablePrefixCaching, Boolean enableChunkedPrefill,
                      Integer blockSize, String kvCacheDtype, String dtype, Boolean enforceEager,
                      Integer tensorParallelSize, Double swapSpaceGib) {
        this(model, gpuMemoryUtilization, maxModelLen, maxNumSeqs, maxNumBatchedTokens, enablePrefixCaching,
                enableChunkedPrefill, blockSize, kvCacheDtype, dtype, enforceEager, tensorParallelSize, swapSpaceGib, null);
    }

    /** These flags with {@code --quantization} set. */
    public ServeFlags withQuantization(String method) {
        return new ServeFlags(model, gpuMemoryUtilization, maxModelLen, maxNumSeqs, maxNumBatchedTokens,
                enablePrefixCaching, enableChunkedPrefill, blockSize, kvCacheDtype, dtype, enforceEager,
                tensorParallelSize, swapSpaceGib, method);
    }

    private static IllegalArgumentException bad(String key, Object value, String accepted) {
        return new IllegalArgumentException("--" + key + ": bad value '" + value + "'; expected " + accepted);
    }

    /** Flags from a vLLM {@code --config} YAML file; unknown keys and bad values are rejected naming the key. */
    public static ServeFlags fromYaml(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("--config: cannot read '" + file + "' as YAML: " + firstLine(e.getMessage()));
        }
        if (root == null || root.isNull() || root.isMissingNode()) return NONE;
        if (!root.isObject()) throw new IllegalArgumentException("--config: '" + file + "' must be a mapping of vLLM flags");
        return fromNode(root, false);
    }

    /**
     * Flags from the keys of a vLLM {@code --config} mapping already read (e.g. a sweep's server config).
     *
     * @param ignoreUnknown true to skip keys headroom does not model (a real server may know them); false rejects them
     */
    public static ServeFlags fromValues(Map<String, ?> values, boolean ignoreUnknown) {
        return fromNode(new ObjectMapper().valueToTree(values), ignoreUnknown);
    }

    /**
     * Flags from a mapping of vLLM argument names to values ({@code --config} YAML, command-line arguments or a
     * start-up log's "non-default args"); {@code lenient} skips arguments that do not change memory or scheduling.
     */
    static ServeFlags fromNode(JsonNode root, boolean lenient) {
        Map<String, Object> v = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey().toLowerCase(Locale.ROOT).replace('_', '-');
            if (lenient && !KNOWN.contains(key)) continue;
            read(e.getKey(), new YamlValues(key, e.getValue()), v);
        }
        return new ServeFlags((String) v.get("model"), (Double) v.get("gpu-memory-utilization"),
                (Integer) v.get("max-model-len"), (Integer) v.get("max-num-seqs"), (Integer) v.get("max-num-batched-tokens"),
                (Boolean) v.get("enable-prefix-caching"), (Boolean) v.get("enable-chunked-prefill"),
                (Integer) v.get("block-size"), (String) v.get("kv-cache-dtype"), (String) v.get("dtype"),
                (Boolean) v.get("enforce-eager"), (Integer) v.get("tensor-parallel-size"), (Double) v.get("swap-space"),
                (String) v.get("quantization"));
    }

    /**
     * Reads one YAML key into {@code values} under vLLM's long flag name ({@code _} and {@code -} are the same,
     * as vLLM's FlexibleArgumentParser normalises; {@code no-X: true} is {@code X: false}).
     */
    private static void read(String rawKey, YamlValues y, Map<String, Object> values) {
        String key = y.key();
        switch (key) {
            case "model", "kv-cache-dtype", "dtype", "quantization" -> values.put(key, y.text());
            case "gpu-memory-utilization", "swap-space" -> values.put(key, y.number());
            case "max-model-len", "max-num-batched-tokens" -> values.put(key, y.tokens());
            case "max-num-seqs", "block-size", "tensor-parallel-size" -> values.put(key, y.integer());
            case "enable-prefix-caching", "enable-chunked-prefill", "enforce-eager" -> values.put(key, y.bool());
            case "no-enable-prefix-caching", "no-enable-chunked-prefill" -> values.put(key.substring(3), !y.bool());
            case "speculative-config", "spec-method", "spec-model", "spec-tokens", "num-speculative-tokens" -> {
                if (!y.value().isNull()) {
                    throw new IllegalArgumentException("--" + key + ": speculative decoding is outside what headroom's "
                            + "model covers (one token per step and request), so it does not guess");
                }
            }
            default -> {
                if (!IGNORED.contains(key)) {
                    throw new IllegalArgumentException("--config: unknown key '" + rawKey
                            + "'; headroom reads vLLM's serving flags (gpu-memory-utilization, max-model-len, max-num-seqs, "
                            + "max-num-batched-tokens, enable-prefix-caching, enable-chunked-prefill, block-size, "
                            + "kv-cache-dtype, dtype, enforce-eager, tensor-parallel-size, swap-space, quantization, model)");
                }
            }
        }
    }

    /** Parses a token count the way vLLM does: {@code 32768}, {@code 32k} (x1000) or {@code 32K} (x1024). */
    public static int parseTokens(String option, String text) {
        return YamlValues.parseTokens(option, text);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** These flags with every value {@code over} sets taking precedence (command line over config file). */
    public ServeFlags overriddenBy(ServeFlags over) {
        return new ServeFlags(pick(over.model, model), pick(over.gpuMemoryUtilization, gpuMemoryUtilization),
                pick(over.maxModelLen, maxModelLen), pick(over.maxNumSeqs, maxNumSeqs),
                pick(over.maxNumBatchedTokens, maxNumBatchedTokens), pick(over.enablePrefixCaching, enablePrefixCaching),
                pick(over.enableChunkedPrefill, enableChunkedPrefill), pick(over.blockSize, blockSize),
                pick(over.kvCacheDtype, kvCacheDtype), pick(over.dtype, dtype), pick(over.enforceEager, enforceEager),
                pick(over.tensorParallelSize, tensorParallelSize), pick(over.swapSpaceGib, swapSpaceGib),
                pick(over.quantization, quantization));
    }

    private static <T> T pick(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
