package dev.headroom.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
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
                         Integer tensorParallelSize, Double swapSpaceGib) {

    /** Nothing set: every value is vLLM's default. */
    public static final ServeFlags NONE = new ServeFlags(null, null, null, null, null, null, null, null, null,
            null, null, null, null);

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
            "max-log-len", "allowed-origins", "root-path", "hf-token", "config-format", "quantization");

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
        ServeFlags out = NONE;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out = out.with(e.getKey(), e.getValue());
        }
        return out;
    }

    /** Parses a token count the way vLLM does: {@code 32768}, {@code 32k} (x1000) or {@code 32K} (x1024). */
    public static int parseTokens(String option, String text) {
        return YamlValues.parseTokens(option, text);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** This set with one YAML key applied ({@code _} and {@code -} are the same, as vLLM's parser normalises). */
    ServeFlags with(String rawKey, JsonNode v) {
        String key = rawKey.toLowerCase(Locale.ROOT).replace('_', '-');
        YamlValues y = new YamlValues(key, v);
        ServeFlags f = this;
        return switch (key) {
            case "model" -> new ServeFlags(y.text(), f.gpuMemoryUtilization, f.maxModelLen, f.maxNumSeqs, f.maxNumBatchedTokens, f.enablePrefixCaching, f.enableChunkedPrefill, f.blockSize, f.kvCacheDtype, f.dtype, f.enforceEager, f.tensorParallelSize, f.swapSpaceGib);
            case "gpu-memory-utilization" -> new ServeFlags(f.model, y.number(), f.maxModelLen, f.maxNumSeqs, f.maxNumBatchedTokens, f.enablePrefixCaching, f.enableChunkedPrefill, f.blockSize, f.kvCacheDtype, f.dtype, f.enforceEager, f.tensorParallelSize, f.swapSpaceGib);
            case "max-model-len" -> new ServeFlags(f.model, f.gpuMemoryUtilization, y.tokens(), f.maxNumSeqs, f.maxNumBatchedTokens, f.enablePrefixCaching, f.enableChunkedPrefill, f.blockSize, f.kvCacheDtype, f.dtype, f.enforceEager, f.tensorParallelSize, f.swapSpaceGib);
            case "max-num-seqs" -> new ServeFlags(f.model, f.gpuMemoryUtilization, f.maxModelLen, y.integer(), f.maxNumBatchedTokens, f.enablePrefixCaching, f.enableChunkedPrefill, f.blockSize, f.kvCacheDtype, f.dtype, f.enforceEager, f.tensorParallelSize, f.swapSpaceGib);
            case "max-num-batched-tokens" -> new ServeFlags(f.model, f.gpuMemoryUtilization, f.maxModelLen, f.maxNumSeqs, y.tokens(), f.enablePrefixCaching, f.enableChunkedPrefill, f.blockSize, f.kvCacheDtype, f.dtype, f.enforceEager, f.tensorParallelSize, f.swapSpaceGib);
            case "enable-prefix-caching" -> new ServeFlags(f.model, f.gpuMemoryUtilization, f.maxModelLen, f.maxNumSeqs, f.maxNumBatchedTokens, y.bool(), f.enableChunkedPrefill, f.blockSize, f.kvCacheDtype, f.dtype, f.enforceEager, f.tensorParallelSize, f.swapSpaceGib);
            case "no-enable-prefix-caching" -> new ServeFlags(f.model, f.gpuMemoryUtilization, f.maxModelLen, f.maxNumSeqs, f.maxNumBatchedTokens, !y.bool(), f.enableChunkedPrefill, f.blockSize, f.kvCacheDtype, f.dtype, f.enforceEager, f.tensorParallelSize, f.swapSpaceGib);
            case "enable-chunked-prefill" -> new ServeFlags(f.model, f.gpuMemoryUtilization, f.maxModelLen, f.maxNumSeqs, f.maxNumBatchedTokens, f.enablePrefixCaching, y.bool(), f.blockSize, f.kvCacheDtype, f.dtype, f.enforceEager, f.tensorParallelSize, f.swapSpaceGib);
            case "no-enable-chunked-prefill" -> new ServeFlags(f.model, f.gpuMemoryUtilization, f.maxModelLen, f.maxNumSeqs, f.maxNumBatchedTokens, f.enablePrefixCaching, !y.bool(), f.blockSize, f.kvCacheDtype, f.dtype, f.enforceEager, f.tensorParallelSize, f.swapSpaceGib);
            case "block-size" -> new ServeFlags(f.model, f.gpuMemoryUtilization, f.maxModelLen, f.maxNumSeqs, f.maxNumBatchedTokens, f.enablePrefixCaching, f.enableChunkedPrefill, y.integer(), f.kvCacheDtype, f.dtype, f.enforceEager, f.tensorParallelSize, f.swapSpaceGib);
            case "kv-cache-dtype" -> new ServeFlags(f.model, f.gpuMemoryUtilization, f.maxModelLen, f.maxNumSeqs, f.maxNumBatchedTokens, f.enablePrefixCaching, f.enableChunkedPrefill, f.blockSize, y.text(), f.dtype, f.enforceEager, f.tensorParallelSize, f.swapSpaceGib);
            case "dtype" -> new ServeFlags(f.model, f.gpuMemoryUtilization, f.maxModelLen, f.maxNumSeqs, f.maxNumBatchedTokens, f.enablePrefixCaching, f.enableChunkedPrefill, f.blockSize, f.kvCacheDtype, y.text(), f.enforceEager, f.tensorParallelSize, f.swapSpaceGib);
            case "enforce-eager" -> new ServeFlags(f.model, f.gpuMemoryUtilization, f.maxModelLen, f.maxNumSeqs, f.maxNumBatchedTokens, f.enablePrefixCaching, f.enableChunkedPrefill, f.blockSize, f.kvCacheDtype, f.dtype, y.bool(), f.tensorParallelSize, f.swapSpaceGib);
            case "tensor-parallel-size" -> new ServeFlags(f.model, f.gpuMemoryUtilization, f.maxModelLen, f.maxNumSeqs, f.maxNumBatchedTokens, f.enablePrefixCaching, f.enableChunkedPrefill, f.blockSize, f.kvCacheDtype, f.dtype, f.enforceEager, y.integer(), f.swapSpaceGib);
            case "swap-space" -> new ServeFlags(f.model, f.gpuMemoryUtilization, f.maxModelLen, f.maxNumSeqs, f.maxNumBatchedTokens, f.enablePrefixCaching, f.enableChunkedPrefill, f.blockSize, f.kvCacheDtype, f.dtype, f.enforceEager, f.tensorParallelSize, y.number());
            default -> {
                if (IGNORED.contains(key)) yield f;
                throw new IllegalArgumentException("--config: unknown key '" + rawKey
                        + "'; headroom reads vLLM's serving flags (gpu-memory-utilization, max-model-len, max-num-seqs, "
                        + "max-num-batched-tokens, enable-prefix-caching, enable-chunked-prefill, block-size, "
                        + "kv-cache-dtype, dtype, enforce-eager, tensor-parallel-size, swap-space, model)");
            }
        };
    }

    /** These flags with every value {@code over} sets taking precedence (command line over config file). */
    public ServeFlags overriddenBy(ServeFlags over) {
        return new ServeFlags(pick(over.model, model), pick(over.gpuMemoryUtilization, gpuMemoryUtilization),
                pick(over.maxModelLen, maxModelLen), pick(over.maxNumSeqs, maxNumSeqs),
                pick(over.maxNumBatchedTokens, maxNumBatchedTokens), pick(over.enablePrefixCaching, enablePrefixCaching),
                pick(over.enableChunkedPrefill, enableChunkedPrefill), pick(over.blockSize, blockSize),
                pick(over.kvCacheDtype, kvCacheDtype), pick(over.dtype, dtype), pick(over.enforceEager, enforceEager),
                pick(over.tensorParallelSize, tensorParallelSize), pick(over.swapSpaceGib, swapSpaceGib));
    }

    private static <T> T pick(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
