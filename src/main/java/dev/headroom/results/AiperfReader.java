package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;

/**
 * AIPerf's aggregate export ({@code profile_export_aiperf.json}; aiperf common/models/export_models.py,
 * {@code JsonExportData}) read as one point. Two layouts exist: the metrics at the top level by tag (AIPerf since
 * October 2025, GenAI-Perf's layout) and, before that, under {@code records}; older files name TTFT {@code ttft}.
 * AIPerf's ITL, (E2E − TTFT)/(OSL − 1), is vLLM's TPOT; its inter-chunk latency is vLLM's ITL; every latency is
 * converted from the unit the file names. Requests AIPerf cancelled itself ({@code --request-cancellation-rate}) are
 * {@code cancelled}, not {@code failed}. The file records no AIPerf version.
 */
final class AiperfReader {

    static final String TOOL = "AIPerf";

    private AiperfReader() {
    }

    /** Whether {@code n} is an AIPerf aggregate export: its user config beside tagged metric results. */
    static boolean recognises(JsonNode n) {
        return n.path("input_config").has("endpoint") && metrics(n).path("request_latency").has("unit");
    }

    /** The export as one point on the load axis of {@code input_config.loadgen}. */
    static List<Point> read(JsonNode n, Path file) {
        String where = file.toString();
        JsonNode m = metrics(n);
        JsonNode loadgen = n.at("/input_config/loadgen");
        JsonNode cap = loadgen.path("concurrency");
        Integer concurrency = cap.canConvertToInt() && cap.asInt() > 0 ? cap.asInt() : null;
        JsonNode requestRate = loadgen.path("request_rate");
        Double rate = requestRate.isNumber() && requestRate.asDouble() > 0 ? requestRate.asDouble() : null;
        if (concurrency == null && rate == null) {
            throw new IllegalArgumentException(where + ": input_config.loadgen sets neither concurrency nor request_rate, "
                    + "so the export has no place on the load axis");
        }
        ImportedValues v = new ImportedValues()
                .count("completed", avg(m, "request_count"))
                .count("failed", avg(m, "error_request_count"))
                .number("duration", seconds(m.get("benchmark_duration"), where))
                .count("total_input_tokens", avg(m, "total_isl"))
                .count("total_output_tokens", avg(m, "total_osl"))
                .number("request_throughput", avg(m, "request_throughput"))
                .number("output_throughput", avg(m, "output_token_throughput"))
                .lengths("input", m.get("input_sequence_length"), ImportedValues.Names.AIPERF)
                .lengths("output", m.get("output_sequence_length"), ImportedValues.Names.AIPERF);
        latency(v, "ttft", m.has("time_to_first_token") ? m.get("time_to_first_token") : m.get("ttft"), where);
        latency(v, "tpot", m.get("inter_token_latency"), where);
        latency(v, "itl", m.get("inter_chunk_latency"), where);
        latency(v, "e2el", m.get("request_latency"), where);
        if (v.get("completed") == null) throw new IllegalArgumentException(where + ": no request_count");
        // AIPerf counts the requests it cancelled itself (--request-cancellation-rate) as errors; they are the
        // client's doing, so they are cancelled, not failed by the server.
        long cancelled = cancelledByClient(n.path("error_summary"));
        long errors = v.get("failed") == null ? 0 : Math.round(v.get("failed"));
        v.count("failed", Math.max(0, errors - cancelled));
        if (cancelled > 0) v.count("cancelled", cancelled);
        JsonNode models = n.at("/input_config/endpoint/model_names");
        String model = models.isArray() && !models.isEmpty() ? models.get(0).asText() : null;
        ServedConfig served = new ServedConfig(model, null, null, null, null, null, null, null);
        ImportedFrom from = new ImportedFrom(TOOL, null, null, file);
        return List.of(new Point("default", "aiperf", false, concurrency, rate, 0, "ok", file, served, v.values(),
                false, true, null, null, where, from));
    }

    /** The requests {@code error_summary} counts as AIPerf's own cancellations. */
    private static long cancelledByClient(JsonNode errorSummary) {
        long n = 0;
        for (JsonNode e : errorSummary) {
            if (e.at("/error_details/type").asText().equals("RequestCancellationError")) n += e.path("count").asLong();
        }
        return n;
    }

    /** The metrics by tag: the top level, or {@code records} in the earlier layout. */
    private static JsonNode metrics(JsonNode n) {
        return n.path("records").isObject() ? n.get("records") : n;
    }

    private static void latency(ImportedValues v, String metric, JsonNode result, String where) {
        if (result != null) v.latency(metric, result, ImportedValues.Names.AIPERF, toMs(result, where));
    }

    private static JsonNode avg(JsonNode m, String tag) {
        return m.path(tag).get("avg");
    }

    /** A duration metric's average in seconds, or null. */
    private static Double seconds(JsonNode metric, String where) {
        if (metric == null || !metric.path("avg").isNumber()) return null;
        return metric.get("avg").asDouble() * toMs(metric, where) / 1000;
    }

    /** The factor from the metric's {@code unit} to milliseconds. */
    private static double toMs(JsonNode metric, String where) {
        String unit = metric.path("unit").asText();
        return switch (unit) {
            case "ms" -> 1;
            case "s", "sec", "seconds" -> 1000;
            case "us" -> 1e-3;
            case "ns" -> 1e-6;
            default -> throw new IllegalArgumentException(where + ": AIPerf metric " + metric.path("tag").asText("")
                    + " in unit '" + unit + "' (headroom reads latencies in ns, us, ms, s or sec)");
        };
    }
}
