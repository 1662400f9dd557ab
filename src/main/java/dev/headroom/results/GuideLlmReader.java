package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * GuideLLM's benchmarks report ({@code guidellm benchmark --output-path x.json}; guidellm
 * benchmark/schemas/report.py, {@code GenerativeBenchmarksReport}, {@code metadata.version} 2) read as points, one
 * per benchmark. Each metric is taken from the distribution over successful requests and mapped to vLLM's
 * definition as docs/formats.md's "Reading other tools' results" says: GuideLLM's {@code inter_token_latency_ms} is
 * vLLM's TPOT (its {@code time_per_output_token_ms} includes the first token and is left out), its
 * {@code request_latency} in seconds is E2EL, and vLLM's per-chunk ITL is not measured.
 */
final class GuideLlmReader {

    static final String TOOL = "GuideLLM";
    /** The report schema versions this reader knows ({@code metadata.version}). */
    static final int SUPPORTED_VERSION = 2;

    private GuideLlmReader() {
    }

    /** Whether {@code n} is a GuideLLM benchmarks report of any version: a list of generative benchmarks. */
    static boolean recognises(JsonNode n) {
        JsonNode benchmarks = n.path("benchmarks");
        if (!benchmarks.isArray()) return false;
        if (n.path("metadata").has("guidellm_version")) return true;
        return !benchmarks.isEmpty() && benchmarks.get(0).path("type_").asText().equals("generative_benchmark");
    }

    /** What the file says it is, for a refusal: {@code GuideLLM benchmarks report version 1 (GuideLLM 0.3.0)}. */
    static String recognisedAs(JsonNode n) {
        JsonNode meta = n.path("metadata");
        String version = meta.has("version") ? "version " + meta.get("version").asText() : "without metadata.version";
        String tool = meta.has("guidellm_version") ? " (GuideLLM " + meta.get("guidellm_version").asText() + ")" : "";
        return "GuideLLM benchmarks report " + version + tool;
    }

    /** Whether this reader reads that version. */
    static boolean supported(JsonNode n) {
        return n.path("metadata").path("version").asInt(-1) == SUPPORTED_VERSION;
    }

    /** Every benchmark of the report as a point, in the file's order. */
    static List<Point> read(JsonNode n, Path file) {
        ImportedFrom from = new ImportedFrom(TOOL, n.path("metadata").path("guidellm_version").asText(null), null, file);
        String model = ImportedValues.text(n.at("/config/spec/backend/model"));
        List<Point> points = new ArrayList<>();
        JsonNode benchmarks = n.get("benchmarks");
        for (int i = 0; i < benchmarks.size(); i++) {
            points.add(point(benchmarks.get(i), file + " benchmarks[" + i + "]", model, from));
        }
        return points;
    }

    private static Point point(JsonNode b, String where, String fileModel, ImportedFrom from) {
        JsonNode strategy = b.at("/config/strategy");
        String type = strategy.path("type_").asText();
        Integer concurrency = null;
        Double rate = null;
        switch (type) {
            case "synchronous" -> concurrency = 1;
            case "concurrent" -> concurrency = positiveInt(strategy.path("streams"), where + ": strategy streams");
            case "throughput" -> concurrency = strategy.path("max_concurrency").canConvertToInt()
                    ? positiveInt(strategy.get("max_concurrency"), where + ": strategy max_concurrency") : null;
            case "constant", "poisson" -> rate = strategy.path("rate").asDouble(Double.NaN);
            default -> throw new IllegalArgumentException(where + ": GuideLLM strategy '" + type + "' is not a load "
                    + "headroom places (supported: synchronous, concurrent, throughput with max_concurrency, constant, poisson)");
        }
        if (rate != null && !(rate > 0)) throw new IllegalArgumentException(where + ": strategy rate must be > 0, was " + strategy.path("rate"));
        if (concurrency == null && rate == null) {
            throw new IllegalArgumentException(where + ": a throughput benchmark without max_concurrency is an unlimited burst, not a load point");
        }
        JsonNode m = b.path("metrics");
        double duration = b.path("duration").asDouble(Double.NaN);
        ImportedValues v = new ImportedValues()
                .count("completed", m.at("/request_totals/successful"))
                .count("failed", m.at("/request_totals/errored"))
                .count("cancelled", m.at("/request_totals/incomplete"))
                .number("duration", duration)
                .count("total_input_tokens", m.at("/prompt_token_count/successful/total_sum"))
                .count("total_output_tokens", m.at("/output_token_count/successful/total_sum"))
                .latency("ttft", m.at("/time_to_first_token_ms/successful"), ImportedValues.Names.GUIDELLM, 1)
                .latency("tpot", m.at("/inter_token_latency_ms/successful"), ImportedValues.Names.GUIDELLM, 1)
                .latency("e2el", m.at("/request_latency/successful"), ImportedValues.Names.GUIDELLM, 1000)
                .lengths("input", m.at("/prompt_token_count/successful"), ImportedValues.Names.GUIDELLM)
                .lengths("output", m.at("/output_token_count/successful"), ImportedValues.Names.GUIDELLM);
        // vLLM's throughputs are totals over the measured duration; GuideLLM's *_per_second are rate distributions.
        if (duration > 0) {
            Double completed = v.get("completed");
            Double out = v.get("total_output_tokens");
            Double in = v.get("total_input_tokens");
            if (completed != null) v.number("request_throughput", completed / duration);
            if (out != null) v.number("output_throughput", out / duration);
            if (out != null && in != null) v.number("total_token_throughput", (in + out) / duration);
        }
        if (v.get("completed") == null) throw new IllegalArgumentException(where + ": no metrics.request_totals.successful");
        String model = ImportedValues.text(b.at("/config/backend/model"));
        ServedConfig served = new ServedConfig(model != null ? model : fileModel, null, null, null, null, null, null, null);
        return new Point("default", "guidellm", false, concurrency, rate, 0, "ok", from.file(), served, v.values(),
                false, true, null, null, where, from);
    }

    private static Integer positiveInt(JsonNode n, String what) {
        if (!n.canConvertToInt() || n.asInt() < 1) throw new IllegalArgumentException(what + " must be a whole number ≥ 1, was " + n);
        return n.asInt();
    }
}
