package dev.headroom.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A server config under vLLM's names, translated for SGLang and llama.cpp. Keys with a counterpart are renamed;
 * vLLM-only memory keys are dropped; any other key passes through as the other server's own flag.
 */
final class ServerFlags {

    /** vLLM keys with no SGLang or llama.cpp counterpart: they size vLLM's paged cache or its engine. */
    private static final Set<String> VLLM_ONLY = Set.of("block_size", "swap_space", "enforce_eager",
            "enable_chunked_prefill", "enable_prefix_caching", "gpu_memory_utilization", "kv_cache_dtype", "dtype",
            "tensor_parallel_size", "host", "port");

    private ServerFlags() {}

    /**
     * SGLang's {@code --config} keys (python/sglang/srt/server_args.py): model-path, mem-fraction-static,
     * context-length, max-running-requests, chunked-prefill-size, tp-size, disable-radix-cache, plus enable-metrics.
     */
    static Map<String, Object> sglang(Map<String, Object> vllm) {
        Map<String, Object> out = new LinkedHashMap<>();
        vllm.forEach((key, value) -> {
            switch (key) {
                case "model" -> out.put("model-path", value);
                case "gpu_memory_utilization" -> out.put("mem-fraction-static", value);
                case "max_model_len" -> out.put("context-length", value);
                case "max_num_seqs" -> out.put("max-running-requests", value);
                case "max_num_batched_tokens" -> out.put("chunked-prefill-size", value);
                case "tensor_parallel_size" -> out.put("tp-size", value);
                case "served_model_name" -> out.put("served-model-name", value);
                case "enable_prefix_caching" -> {
                    if (Boolean.FALSE.equals(value)) out.put("disable-radix-cache", true);
                }
                case "enable_chunked_prefill" -> {
                    if (Boolean.FALSE.equals(value)) out.put("chunked-prefill-size", -1);
                }
                case "kv_cache_dtype", "dtype" -> out.put(key.replace('_', '-'), value);
                case "host", "port", "block_size", "swap_space", "enforce_eager" -> { }
                default -> out.put(key.replace('_', '-'), value);
            }
        });
        out.put("enable-metrics", true);
        return out;
    }

    /**
     * llama-server's flags (tools/server/README.md): {@code -m} the GGUF, {@code --parallel} slots, {@code --ctx-size}
     * the total KV size (each of N slots gets ctx/N, so max_model_len × max_num_seqs), {@code --batch-size},
     * {@code --alias}; other keys become {@code --key value}, {@code true} a bare flag.
     */
    static List<String> llamaServer(Map<String, Object> vllm) {
        List<String> argv = new ArrayList<>();
        Object slots = vllm.get("max_num_seqs");
        vllm.forEach((key, value) -> {
            switch (key) {
                case "model" -> argv.addAll(List.of("-m", String.valueOf(value)));
                case "max_num_seqs" -> argv.addAll(List.of("--parallel", String.valueOf(value)));
                case "max_model_len" -> argv.addAll(List.of("--ctx-size", ctxSize(value, slots)));
                case "max_num_batched_tokens" -> argv.addAll(List.of("--batch-size", String.valueOf(value)));
                case "served_model_name" -> argv.addAll(List.of("--alias", String.valueOf(value)));
                default -> {
                    if (!VLLM_ONLY.contains(key)) flag(argv, key, value);
                }
            }
        });
        return argv;
    }

    /** The keys of a vLLM config that {@link #llamaServer} passes on as flags (under vLLM's names). */
    static Map<String, Object> llamaServerKeys(Map<String, Object> vllm) {
        Map<String, Object> kept = new LinkedHashMap<>(vllm);
        kept.keySet().removeAll(VLLM_ONLY);
        return kept;
    }

    private static String ctxSize(Object maxModelLen, Object slots) {
        long len = Long.parseLong(String.valueOf(maxModelLen));
        return Long.toString(slots == null ? len : len * Long.parseLong(String.valueOf(slots)));
    }

    private static void flag(List<String> argv, String key, Object value) {
        String name = "--" + key.replace('_', '-');
        if (Boolean.TRUE.equals(value)) {
            argv.add(name);
        } else if (!Boolean.FALSE.equals(value)) {
            argv.addAll(List.of(name, String.valueOf(value)));
        }
    }
}
