package dev.headroom.report;

import java.util.ArrayList;
import java.util.List;

/** A recipe's server config as vLLM takes it: a {@code --config} YAML file and the same as a {@code vllm serve} line. */
final class ServeConfigText {

    /** capacity.csv's serve columns, which are vLLM's own flag names with underscores. */
    private static final List<String> KEYS = List.of("gpu_memory_utilization", "max_model_len", "max_num_seqs",
            "max_num_batched_tokens", "enable_prefix_caching", "enable_chunked_prefill");

    private ServeConfigText() {}

    /** True when the sweep knows at least one of the recipe's server flags (false for a server headroom did not start). */
    static boolean known(Recipe r) {
        return KEYS.stream().anyMatch(r.serve()::has);
    }

    /** The YAML of {@code vllm serve --config}: long-form flag names (vLLM's serve_args doc). */
    static String yaml(Recipe r) {
        StringBuilder out = new StringBuilder("# ").append(r.workloadTitle()).append(" on ").append(r.gpu().label())
                .append(" (").append(r.curve().source()).append(" in ").append(r.curve().sweep().label()).append(")\n");
        out.append("model: ").append(r.modelId()).append('\n');
        for (String k : KEYS) {
            if (r.serve().has(k)) out.append(k.replace('_', '-')).append(": ").append(r.serve().text(k)).append('\n');
        }
        return out.toString();
    }

    /** The same config as one command line. */
    static String command(Recipe r) {
        List<String> parts = new ArrayList<>(List.of("vllm serve " + r.modelId()));
        for (String k : KEYS) {
            if (!r.serve().has(k)) continue;
            String flag = "--" + k.replace('_', '-');
            String v = r.serve().text(k);
            if (v.equals("true")) parts.add(flag);
            else if (v.equals("false")) parts.add("--no-" + flag.substring(2));
            else parts.add(flag + " " + v);
        }
        return String.join(" \\\n  ", parts);
    }
}
