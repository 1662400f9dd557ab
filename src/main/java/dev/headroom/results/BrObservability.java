package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The report's {@code results.observability}: the server's {@code /metrics} as sampled into telemetry.csv (for a
 * predicted run, the engine's own counters) as the component's aggregate and time series, the GPU's power when
 * measured, and headroom's own extras under the key {@code headroom} (the schema allows ad-hoc keys here); and
 * {@code results.component_health}.
 */
final class BrObservability {

    /** The extension key under {@code results.observability}: headroom's figures the schema has no field for. */
    static final String EXTENSION = "headroom";

    /** summary.json's keys of the TTFT split (docs/formats.md), copied into the extension as they are. */
    private static final List<String> TTFT_SPLIT = List.of("server_metrics_requests", "mean_engine_queue_ms",
            "median_engine_queue_ms", "p95_engine_queue_ms", "mean_engine_prefill_ms", "median_engine_ttft_ms",
            "p95_engine_ttft_ms", "median_ttft_outside_engine_ms", "p95_ttft_outside_engine_ms", "p99_ttft_outside_engine_ms");

    /** summary.json's client-health keys, copied into the extension. */
    private static final List<String> CLIENT = List.of("client_limited", "client_limited_reason", "client_cpu_fraction_of_cores",
            "client_io_busy_max", "client_lag_p99_ms", "client_dispatch_lag_p99_ms", "ttft_starts_at");

    /** sweep.json's config keys that set the planner's prediction beside what the server reported at start. */
    private static final List<String> PLAN_VS_SERVER = List.of("predicted_starts", "predicted_kv_cache_tokens",
            "predicted_max_concurrency", "reported_kv_cache_tokens", "reported_max_concurrency", "disagreement");

    private BrObservability() {}

    static ObjectNode of(BrSource s) {
        ObjectNode obs = BrStats.NODES.objectNode();
        ObjectNode component = BrStats.NODES.objectNode();
        component.put("component_label", BrScenario.label(s));
        BrStats.putIf(component, "aggregate", aggregate(s));
        BrStats.putIf(component, "time_series", timeSeries(s));
        if (component.size() > 1) obs.putArray("components").add(component);
        obs.set(EXTENSION, extension(s));
        return obs;
    }

    private static ObjectNode aggregate(BrSource s) {
        Map<String, double[]> t = s.telemetry();
        ObjectNode a = BrStats.NODES.objectNode();
        BrStats.putIf(a, "kv_cache_usage", column(t, "kv_cache_usage_perc", "fraction"));
        BrStats.putIf(a, "cache_hit_rate", BrStats.mean(s.number("server_prefix_cache_hit_rate"), "fraction"));
        BrStats.putIf(a, "power_consumption", BrStats.mean(s.power().meanWatts(), "Watts"));
        BrStats.putIf(a, "running_requests", column(t, "num_requests_running", "count"));
        BrStats.putIf(a, "waiting_requests", column(t, "num_requests_waiting", "count"));
        // The counter's increase over the window: one figure, so it stands as the mean.
        BrStats.putIf(a, "preemptions", BrStats.mean(s.number("server_preemptions"), "count"));
        return a;
    }

    private static ObjectNode column(Map<String, double[]> telemetry, String name, String units) {
        double[] values = telemetry.get(name);
        return values == null ? null : BrStats.of(values, units);
    }

    /** telemetry.csv's rows as v0.2.1's engine time series, stamped at each sample. */
    private static ObjectNode timeSeries(BrSource s) {
        Map<String, double[]> t = s.telemetry();
        double[] at = t.get("t_s");
        if (at == null) return null;
        ObjectNode ts = BrStats.NODES.objectNode();
        Instant start = s.startedAt();
        series(ts, "kv_cache_usage", t.get("kv_cache_usage_perc"), "fraction", at, start);
        series(ts, "num_requests_running", t.get("num_requests_running"), "count", at, start);
        series(ts, "num_requests_waiting", t.get("num_requests_waiting"), "count", at, start);
        series(ts, "num_preemptions", t.get("num_preemptions_total"), "count", at, start);
        series(ts, "prefix_cache_queries", t.get("prefix_cache_queries_total"), "count", at, start);
        series(ts, "prefix_cache_hits", t.get("prefix_cache_hits_total"), "count", at, start);
        return ts;
    }

    private static void series(ObjectNode parent, String key, double[] values, String units, double[] atSeconds, Instant start) {
        if (values == null) return;
        ObjectNode data = BrStats.NODES.objectNode();
        data.put("units", units);
        ArrayNode points = data.putArray("series");
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i]) || Double.isNaN(atSeconds[i])) continue;
            ObjectNode p = points.addObject();
            p.put("ts", start.plusNanos(Math.round(atSeconds[i] * 1e9)).toString());
            p.put("value", values[i]);
        }
        if (!points.isEmpty()) parent.set(key, data);
    }

    /**
     * headroom's extras: where the numbers came from, the run's validity checks, the TTFT split, the client's
     * health, failures by kind, the energy per output token when measured, a simulated run's prediction block, and
     * for a sweep's point the planner's prediction of its config beside what the server reported.
     */
    private static ObjectNode extension(BrSource s) {
        ObjectNode h = BrStats.NODES.objectNode();
        h.put("source", s.source().word());
        copy(s.summary(), h, "valid");
        copy(s.summary(), h, "validity");
        ObjectNode split = h.putObject("ttft_split");
        for (String key : TTFT_SPLIT) copy(s.summary(), split, key);
        ObjectNode client = h.putObject("client");
        for (String key : CLIENT) copy(s.summary(), client, key);
        copy(s.summary(), h, "failed_by_kind");
        copy(s.summary(), h, "client_failed");
        copy(s.summary(), h, "short_outputs");
        if (s.power().joulesPerOutputToken() != null) h.put("energy_per_output_token_j", s.power().joulesPerOutputToken());
        copy(s.summary(), h, PredictionBlock.KEY);
        JsonNode config = s.experiment().configRow();
        if (config != null) {
            ObjectNode plan = h.putObject("plan_vs_server");
            for (String key : PLAN_VS_SERVER) copy(config, plan, key);
        }
        return h;
    }

    private static void copy(JsonNode from, ObjectNode to, String key) {
        JsonNode v = from.get(key);
        if (v != null) to.set(key, v.deepCopy());
    }

    /**
     * The server's health over the run, for runs that went to a server: one replica, failed when a request failed by
     * the server's doing (failures by kind are in the extension); its log when headroom kept one. Whether it was
     * healthy at the end is not measured, so {@code healthy} is left out.
     */
    static ArrayNode componentHealth(BrSource s) {
        if (s.source() == RunSource.PREDICTED) return null;
        ArrayNode health = BrStats.NODES.arrayNode();
        ObjectNode c = health.addObject();
        c.put("component_label", BrScenario.label(s));
        int serverFailures = s.stats().failed() - s.stats().clientFailed();
        c.put("failed_replicas", serverFailures > 0 ? 1 : 0);
        ObjectNode replica = c.putArray("replica_health").addObject();
        String url = s.run().input("url");
        replica.put("replica_id", url.isEmpty() ? BrScenario.label(s) : url);
        if (Files.isRegularFile(s.dir().resolve("server.log"))) replica.put("logs", "server.log");
        return health;
    }
}
