package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * llm-d's Benchmark Report v0.2 and v0.2.1 (llm-d-benchmark llmdbenchmark/analysis/benchmark_report/schema_v0_2.py
 * and schema_v0_2_1.py; JSON or YAML, as its converter writes it) read as one point: the load from
 * {@code scenario.load.standardized} ({@code rate_qps}, {@code concurrency}; {@code .inf} is none), the metrics from
 * {@code results.request_performance.aggregate} in the units each names. What the report's TPOT and ITL hold depends
 * on the load generator it was converted from ({@code scenario.load.standardized.tool}), so each is read as that
 * tool's converter filled it (docs/formats.md); one peak KV-cache figure is read where a single component reports it.
 */
final class BenchmarkReportReader {

    static final String TOOL = "llm-d Benchmark Report";
    static final Set<String> SUPPORTED_VERSIONS = Set.of("0.2", "0.2.1");

    private BenchmarkReportReader() {
    }

    /**
     * Whether {@code n} is a Benchmark Report of any version: {@code version} beside {@code run} and
     * {@code results} (v0.2 on) or {@code scenario} and {@code metrics} (v0.1).
     */
    static boolean recognises(JsonNode n) {
        return n.path("version").isValueNode() && (n.path("run").isObject() && n.path("results").isObject()
                || n.path("scenario").isObject() && n.path("metrics").isObject());
    }

    static String version(JsonNode n) {
        return n.get("version").asText();
    }

    static boolean supported(JsonNode n) {
        return SUPPORTED_VERSIONS.contains(version(n));
    }

    static List<Point> read(JsonNode n, Path file) {
        String where = file.toString();
        JsonNode load = n.at("/scenario/load/standardized");
        String tool = ImportedValues.text(load.path("tool"));
        Double rate = finite(load.path("rate_qps"));
        Double cap = finite(load.path("concurrency"));
        Integer concurrency = cap == null ? null : (int) Math.round(cap);
        if (rate == null && concurrency == null) {
            throw new IllegalArgumentException(where + ": scenario.load.standardized sets neither a finite rate_qps nor "
                    + "concurrency, so the report has no place on the load axis");
        }
        if (rate != null && rate <= 0 || concurrency != null && concurrency < 1) {
            throw new IllegalArgumentException(where + ": scenario.load.standardized rate_qps must be > 0 and concurrency ≥ 1");
        }
        JsonNode aggregate = n.at("/results/request_performance/aggregate");
        JsonNode requests = aggregate.path("requests");
        if (!requests.path("total").isNumber()) {
            throw new IllegalArgumentException(where + ": no results.request_performance.aggregate.requests.total");
        }
        long failures = requests.path("failures").asLong(0);
        long incomplete = requests.path("incomplete").asLong(0);
        ImportedValues v = new ImportedValues()
                .count("completed", Math.max(0, requests.get("total").asLong() - failures - incomplete))
                .count("failed", failures)
                .number("request_throughput", aggregate.at("/throughput/request_rate/mean"))
                .number("output_throughput", aggregate.at("/throughput/output_token_rate/mean"))
                .number("total_token_throughput", aggregate.at("/throughput/total_token_rate/mean"));
        if (incomplete > 0) v.count("cancelled", incomplete);
        v.lengths("input", requests.get("input_length"), ImportedValues.Names.BENCHMARK_REPORT)
                .lengths("output", requests.get("output_length"), ImportedValues.Names.BENCHMARK_REPORT);
        JsonNode latency = aggregate.path("latency");
        latency(v, "ttft", latency.get("time_to_first_token"), where);
        latency(v, "e2el", latency.get("request_latency"), where);
        // The converters put vLLM's TPOT where their tool keeps it (docs/formats.md, "Reading other tools' results").
        switch (tool == null ? "" : tool) {
            case "guidellm", "aiperf" -> latency(v, "tpot", latency.get("inter_token_latency"), where);
            case "vllm-benchmark" -> {
                latency(v, "tpot", latency.get("time_per_output_token"), where);
                latency(v, "itl", latency.get("inter_token_latency"), where);
            }
            default -> latency(v, "tpot", latency.get("time_per_output_token"), where);
        }
        kvCache(v, n.at("/results/observability/components"), where);
        ImportedFrom from = new ImportedFrom(TOOL, version(n), tool, file);
        return List.of(new Point("default", tool != null ? tool : "benchmark-report", false, concurrency, rate, 0,
                "ok", file, served(n), v.values(), false, true, null, null, where, from));
    }

    /** The model and accelerator of the report's one inference engine; unknown when it names none or several. */
    private static ServedConfig served(JsonNode n) {
        JsonNode engine = null;
        for (JsonNode c : n.at("/scenario/stack")) {
            if (!c.at("/standardized/kind").asText().equals("inference_engine")) continue;
            if (engine != null) return ServedConfig.UNKNOWN;
            engine = c.get("standardized");
        }
        if (engine == null) return ServedConfig.UNKNOWN;
        return new ServedConfig(ImportedValues.text(engine.at("/model/name")), null, null, null, null, null, null, null);
    }

    /** Peak and mean KV-cache use (fraction 0–1) where exactly one component reports {@code kv_cache_usage}. */
    private static void kvCache(ImportedValues v, JsonNode components, String where) {
        JsonNode kv = null;
        for (JsonNode c : components) {
            JsonNode usage = c.at("/aggregate/kv_cache_usage");
            if (usage.isMissingNode()) continue;
            if (kv != null) return;
            kv = usage;
        }
        if (kv == null) return;
        double toFraction = switch (kv.path("units").asText()) {
            case "percent" -> 0.01;
            case "fraction" -> 1;
            default -> throw new IllegalArgumentException(where + ": kv_cache_usage in units '" + kv.path("units").asText()
                    + "' (a Benchmark Report portion is percent or fraction)");
        };
        if (kv.path("max").isNumber()) v.number("kv_cache_usage_max", kv.get("max").asDouble() * toFraction);
        if (kv.path("mean").isNumber()) v.number("kv_cache_usage_mean", kv.get("mean").asDouble() * toFraction);
    }

    private static void latency(ImportedValues v, String metric, JsonNode stats, String where) {
        if (stats == null) return;
        double toMs = switch (stats.path("units").asText()) {
            case "ms", "ms/token" -> 1;
            case "s", "s/token" -> 1000;
            default -> throw new IllegalArgumentException(where + ": latency in units '" + stats.path("units").asText()
                    + "' (a Benchmark Report latency is in ms, s, ms/token or s/token)");
        };
        v.latency(metric, stats, ImportedValues.Names.BENCHMARK_REPORT, toMs);
    }

    /** A number that is finite, else null (YAML's {@code .inf}, JSON's {@code Infinity}, absent). */
    private static Double finite(JsonNode n) {
        if (n.isNumber() && Double.isFinite(n.asDouble())) return n.asDouble();
        return null;
    }
}
