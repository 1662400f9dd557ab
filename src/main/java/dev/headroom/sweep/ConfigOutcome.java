package dev.headroom.sweep;

import dev.headroom.sweep.Launch.StartFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One server config of a sweep as it turned out beside what the planner predicted: one row of {@code configs.csv}
 * (docs/formats.md) and one entry of {@code sweep.json}'s {@code configs}.
 *
 * @param config                 the variant's label
 * @param plan                   the planner's prediction and the config's vLLM values
 * @param status                 ran, failed to start, or died under load
 * @param failure                why it failed or died, or null when it ran
 * @param message                the server's own words quoted from its log (or ours when it said nothing), or null
 * @param reportedKvCacheTokens  vLLM's {@code GPU KV cache size} as logged, or null
 * @param reportedMaxConcurrency vLLM's {@code Maximum concurrency} as logged, or null
 * @param command                the command line that started its server (API keys masked), or null when none ran
 */
public record ConfigOutcome(String config, PlanCheck plan, Status status, StartFailure failure, String message,
                            Long reportedKvCacheTokens, Double reportedMaxConcurrency, String command) {

    /** A config no command line served (the simulator in this process, a predicted one, a server at --url). */
    public ConfigOutcome(String config, PlanCheck plan, Status status, StartFailure failure, String message,
                         Long reportedKvCacheTokens, Double reportedMaxConcurrency) {
        this(config, plan, status, failure, message, reportedKvCacheTokens, reportedMaxConcurrency, null);
    }

    /** KV cache sizes further apart than this (percent of the prediction) are a disagreement. */
    public static final double KV_TOLERANCE_PCT = 3.0;

    /** How a config ended, as {@code configs.csv} spells it. */
    public enum Status {
        RAN, FAILED_TO_START, DIED_UNDER_LOAD;

        /** {@code ran}, {@code failed_to_start}, {@code died_under_load}. */
        public String csv() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** configs.csv's columns, in order. */
    public static List<String> columns() {
        List<String> c = new ArrayList<>();
        c.add("config");
        c.addAll(PlanCheck.SERVER_KEYS);
        c.addAll(List.of("predicted_starts", "predicted_kv_cache_tokens", "predicted_max_concurrency", "predicted_error",
                "status", "failure", "message", "reported_kv_cache_tokens", "reported_max_concurrency", "disagreement", "command"));
        return c;
    }

    /** The row as an object with configs.csv's columns as keys (nulls for empty cells), for {@code sweep.json}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", config);
        for (String key : PlanCheck.SERVER_KEYS) m.put(key, plan.serverValues().get(key));
        m.put("predicted_starts", plan.starts());
        m.put("predicted_kv_cache_tokens", plan.kvCacheTokens());
        m.put("predicted_max_concurrency", plan.maxConcurrency());
        m.put("predicted_error", plan.error());
        m.put("status", status.csv());
        m.put("failure", failure == null ? null : failure.name().toLowerCase(Locale.ROOT));
        m.put("message", message);
        m.put("reported_kv_cache_tokens", reportedKvCacheTokens);
        m.put("reported_max_concurrency", reportedMaxConcurrency);
        m.put("disagreement", disagreement());
        m.put("command", command);
        return m;
    }

    /**
     * Empty when plan and server agree; else one sentence: a start the planner did not predict (or the reverse),
     * a different failure, or KV cache sizes more than {@link #KV_TOLERANCE_PCT}% apart.
     */
    public String disagreement() {
        if (plan.starts() == null || clusters(failure)) return null;
        boolean started = status != Status.FAILED_TO_START;
        if (plan.starts() && !started) return "planner predicted a start; the server " + serverDid(failure);
        StartFailure predicted = StartupClassifier.kindOf(plan.error()).orElse(StartFailure.BAD_CONFIG);
        if (!plan.starts() && started) {
            return "planner predicted vLLM would refuse to start (" + words(predicted) + "); the server started";
        }
        if (!started) {
            return predicted == failure || failure == StartFailure.HEALTH_TIMEOUT ? null
                    : "planner predicted " + words(predicted) + "; the server " + serverDid(failure);
        }
        return kvDisagreement();
    }

    private String kvDisagreement() {
        if (plan.kvCacheTokens() == null || reportedKvCacheTokens == null || plan.kvCacheTokens() == 0) return null;
        double pct = 100.0 * (reportedKvCacheTokens - plan.kvCacheTokens()) / plan.kvCacheTokens();
        if (Math.abs(pct) <= KV_TOLERANCE_PCT) return null;
        return String.format(Locale.US, "KV tokens differ by %.1f%% (planner %,d, server %,d)", Math.abs(pct),
                plan.kvCacheTokens(), reportedKvCacheTokens);
    }

    private static String serverDid(StartFailure failure) {
        return switch (failure) {
            case OUT_OF_MEMORY -> "ran out of memory";
            case KV_CACHE_TOO_SMALL -> "had too little KV cache for max_model_len";
            case BAD_CONFIG -> "rejected its config";
            case HEALTH_TIMEOUT -> "did not answer /health in time";
            case EXITED -> "exited";
            case UNSCHEDULABLE, IMAGE_PULL, OOM_KILLED -> "did not run";
        };
    }

    /** A failure of the cluster around the server (no node, no image, the pod's memory limit): no verdict on the plan. */
    private static boolean clusters(StartFailure failure) {
        return failure == StartFailure.UNSCHEDULABLE || failure == StartFailure.IMAGE_PULL || failure == StartFailure.OOM_KILLED;
    }

    private static String words(StartFailure kind) {
        return switch (kind) {
            case OUT_OF_MEMORY -> "out of memory";
            case KV_CACHE_TOO_SMALL -> "KV cache too small for max_model_len";
            default -> "a config error";
        };
    }
}
