package dev.headroom.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run reused and how its sessions went, from the records alone: the prefix-cache hit rate the server's
 * {@code usage.prompt_tokens_details.cached_tokens} reports, and TTFT per turn of multi-turn sessions (TTFT grows
 * with the history unless the prefix cache serves it).
 */
public final class ReuseMetrics {

    private ReuseMetrics() {}

    /**
     * summary.json's {@code usage_cached_hit_rate} ({@link #cachedHitRate}) and, when any record belongs to a session, {@code turns}.
     */
    public static Map<String, Object> toMap(List<RequestRecord> records) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("usage_cached_hit_rate", cachedHitRate(records));
        List<Map<String, Object>> turns = perTurn(records);
        if (!turns.isEmpty()) m.put("turns", turns);
        return m;
    }

    /**
     * Σ cached / Σ prompt tokens over successful requests with server usage, or null when no request reported
     * cached tokens. vLLM sets {@code prompt_tokens_details} only when a request had cached tokens
     * (serving_chat.py: {@code if self.enable_prompt_tokens_details and num_cached_tokens}), so once a server has
     * reported them, a usage without them means none were cached.
     */
    public static Double cachedHitRate(List<RequestRecord> records) {
        if (records.stream().noneMatch(r -> r.ok() && r.cachedTokens() >= 0)) return null;
        long cached = 0;
        long prompt = 0;
        for (RequestRecord r : records) {
            if (!r.ok() || !r.usageReported()) continue;
            cached += Math.max(0, r.cachedTokens());
            prompt += r.promptTokens();
        }
        return prompt == 0 ? null : (double) cached / prompt;
    }

    /**
     * One entry per session turn, in turn order: {@code turn}, {@code completed}, {@code failed},
     * {@code median_ttft_ms}, {@code p95_ttft_ms} (numpy's percentiles over successful requests; null when none
     * succeeded) and {@code mean_prompt_tokens}; empty when no record carries a turn.
     */
    public static List<Map<String, Object>> perTurn(List<RequestRecord> records) {
        TreeMap<Integer, List<RequestRecord>> byTurn = new TreeMap<>();
        for (RequestRecord r : records) {
            if (r.turn() >= 0 && !r.cancelled()) byTurn.computeIfAbsent(r.turn(), t -> new ArrayList<>()).add(r);
        }
        List<Map<String, Object>> out = new ArrayList<>(byTurn.size());
        byTurn.forEach((turn, list) -> out.add(turn(turn, list)));
        return out;
    }

    private static Map<String, Object> turn(int turn, List<RequestRecord> records) {
        List<RequestRecord> ok = records.stream().filter(RequestRecord::ok).toList();
        double[] ttftMs = ok.stream().mapToDouble(r -> r.ttftNanos() / 1e6).toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("turn", turn);
        m.put("completed", ok.size());
        m.put("failed", records.size() - ok.size());
        m.put("median_ttft_ms", ok.isEmpty() ? null : Numpy.median(ttftMs));
        m.put("p95_ttft_ms", ok.isEmpty() ? null : Numpy.percentile(ttftMs, 95));
        m.put("mean_prompt_tokens", ok.isEmpty() ? null : ok.stream().mapToInt(RequestRecord::promptTokens).average().orElse(0));
        return m;
    }
}
