package dev.headroom.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Small sweep folders written as docs/formats.md lays them out, with known numbers that tests look for:
 * chat on a T4 measured (best c=16 at 1180.2 tok/s, knee c=32, a server death at c=64, an OOM surface in
 * configs.csv), the same grid predicted, and batch summarization on an A100-40GB predicted.
 */
public final class SweepFixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    /** capacity.csv's columns in formats.md's order (identity, server config, summary keys, telemetry). */
    static final List<String> CAPACITY = List.of("config", "workload", "concurrency", "rate", "repeat", "predicted",
            "status", "dir", "model", "gpu", "gpu_memory_utilization", "max_model_len", "max_num_seqs",
            "max_num_batched_tokens", "enable_prefix_caching", "enable_chunked_prefill", "completed", "failed",
            "duration", "request_throughput", "output_throughput", "total_token_throughput",
            "mean_ttft_ms", "median_ttft_ms", "p90_ttft_ms", "p95_ttft_ms", "p99_ttft_ms",
            "mean_tpot_ms", "median_tpot_ms", "p90_tpot_ms", "p95_tpot_ms", "p99_tpot_ms",
            "mean_itl_ms", "median_itl_ms", "p90_itl_ms", "p95_itl_ms", "p99_itl_ms",
            "mean_e2el_ms", "median_e2el_ms", "p90_e2el_ms", "p95_e2el_ms", "p99_e2el_ms",
            "slo_attainment_pct", "request_goodput", "max_concurrent_requests", "mean_client_queue_time_ms",
            "client_limited", "kv_cache_usage_max", "kv_cache_usage_mean", "num_requests_running_max",
            "num_requests_running_mean", "num_requests_waiting_max", "num_requests_waiting_mean",
            "server_preemptions", "server_prefix_cache_hit_rate");

    static final List<String> CONFIGS = List.of("config", "model", "gpu", "gpu_memory_utilization", "max_model_len",
            "max_num_seqs", "max_num_batched_tokens", "enable_prefix_caching", "enable_chunked_prefill",
            "predicted_starts", "predicted_kv_cache_tokens", "predicted_max_concurrency", "predicted_error", "status",
            "failure", "message", "reported_kv_cache_tokens", "reported_max_concurrency", "disagreement");

    /** Output throughput of the measured chat sweep at c = 1, 2, 4, 8, 16, 32. */
    static final double[] CHAT_TPS = {98.4, 190.7, 362.5, 655.0, 1180.2, 1320.0};
    static final double[] CHAT_TPS_PREDICTED = {102.1, 200.3, 380.8, 690.4, 1215.6, 1402.9};
    static final double[] BATCH_TPS = {210.5, 780.3, 2450.8, 4105.6};

    private SweepFixtures() {}

    /** Writes the three sweeps under {@code root}; returns their folders: chat measured, chat predicted, batch. */
    public static List<Path> all(Path root) {
        return List.of(chatMeasured(root.resolve("chat-t4")), chatPredicted(root.resolve("chat-t4-predicted")),
                batchPredicted(root.resolve("batch-a100")));
    }

    /** Chat on a T4, measured; configs.csv maps an OOM surface; analysis.json judges it. */
    public static Path chatMeasured(Path dir) {
        List<Map<String, Object>> rows = new ArrayList<>();
        double[] c = {1, 2, 4, 8, 16, 32};
        double[] ttft50 = {45, 48, 55, 70, 120, 420};
        double[] ttft95 = {60, 66, 80, 110, 210, 900};
        double[] tpot = {10.0, 10.2, 10.6, 11.3, 12.4, 21.0};
        double[] e2e95 = {1340, 1372, 1440, 1580, 1810, 3710};
        double[] kv = {0.02, 0.04, 0.08, 0.17, 0.45, 0.99};
        long[] preempt = {0, 0, 0, 0, 0, 37};
        for (int i = 0; i < c.length; i++) {
            rows.add(point("default", "chat", c[i], false, "Tesla T4", 4096, 0.8, 2048, CHAT_TPS[i], ttft50[i], ttft95[i],
                    tpot[i], e2e95[i], kv[i], preempt[i]));
        }
        rows.get(4).put("server_mean_queue_time_ms", 35.0);
        rows.get(4).put("server_mean_prefill_time_ms", 62.0);
        rows.add(failedPoint("default", "chat", 64, "server_died"));
        for (int i = 3; i < 5; i++) {
            rows.add(point("mbt8192", "chat", c[i], false, "Tesla T4", 4096, 0.8, 8192, CHAT_TPS[i] * 1.013,
                    ttft50[i] * 0.8, ttft95[i] * 0.8, tpot[i] * 1.04, e2e95[i] * 1.03, kv[i], preempt[i]));
        }
        write(dir, rows, List.of(
                config("default", 0.8, 4096, 2048, true, 316688, 77.32, "ran", "", "", 316688, 77.32, ""),
                config("mbt8192", 0.8, 4096, 8192, true, 312592, 76.32, "ran", "", "", 312592, 76.32, ""),
                config("len32k", 0.8, 32768, 2048, true, 316688, 9.66, "ran", "", "", 316688, 9.66, ""),
                config("util095", 0.95, 4096, 2048, true, 420112, 102.57, "failed_to_start", "out_of_memory",
                        "CUDA out of memory. Tried to allocate 1.02 GiB. GPU 0 has a total capacity of 14.75 GiB", null, null,
                        "planner predicted a start; the server ran out of memory"),
                config("util095-len32k", 0.95, 32768, 2048, false, null, null, "failed_to_start", "out_of_memory",
                        "CUDA out of memory. Tried to allocate 1.02 GiB.", null, null, "")));
        writeRun(dir.resolve("points/default/chat-c16"), 16, 12.4, 120, true, false);
        analysis(dir, List.of(group("default", "chat", false, "Tesla T4", 2500, 16, 1180.2, 1810, 210, 12.4, 32, 1320.0,
                3710, "kv_capacity", "Serve chat at concurrency 16: 1,180 tok/s, p95 E2E 1.81 s. Beyond 32 the KV cache fills and requests are preempted.")),
                List.of());
        return dir;
    }

    /** The measured chat grid as the simulator predicts it (offline). */
    public static Path chatPredicted(Path dir) {
        List<Map<String, Object>> rows = new ArrayList<>();
        double[] c = {1, 2, 4, 8, 16, 32};
        double[] ttft50 = {41, 44, 50, 64, 108, 380};
        double[] tpot = {9.6, 9.8, 10.1, 10.9, 12.0, 19.5};
        double[] e2e95 = {1290, 1320, 1390, 1520, 1740, 3400};
        for (int i = 0; i < c.length; i++) {
            rows.add(point("default", "chat", c[i], true, "Tesla T4", 4096, 0.8, 2048, CHAT_TPS_PREDICTED[i], ttft50[i],
                    ttft50[i] * 1.6, tpot[i], e2e95[i], Double.NaN, 0));
        }
        write(dir, rows, List.of(config("default", 0.8, 4096, 2048, true, 316688, 77.32, "", "", "", null, null, "")));
        writeRun(dir.resolve("points/default/chat-c16"), 16, 12.0, 108, false, true);
        ArrayNode comparison = JSON.createArrayNode();
        for (int i = 0; i < c.length; i++) {
            comparison.addObject().put("config", "default").put("workload", "chat").put("concurrency", c[i])
                    .putNull("rate").put("metric", "output_throughput").put("measured", CHAT_TPS[i])
                    .put("predicted", CHAT_TPS_PREDICTED[i])
                    .put("error_pct", 100 * (CHAT_TPS_PREDICTED[i] - CHAT_TPS[i]) / CHAT_TPS[i]);
        }
        analysis(dir, List.of(group("default", "chat", true, "Tesla T4", 2500, 16, 1215.6, 1740, 173, 12.0, 32, 1402.9,
                3400, "kv_capacity", "Serve chat at concurrency 16: 1,216 tok/s, p95 E2E 1.74 s.")), List.of(comparison));
        return dir;
    }

    /** Batch summarization on an A100-40GB, predicted. */
    public static Path batchPredicted(Path dir) {
        return batchPredicted(dir, "NVIDIA A100-SXM4-40GB", 1243408, 151.78);
    }

    /** Batch summarization predicted on {@code gpu}, whose KV cache holds {@code kvTokens} ({@code maxConcurrency} at 8192). */
    public static Path batchPredicted(Path dir, String gpu, int kvTokens, double maxConcurrency) {
        List<Map<String, Object>> rows = new ArrayList<>();
        double[] c = {1, 4, 16, 64};
        double[] ttft50 = {95, 130, 310, 1900};
        double[] tpot = {7.9, 8.6, 11.2, 16.4};
        double[] e2e95 = {2600, 2900, 3800, 7900};
        for (int i = 0; i < c.length; i++) {
            rows.add(point("default", "summarize", c[i], true, gpu, 8192, 0.85, 8192, BATCH_TPS[i],
                    ttft50[i], ttft50[i] * 1.5, tpot[i], e2e95[i], 0.05 * c[i] / 4, c[i] >= 64 ? 12 : 0));
        }
        Map<String, Object> config = config("default", 0.85, 8192, 8192, true, kvTokens, maxConcurrency, "", "", "", null, null, "");
        config.put("gpu", gpu);
        write(dir, rows, List.of(config));
        analysis(dir, List.of(group("default", "summarize", true, gpu, 5000, 16, 2450.8, 3800, 465,
                11.2, 64, 4105.6, 7900, "prefill_compute", "Run summarize at concurrency 16: 2,451 tok/s, p95 E2E 3.8 s.")),
                List.of());
        return dir;
    }

    private static Map<String, Object> point(String config, String workload, double c, boolean predicted, String gpu,
                                             int maxLen, double util, int mbt, double tps, double ttft50, double ttft95,
                                             double tpot, double e2e95, double kvMax, long preemptions) {
        Map<String, Object> r = identity(config, workload, c, predicted, predicted ? "ok" : "ok");
        r.putAll(serve(gpu, util, maxLen, mbt));
        int output = workload.equals("chat") ? 128 : 256;
        double e2e50 = ttft50 + (output - 1) * tpot;
        r.put("completed", 32);
        r.put("failed", 0);
        r.put("duration", 32 * output / tps);
        r.put("request_throughput", tps / output);
        r.put("output_throughput", tps);
        r.put("total_token_throughput", tps * 3);
        stats(r, "ttft", ttft50, ttft95, ttft95 * 1.2);
        stats(r, "tpot", tpot, tpot * 1.05, tpot * 1.1);
        stats(r, "itl", tpot, tpot * 1.3, tpot * 2.5);
        stats(r, "e2el", e2e50, e2e95, e2e95 * 1.08);
        r.put("max_concurrent_requests", (int) c);
        r.put("mean_client_queue_time_ms", 0.0);
        r.put("client_limited", false);
        r.put("kv_cache_usage_max", kvMax);
        r.put("kv_cache_usage_mean", kvMax * 0.7);
        r.put("num_requests_running_max", Double.isNaN(kvMax) ? null : (int) c);
        r.put("server_preemptions", preemptions);
        r.put("server_prefix_cache_hit_rate", workload.equals("chat") ? 0.16 : 0.0);
        return r;
    }

    private static Map<String, Object> failedPoint(String config, String workload, double c, String status) {
        Map<String, Object> r = identity(config, workload, c, false, status);
        r.putAll(serve("Tesla T4", 0.8, 4096, 2048));
        return r;
    }

    private static Map<String, Object> identity(String config, String workload, double c, boolean predicted, String status) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", config);
        r.put("workload", workload);
        r.put("concurrency", (int) c);
        r.put("repeat", 0);
        r.put("predicted", predicted);
        r.put("status", status);
        r.put("dir", "points/" + config + "/" + workload + "-c" + (int) c);
        return r;
    }

    private static Map<String, Object> serve(String gpu, double util, int maxLen, int mbt) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", "qwen2.5-1.5b-instruct");
        r.put("gpu", gpu);
        r.put("gpu_memory_utilization", util);
        r.put("max_model_len", maxLen);
        r.put("max_num_seqs", 128);
        r.put("max_num_batched_tokens", mbt);
        r.put("enable_prefix_caching", true);
        r.put("enable_chunked_prefill", true);
        return r;
    }

    private static void stats(Map<String, Object> r, String metric, double median, double p95, double p99) {
        r.put("mean_" + metric + "_ms", median * 1.02);
        r.put("median_" + metric + "_ms", median);
        r.put("p90_" + metric + "_ms", (median + p95) / 2);
        r.put("p95_" + metric + "_ms", p95);
        r.put("p99_" + metric + "_ms", p99);
    }

    private static Map<String, Object> config(String name, double util, int maxLen, int mbt, boolean predictedStarts,
                                              Integer predictedKv, Double predictedMax, String status, String failure,
                                              String message, Integer reportedKv, Double reportedMax, String disagreement) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", name);
        r.putAll(serve("Tesla T4", util, maxLen, mbt));
        r.put("predicted_starts", predictedStarts);
        r.put("predicted_kv_cache_tokens", predictedKv);
        r.put("predicted_max_concurrency", predictedMax);
        r.put("predicted_error", predictedStarts ? "" : "ValueError: No available memory for the cache blocks.");
        r.put("status", status);
        r.put("failure", failure);
        r.put("message", message);
        r.put("reported_kv_cache_tokens", reportedKv);
        r.put("reported_max_concurrency", reportedMax);
        r.put("disagreement", disagreement);
        return r;
    }

    private static ObjectNode group(String config, String workload, boolean predicted, String gpu, double sloMs,
                                    double best, double bestTps, double bestE2e, double bestTtft, double bestTpot,
                                    double knee, double kneeTps, double kneeE2e, String factor, String verdict) {
        ObjectNode g = JSON.createObjectNode().put("config", config).put("workload", workload).put("predicted", predicted)
                .put("gpu", gpu).put("model", "qwen2.5-1.5b-instruct");
        g.putObject("slo").put("p95_e2el_ms", sloMs);
        g.putObject("best").put("config", config).put("workload", workload).put("concurrency", best).putNull("rate")
                .put("output_throughput", bestTps).put("p95_e2el_ms", bestE2e).put("p95_ttft_ms", bestTtft)
                .put("median_tpot_ms", bestTpot);
        g.putObject("knee").put("concurrency", knee).putNull("rate").put("output_throughput", kneeTps).put("p95_e2el_ms", kneeE2e);
        g.putObject("max_load_under_slo").put("concurrency", 27.5).putNull("rate").put("interpolated", true)
                .set("bracket", JSON.createArrayNode().add(16).add(32));
        ObjectNode lf = g.putObject("limiting_factor").put("factor", factor).put("onset", knee);
        lf.putArray("evidence").add("kv_cache_usage_max 0.99 at concurrency " + (int) knee);
        g.put("verdict", verdict);
        g.putArray("points");
        return g;
    }

    private static void analysis(Path dir, List<ObjectNode> groups, List<ArrayNode> comparison) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode first = groups.get(0);
        root.set("slo", first.get("slo"));
        root.put("slo_source", "playbook " + first.path("workload").asText() + " default");
        for (String k : List.of("best", "knee", "max_load_under_slo", "limiting_factor", "verdict")) root.set(k, first.get(k));
        root.putArray("groups").addAll(groups);
        if (!comparison.isEmpty()) root.set("comparison", comparison.get(0));
        writeString(dir.resolve("analysis.json"), root.toPrettyString());
    }

    private static void write(Path dir, List<Map<String, Object>> rows, List<Map<String, Object>> configs) {
        writeString(dir.resolve("capacity.csv"), csv(CAPACITY, rows));
        writeString(dir.resolve("configs.csv"), csv(CONFIGS, configs));
        ObjectNode sweep = JSON.createObjectNode().put("tool", "headroom").put("version", "0.1.0")
                .put("command", "sweep").put("started_at", "2025-11-29T10:00:00Z").put("finished_at", "2025-11-29T10:20:00Z");
        sweep.putObject("inputs");
        sweep.set("configs", JSON.valueToTree(configs));
        sweep.set("points", JSON.valueToTree(rows));
        writeString(dir.resolve("sweep.json"), sweep.toPrettyString());
        for (Map<String, Object> r : rows) {
            Path point = dir.resolve((String) r.get("dir"));
            if (!Files.exists(point.resolve("summary.json"))) writeString(point.resolve("summary.json"), JSON.valueToTree(r).toPrettyString());
        }
    }

    private static String csv(List<String> columns, List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> r : rows) {
            out.append(columns.stream().map(k -> cell(r.get(k))).collect(Collectors.joining(","))).append('\n');
        }
        return out.toString();
    }

    private static String cell(Object v) {
        if (v == null) return "";
        if (v instanceof Double d) return d.isNaN() ? "" : Double.toString(d);
        String s = v.toString();
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /** A point folder with 32 requests in two waves of {@code c}, a run.yaml, and telemetry when measured. */
    static void writeRun(Path dir, int c, double tpotMs, double ttftMs, boolean telemetry, boolean predicted) {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 2 * c; i++) {
            double sent = (i / c) * (ttftMs + 140 * tpotMs) + (i % c) * 3;
            double scheduled = sent - (i % c == c - 1 ? 20 : 0);
            double first = sent + ttftMs + (i % c) * 2 + (i == 2 * c - 1 ? 400 : 0);
            ArrayNode chunks = JSON.createArrayNode();
            for (int k = 0; k < 128; k++) chunks.add(Math.round((first + k * tpotMs) * 1000) / 1000.0);
            ObjectNode r = JSON.createObjectNode().put("request_id", "r-" + i).put("scheduled_ms", scheduled)
                    .put("sent_ms", sent).put("first_token_ms", first).put("last_token_ms", first + 127 * tpotMs);
            r.set("chunk_ms", chunks);
            r.put("prompt_tokens", 256).put("output_tokens", 128).put("ok", true).putNull("error");
            jsonl.append(r.toString()).append('\n');
        }
        writeString(dir.resolve("requests.jsonl"), jsonl.toString());
        String yaml = "tool: headroom\nversion: 0.1.0\ncommand: " + (predicted ? "run --offline" : "sweep")
                + "\ninputs:\n  workload: chat\n  concurrency: " + c + "\n  url: " + (predicted ? "null" : "http://127.0.0.1:8000")
                + "\n" + (predicted ? "simulated_target:\n  kind: offline simulation\n  model: qwen2.5-1.5b-instruct\n  gpu: Tesla T4\n" : "");
        writeString(dir.resolve("run.yaml"), yaml);
        if (!telemetry) return;
        StringBuilder t = new StringBuilder("t_s,vllm:kv_cache_usage_perc,vllm:num_requests_running,vllm:num_requests_waiting\n");
        for (int i = 0; i <= 8; i++) {
            t.append(String.format(Locale.ROOT, "%.1f,%.3f,%d,%d%n", i * 0.5, 0.05 + 0.05 * i, i < 7 ? c : 4, i < 2 ? 3 : 0));
        }
        writeString(dir.resolve("telemetry.csv"), t.toString());
    }

    static void writeString(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
