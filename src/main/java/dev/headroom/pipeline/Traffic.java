package dev.headroom.pipeline;

import dev.headroom.workload.PrefixPlan;
import dev.headroom.workload.Trace;
import dev.headroom.workload.Turns;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What makes a point's traffic realistic beyond its workload: shared system prompts (a length or a hit-rate target),
 * a timestamped trace replayed at its own times, or multi-turn sessions. At most one of trace and sessions; the
 * prefix options work with synthetic chat or random prompts and with chat sessions.
 *
 * @param sharedPrefixTokens {@code --shared-prefix-tokens}, or null
 * @param prefixGroups       {@code --prefix-groups}, or null (one group)
 * @param prefixHitTarget    {@code --prefix-hit-target}, or null
 * @param trace              {@code --trace FILE}, or null
 * @param timeScale          {@code --time-scale}: trace timestamps are multiplied by it (0.5 replays twice as fast)
 * @param turns              {@code --turns}, or null
 * @param thinkTime          {@code --think-time}: the pause between an answer and the session's next turn
 * @param includeMultiTurn   {@code --include-multi-turn}: a dataset's conversations as sessions with their own turns
 */
public record Traffic(Integer sharedPrefixTokens, Integer prefixGroups, Double prefixHitTarget, Path trace,
                      double timeScale, Turns turns, Duration thinkTime, boolean includeMultiTurn) {

    /** Plain single-turn synthetic or dataset prompts. */
    public static final Traffic NONE = new Traffic(null, null, null, null, 1, null, Duration.ZERO, false);

    public Traffic {
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("--time-scale must be a positive number (0.5 replays twice as fast), was " + timeScale);
        }
        if (thinkTime == null) thinkTime = Duration.ZERO;
        if (thinkTime.isNegative()) throw new IllegalArgumentException("--think-time must be >= 0, was " + thinkTime);
        if (timeScale != 1 && trace == null) throw new IllegalArgumentException("--time-scale needs --trace FILE");
        if (!thinkTime.isZero() && turns == null && !includeMultiTurn) {
            throw new IllegalArgumentException("--think-time needs sessions: --turns N or --include-multi-turn");
        }
        if (trace != null && (turns != null || includeMultiTurn)) {
            throw new IllegalArgumentException("--trace replays single requests; it takes no --turns or --include-multi-turn");
        }
        PrefixPlan plan = PrefixPlan.of(sharedPrefixTokens, prefixGroups, prefixHitTarget);
        if (trace != null && plan != null) {
            throw new IllegalArgumentException("--trace brings its own shared prefixes (hash_ids); it takes no "
                    + "--shared-prefix-tokens, --prefix-groups or --prefix-hit-target");
        }
    }

    /** True when requests are turns of multi-turn sessions. */
    public boolean sessions() {
        return turns != null || includeMultiTurn;
    }

    /** The shared-prefix plan with vLLM's default block size, or null without one. */
    public PrefixPlan prefixPlan() {
        return PrefixPlan.of(sharedPrefixTokens, prefixGroups, prefixHitTarget);
    }

    /**
     * The mean request rate of replaying the first {@code requests} of {@code trace} at {@code timeScale}: N over the
     * last offset ({@link Trace.Replay#meanRatePerSecond()}, without building the prompts).
     */
    public static double meanRatePerSecond(Trace trace, int requests, double timeScale) {
        var entries = trace.entries();
        int n = Math.min(Math.max(requests, 1), entries.size());
        double spanNanos = (entries.get(n - 1).timestampNanos() - entries.get(0).timestampNanos()) * timeScale;
        return spanNanos <= 0 ? Double.MAX_VALUE : n / (spanNanos / 1e9);
    }

    /** run.yaml's (and sweep.json's inputs') keys for these options (null where not given). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shared_prefix_tokens", sharedPrefixTokens);
        m.put("prefix_groups", prefixGroups);
        m.put("prefix_hit_target", prefixHitTarget);
        m.put("trace", trace == null ? null : trace.toString());
        m.put("time_scale", trace == null ? null : timeScale);
        m.put("turns", turns == null ? null : turns.min() == turns.max() ? String.valueOf(turns.min()) : turns.min() + ".." + turns.max());
        m.put("think_time", sessions() ? thinkTime.toString() : null);
        m.put("include_multi_turn", includeMultiTurn);
        return m;
    }
}
