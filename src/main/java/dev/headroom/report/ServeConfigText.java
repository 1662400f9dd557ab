package dev.headroom.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recipe's server config in the server's own terms ({@link ServerKind}): for vLLM a {@code --config} YAML file and
 * the same as a {@code vllm serve} line; for SGLang its {@code --config} YAML and a {@code sglang.launch_server}
 * line; for llama.cpp a {@code llama-server} line (it reads no config file).
 */
final class ServeConfigText {

    /** capacity.csv's serve columns, which are vLLM's own flag names with underscores. */
    private static final List<String> KEYS = List.of("gpu_memory_utilization", "max_model_len", "max_num_seqs",
            "max_num_batched_tokens", "enable_prefix_caching", "enable_chunked_prefill");

    private ServeConfigText() {}

    /** True when the sweep knows at least one of the recipe's server flags (false for a server headroom did not start). */
    static boolean known(Recipe r) {
        return KEYS.stream().anyMatch(r.serve()::has);
    }

    /** The YAML of the server's {@code --config} (long-form flag names), or null for a server that reads none (llama.cpp). */
    static String yaml(Recipe r) {
        ServerKind server = ServerKind.of(r.curve());
        if (server == ServerKind.LLAMA_CPP) return null;
        StringBuilder out = new StringBuilder("# ").append(r.workloadTitle()).append(" on ").append(r.gpu().label())
                .append(" (").append(r.curve().source()).append(" in ").append(r.curve().sweep().label()).append(")\n");
        out.append(server == ServerKind.SGLANG ? "model-path: " : "model: ").append(r.modelId()).append('\n');
        flags(r, server).forEach((flag, v) -> out.append(flag).append(": ").append(v).append('\n'));
        return out.toString();
    }

    /** The same config as one command line. */
    static String command(Recipe r) {
        ServerKind server = ServerKind.of(r.curve());
        // A server headroom started is given as it ran: flags passed through its config file (threads, cache sizes)
        // are not among the recorded settings, so a command rebuilt from those would leave them out.
        if (server != ServerKind.VLLM) {
            String ran = r.curve().configRow().map(c -> c.text("command")).orElse("");
            if (!ran.isBlank()) {
                String flags = ran.replaceAll("\\s--(host|port)\\s+\\S+", "");
                return String.join(" \\\n  ", flags.split(" (?=--?[A-Za-z])"));
            }
        }
        List<String> parts = new ArrayList<>(List.of(switch (server) {
            case VLLM -> "vllm serve " + r.modelId();
            case SGLANG -> "python -m sglang.launch_server --model-path " + r.modelId();
            // llama-server takes a GGUF file; a served name (its --alias) leaves the file to fill in.
            case LLAMA_CPP -> r.curve().model().endsWith(".gguf") ? "llama-server -m " + r.curve().model()
                    : "llama-server -m MODEL.gguf --alias " + r.curve().model();
        }));
        flags(r, server).forEach((flag, v) -> {
            String dashed = "--" + flag;
            if (v.equals("true")) parts.add(dashed);
            else if (v.equals("false")) parts.add("--no-" + flag);
            else parts.add((flag.length() <= 3 ? "-" + flag : dashed) + " " + v);
        });
        if (server == ServerKind.LLAMA_CPP) {
            if (r.gpu().memoryGb() > 0) parts.add("-ngl 99");
            parts.add("--metrics");
        }
        if (server == ServerKind.SGLANG) parts.add("--enable-metrics");
        return String.join(" \\\n  ", parts);
    }

    /**
     * The recipe's settings under the server's flag names, without dashes, in {@link #KEYS} order. llama.cpp: slots
     * ({@code parallel}) and the total KV size ({@code c}: each of N slots gets c / N tokens, so max_model_len × N)
     * and the batch size ({@code b}); vLLM's memory and caching switches have no llama.cpp counterpart. SGLang:
     * python/sglang/srt/server_args.py's names.
     */
    private static Map<String, String> flags(Recipe r, ServerKind server) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : KEYS) {
            if (!r.serve().has(k)) continue;
            String v = r.serve().text(k);
            switch (server) {
                case VLLM -> out.put(k.replace('_', '-'), v);
                case SGLANG -> {
                    switch (k) {
                        case "gpu_memory_utilization" -> out.put("mem-fraction-static", v);
                        case "max_model_len" -> out.put("context-length", v);
                        case "max_num_seqs" -> out.put("max-running-requests", v);
                        case "max_num_batched_tokens" -> out.put("chunked-prefill-size", v);
                        case "enable_prefix_caching" -> {
                            if (v.equals("false")) out.put("disable-radix-cache", "true");
                        }
                        default -> { }
                    }
                }
                case LLAMA_CPP -> {
                    switch (k) {
                        case "max_num_seqs" -> out.put("parallel", v);
                        case "max_model_len" -> {
                            double slots = r.serve().num("max_num_seqs");
                            out.put("c", Fmt.count(Double.isNaN(slots) ? Double.parseDouble(v) : Double.parseDouble(v) * slots)
                                    .replace(",", ""));
                        }
                        case "max_num_batched_tokens" -> out.put("b", v);
                        default -> { }
                    }
                }
            }
        }
        return out;
    }
}
