package dev.headroom.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Predicted chat sweeps on a T4 with known numbers for the tuning study: a per-step token budget swept at 2048 and
 * 16384, an OOM surface (memory fraction 0.25 and 0.95 × context length 4096 and 32768) whose 0.25/4096 cell preempts
 * 12 times at c=64, and a remedy sweep that lowers max_num_seqs on that cell.
 */
final class TuningFixtures {

    private TuningFixtures() {}

    /** A config: its label and settings, whether it started, its KV cache, and its failure (empty when it started). */
    record Config(String name, double util, int maxLen, int seqs, int budget, long kvTokens, String failure) {
        boolean started() {
            return failure.isEmpty();
        }
    }

    /** One load of one config: throughput, p95 TTFT, p99 ITL and preemptions. */
    record Load(String config, int c, double tps, double ttft95, double itl99, long preemptions) {}

    static Path batchedTokens(Path dir) {
        return sweep(dir, List.of(new Config("mbt2048", 0.8, 4096, 128, 2048, 300000, ""),
                        new Config("mbt16384", 0.8, 4096, 128, 16384, 300000, "")),
                List.of(new Load("mbt2048", 16, 830, 200, 150, 0), new Load("mbt16384", 16, 830, 340, 15.5, 0),
                        new Load("mbt2048", 64, 1700, 1200, 205, 0), new Load("mbt16384", 64, 1680, 1300, 21.4, 0)));
    }

    static Path surface(Path dir) {
        return sweep(dir, List.of(new Config("util025-len4k", 0.25, 4096, 128, 2048, 17936, ""),
                        new Config("util025-len32k", 0.25, 32768, 128, 2048, 17936, "kv_cache_too_small"),
                        new Config("util095-len4k", 0.95, 4096, 128, 2048, 404592, ""),
                        new Config("util095-len32k", 0.95, 32768, 128, 2048, 404592, "")),
                List.of(new Load("util025-len4k", 16, 860, 297, 150, 0), new Load("util025-len4k", 64, 1606, 1316, 200, 12),
                        new Load("util095-len4k", 16, 860, 297, 150, 0), new Load("util095-len4k", 64, 1859, 1316, 200, 0),
                        new Load("util095-len32k", 16, 860, 297, 150, 0), new Load("util095-len32k", 64, 1859, 1316, 200, 0)));
    }

    static Path remedies(Path dir) {
        return sweep(dir, List.of(new Config("max_num_seqs=64", 0.25, 4096, 64, 2048, 17936, "")),
                List.of(new Load("max_num_seqs=64", 16, 860, 297, 150, 0), new Load("max_num_seqs=64", 64, 1859, 1316, 200, 0)));
    }

    /** The worst cell with its memory fraction raised (0.25 to 0.5) at the same loads, but serving prompts five times as long. */
    static Path longPrompts(Path dir) {
        return sweep(dir, List.of(new Config("long-prompts", 0.5, 4096, 128, 2048, 300000, "")),
                List.of(new Load("long-prompts", 16, 700, 400, 150, 0), new Load("long-prompts", 64, 1300, 1700, 200, 0)), 15);
    }

    private static Path sweep(Path dir, List<Config> configs, List<Load> loads) {
        return sweep(dir, configs, loads, 3);
    }

    /** {@code totalPerOutput}: total tokens per output token, so a request's prompt is (it − 1) × its output. */
    private static Path sweep(Path dir, List<Config> configs, List<Load> loads, double totalPerOutput) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Load l : loads) {
            Config cfg = configs.stream().filter(c -> c.name().equals(l.config())).findFirst().orElseThrow();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("config", cfg.name());
            r.put("workload", "chat");
            r.put("concurrency", l.c());
            r.put("repeat", 0);
            r.put("predicted", true);
            r.put("status", "ok");
            r.put("dir", "points/" + cfg.name() + "/chat-c" + l.c());
            r.putAll(settings(cfg));
            r.put("completed", 128);
            r.put("failed", 0);
            r.put("duration", 10.0);
            r.put("request_throughput", l.tps() / 96);
            r.put("output_throughput", l.tps());
            r.put("total_token_throughput", l.tps() * totalPerOutput);
            for (String m : List.of("ttft", "tpot", "itl", "e2el")) {
                double base = m.equals("ttft") ? l.ttft95() / 2 : m.equals("e2el") ? 2000 + l.ttft95() : 20;
                r.put("mean_" + m + "_ms", base);
                r.put("median_" + m + "_ms", base);
                r.put("p90_" + m + "_ms", base * 1.5);
                r.put("p95_" + m + "_ms", m.equals("ttft") ? l.ttft95() : base * 2);
                r.put("p99_" + m + "_ms", m.equals("itl") ? l.itl99() : base * 3);
            }
            r.put("max_concurrent_requests", l.c());
            r.put("mean_client_queue_time_ms", 0.0);
            r.put("client_limited", false);
            r.put("kv_cache_usage_max", l.preemptions() > 0 ? 1.0 : 0.4);
            r.put("kv_cache_usage_mean", 0.3);
            r.put("num_requests_running_max", l.c());
            r.put("server_preemptions", l.preemptions());
            r.put("server_prefix_cache_hit_rate", 0.18);
            rows.add(r);
        }
        List<Map<String, Object>> configRows = new ArrayList<>();
        for (Config cfg : configs) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("config", cfg.name());
            r.putAll(settings(cfg));
            r.put("predicted_starts", cfg.started());
            r.put("predicted_kv_cache_tokens", cfg.kvTokens());
            r.put("predicted_max_concurrency", cfg.kvTokens() / (double) cfg.maxLen());
            r.put("status", cfg.started() ? "ran" : "failed_to_start");
            r.put("failure", cfg.failure());
            r.put("message", cfg.started() ? "" : "ValueError: To serve at least one request with the models's max seq len ("
                    + cfg.maxLen() + "), (0.88 GiB KV cache is needed, which is larger than the available KV cache memory "
                    + "(0.48 GiB). Based on the available memory, the estimated maximum model length is 17936.");
            configRows.add(r);
        }
        SweepFixtures.writeString(dir.resolve("capacity.csv"), csv(SweepFixtures.CAPACITY, rows));
        SweepFixtures.writeString(dir.resolve("configs.csv"), csv(SweepFixtures.CONFIGS, configRows));
        for (Map<String, Object> r : rows) {
            SweepFixtures.writeString(dir.resolve((String) r.get("dir")).resolve("summary.json"),
                    SweepFixtures.JSON.valueToTree(r).toPrettyString());
        }
        return dir;
    }

    private static Map<String, Object> settings(Config cfg) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", "qwen2.5-1.5b-instruct");
        r.put("gpu", "t4");
        r.put("gpu_memory_utilization", cfg.util());
        r.put("max_model_len", cfg.maxLen());
        r.put("max_num_seqs", cfg.seqs());
        r.put("max_num_batched_tokens", cfg.budget());
        r.put("enable_prefix_caching", true);
        r.put("enable_chunked_prefill", true);
        return r;
    }

    private static String csv(List<String> columns, List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> r : rows) {
            out.append(columns.stream().map(k -> {
                Object v = r.get(k);
                String s = v == null ? "" : v.toString();
                return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
            }).collect(Collectors.joining(","))).append('\n');
        }
        return out.toString();
    }
}
