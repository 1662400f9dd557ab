package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;

/** {@code vllm bench serve --save-result} JSON files (vllm/benchmarks/serve.py) read as points. */
final class VllmBenchResult {

    private VllmBenchResult() {
    }

    /** vLLM's result: traffic keys, then the benchmark result's. */
    static boolean isOne(JsonNode n) {
        return n != null && n.isObject() && n.has("request_rate") && n.has("completed") && n.has("duration")
                && n.has("output_throughput");
    }

    /**
     * One result file as a run point: {@code max_concurrency} and {@code request_rate} ({@code "inf"}: none) place
     * it on the load axis; every numeric key is a value under the same name headroom uses; {@code failed} is
     * {@code num_prompts − completed} where the file has no count. The workload is {@code --metadata workload=NAME}
     * when given, else {@code vllm-bench}; a {@code gpu} metadata key names the GPU.
     */
    static Point read(JsonNode n, Path file) {
        String where = file.toString();
        Map<String, Number> values = RunResult.numbers(n);
        if (!values.containsKey("failed") && values.containsKey("num_prompts")) {
            values.put("failed", Math.max(0, values.get("num_prompts").longValue()
                    - values.getOrDefault("completed", 0L).longValue()));
        }
        JsonNode rate = n.get("request_rate");
        Double ratePerSecond = rate.isNumber() && Double.isFinite(rate.asDouble()) ? rate.asDouble() : null;
        if (ratePerSecond != null && ratePerSecond <= 0) throw new IllegalArgumentException(where + ": request_rate must be positive, was " + rate);
        JsonNode cap = n.get("max_concurrency");
        Integer concurrency = cap != null && cap.canConvertToInt() && cap.asInt() > 0 ? cap.asInt() : null;
        if (ratePerSecond == null && concurrency == null) {
            throw new IllegalArgumentException(where + ": neither request_rate nor max_concurrency sets its load (an unlimited burst)");
        }
        String workload = text(n.path("workload"));
        ServedConfig served = new ServedConfig(text(n.path("model_id")), text(n.path("gpu")), null, null, null, null,
                null, null);
        return new Point("default", workload != null ? workload : "vllm-bench", false, concurrency, ratePerSecond, 0,
                "ok", file, served, values, false, true, null, null, where,
                new ImportedFrom("vllm bench serve", null, null, file));
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() || node.asText().isBlank() ? null : node.asText();
    }
}
