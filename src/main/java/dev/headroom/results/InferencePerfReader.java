package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;

/**
 * inference-perf's per-stage request lifecycle report ({@code stage_N_lifecycle_metrics.json}; inference-perf
 * reportgen/base.py, {@code summarize_requests}) read as one point: a concurrency stage at its
 * {@code load_summary.concurrency}, any other at its {@code requested_rate}. Latencies are in seconds; its TPOT,
 * (E2E − TTFT)/(out − 1), is vLLM's; its ITL (gaps per token, not per chunk) and NTPOT have no vLLM counterpart and
 * are left out. The file records no inference-perf version. The summary over all stages places no load and is
 * refused.
 */
final class InferencePerfReader {

    static final String TOOL = "inference-perf";

    private InferencePerfReader() {
    }

    /** Whether {@code n} is an inference-perf lifecycle report, a stage's or the summary. */
    static boolean recognises(JsonNode n) {
        return n.path("load_summary").isObject() && n.path("successes").isObject() && n.has("failures");
    }

    /** Whether it is one stage's report: the summary has no requested rate. */
    static boolean isStage(JsonNode n) {
        return n.path("load_summary").has("requested_rate");
    }

    /** One stage's report as a point. */
    static List<Point> read(JsonNode n, Path file) {
        String where = file.toString();
        if (!isStage(n)) {
            throw new IllegalArgumentException(where + " is inference-perf's summary over all stages, which places no load; "
                    + "give its stage_N_lifecycle_metrics.json files");
        }
        JsonNode load = n.get("load_summary");
        Integer concurrency = load.path("concurrency").canConvertToInt() && load.get("concurrency").asInt() > 0
                ? load.get("concurrency").asInt() : null;
        Double rate = concurrency == null ? load.path("requested_rate").asDouble(Double.NaN) : null;
        if (rate != null && !(rate > 0)) throw new IllegalArgumentException(where + ": load_summary.requested_rate must be > 0, was " + load.get("requested_rate"));
        JsonNode ok = n.get("successes");
        JsonNode latency = ok.path("latency");
        ImportedValues v = new ImportedValues()
                .count("completed", ok.get("count"))
                .count("failed", n.path("failures").get("count"))
                .number("request_throughput", ok.at("/throughput/requests_per_sec"))
                .number("output_throughput", ok.at("/throughput/output_tokens_per_sec"))
                .number("total_token_throughput", ok.at("/throughput/total_tokens_per_sec"))
                .latency("ttft", latency.get("time_to_first_token"), ImportedValues.Names.INFERENCE_PERF, 1000)
                .latency("tpot", latency.get("time_per_output_token"), ImportedValues.Names.INFERENCE_PERF, 1000)
                .latency("e2el", latency.get("request_latency"), ImportedValues.Names.INFERENCE_PERF, 1000)
                .lengths("input", ok.get("prompt_len"), ImportedValues.Names.INFERENCE_PERF)
                .lengths("output", ok.get("output_len"), ImportedValues.Names.INFERENCE_PERF);
        if (v.get("completed") == null) throw new IllegalArgumentException(where + ": no successes.count");
        if (v.get("failed") == null) v.count("failed", 0);
        ImportedFrom from = new ImportedFrom(TOOL, null, null, file);
        return List.of(new Point("default", "inference-perf", false, concurrency, rate, 0, "ok", file,
                ServedConfig.UNKNOWN, v.values(), false, true, null, null, where, from));
    }
}
