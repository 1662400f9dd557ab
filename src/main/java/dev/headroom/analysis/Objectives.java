package dev.headroom.analysis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How analyze chooses each group's recommended load: the {@code --objective} overrides (for every workload, or per
 * workload) and the batch job to finish ({@code --job-requests} by {@code --deadline}), if any. Without an override a
 * workload takes its default: summarize (batch summarization) is judged by throughput, every other workload by latency.
 *
 * @param overrides the objective per workload name; the key {@value #EVERY} applies to every workload not named
 * @param job       the batch job to finish, or null
 */
public record Objectives(Map<String, ServingObjective> overrides, Job job) {

    /** The key of {@link #overrides} that applies to every workload. */
    public static final String EVERY = "*";
    /** Each workload's default objective and no job. */
    public static final Objectives DEFAULTS = new Objectives(Map.of(), null);

    public Objectives {
        overrides = Map.copyOf(overrides);
    }

    /**
     * A batch job: {@code requests} documents (requests) that must all be finished within {@code deadline}.
     *
     * @param requests how many requests the job sends, at least 1
     * @param deadline the time it may take, positive
     */
    public record Job(long requests, Duration deadline) {
        public Job {
            Objects.requireNonNull(deadline, "deadline");
            if (requests < 1) throw new IllegalArgumentException("--job-requests must be at least 1, was " + requests);
            if (deadline.isZero() || deadline.isNegative()) {
                throw new IllegalArgumentException("--deadline must be positive, was " + deadline);
            }
        }

        /** Seconds to finish the job at {@code requestsPerS}, or NaN when the load finished no requests. */
        public double seconds(Double requestsPerS) {
            return requestsPerS == null || !(requestsPerS > 0) ? Double.NaN : requests / requestsPerS;
        }

        /** Whether the job finishes within the deadline at {@code requestsPerS}. */
        public boolean inTime(Double requestsPerS) {
            return seconds(requestsPerS) <= deadline.toNanos() / 1e9;
        }
    }

    /**
     * A group's objective and why it applies.
     *
     * @param source e.g. {@code --objective throughput}, {@code the summarize workload's default: a batch job ...}
     */
    public record Choice(ServingObjective objective, String source) {
        public Choice {
            Objects.requireNonNull(objective, "objective");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * Parses {@code --objective}: one objective for every workload ({@code throughput}), or a comma-separated list
     * of {@code WORKLOAD=OBJECTIVE} ({@code chat=latency,mytrace=throughput}); null gives no override.
     */
    public static Map<String, ServingObjective> parse(String option) {
        Map<String, ServingObjective> out = new LinkedHashMap<>();
        if (option == null) return out;
        for (String part : option.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                out.put(EVERY, ServingObjective.parse(part));
            } else {
                String workload = part.substring(0, eq).strip();
                if (workload.isEmpty()) throw new IllegalArgumentException("--objective: '" + part + "' names no workload before '='");
                out.put(workload, ServingObjective.parse(part.substring(eq + 1)));
            }
        }
        return out;
    }

    /** The objective of a workload's groups: its override, else the override for every workload, else its default. */
    public Choice choose(String workload) {
        ServingObjective named = overrides.get(workload);
        if (named != null) return new Choice(named, "--objective " + workload + "=" + named.key());
        ServingObjective every = overrides.get(EVERY);
        if (every != null) return new Choice(every, "--objective " + every.key());
        if (workload.toLowerCase(Locale.ROOT).equals("summarize")) {
            return new Choice(ServingObjective.THROUGHPUT, "the default for batch summarization: a batch job is judged by "
                    + "its throughput per GPU (its cost per million tokens) and when it completes, not by each request's latency");
        }
        return new Choice(ServingObjective.LATENCY, "the default for " + workload + ": each request's latency is felt, "
                + "so the highest load meeting the SLO serves it");
    }
}
