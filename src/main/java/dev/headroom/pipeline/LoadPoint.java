package dev.headroom.pipeline;

import dev.headroom.metrics.RunValidity;

import dev.headroom.load.Api;
import dev.headroom.load.RunSettings;
import dev.headroom.metrics.Slo;
import dev.headroom.workload.Arrivals;
import dev.headroom.workload.Lengths;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.ChatWorkload;
import dev.headroom.workload.DatasetWorkload;
import dev.headroom.workload.PrefixPlan;
import dev.headroom.workload.TokenCounter;
import dev.headroom.workload.Trace;
import dev.headroom.workload.Workload;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What one load point sends, whatever serves it: the workload, the load pattern and when to stop. Warm-up means
 * the same on every path: {@code warmup} requests drawn from the workload like the measured ones but under their
 * own seed (so none repeats a measured prompt, and a prefix cache holds none of them), sent first in a closed loop of {@code min(warmup, concurrency cap)}, left out of the
 * results.
 *
 * @param workload       {@code --workload} as written (chat, summarize, random, dataset:PATH)
 * @param inputLengths   requested prompt lengths, or null for the workload's default
 * @param outputLengths  requested output lengths, or null for the workload's default
 * @param requests       requests to measure, or 0 when {@code duration} bounds the point
 * @param duration       how long to keep issuing requests, or null when {@code requests} bounds the point
 * @param slo            the SLO judged in summary.json, or null
 * @param traffic        shared prefixes, a trace or multi-turn sessions ({@link Traffic#NONE} for plain prompts);
 *                       with sessions, {@code requests} counts sessions, each of its turns a request
 */
public record LoadPoint(Api api, String workload, Lengths inputLengths, Lengths outputLengths, LoadPattern pattern,
                        int requests, Duration duration, int warmup, long seed, boolean exactOutput,
                        Map<String, Object> extraBody, Duration requestTimeout, double maxErrorRate, Slo slo,
                        Traffic traffic) {

    /** Closed-loop points bounded by a duration cycle through this many distinct prompts. */
    public static final int DURATION_PROMPT_POOL = 1000;

    /** Four characters a token: enough to check a file or a plan before the target's tokenizer is at hand. */
    private static final TokenCounter ROUGH = new TokenCounter() {
        @Override
        public int count(String system, String user) {
            return Math.max(1, ((system == null ? 0 : system.length() + 2) + user.length()) / 4);
        }

        @Override
        public String name() {
            return "rough";
        }
    };

    public LoadPoint {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(traffic, "traffic");
        extraBody = Map.copyOf(extraBody);
        if (requests < 0) throw new IllegalArgumentException("--requests must be at least 1, was " + requests);
        if ((requests > 0) == (duration != null)) {
            throw new IllegalArgumentException("give exactly one of --requests N (N >= 1) or --duration D");
        }
        if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, was " + warmup);
        if (traffic.trace() != null && duration != null) {
            throw new IllegalArgumentException("--trace replays its requests at their own times; cut it short with --requests N, not --duration");
        }
    }

    /** A point of plain single-turn prompts. */
    public LoadPoint(Api api, String workload, Lengths inputLengths, Lengths outputLengths, LoadPattern pattern,
                     int requests, Duration duration, int warmup, long seed, boolean exactOutput,
                     Map<String, Object> extraBody, Duration requestTimeout, double maxErrorRate, Slo slo) {
        this(api, workload, inputLengths, outputLengths, pattern, requests, duration, warmup, seed, exactOutput,
                extraBody, requestTimeout, maxErrorRate, slo, Traffic.NONE);
    }

    /**
     * The same point with another workload and load pattern (one cell of a sweep); a replayed trace keeps its own
     * arrivals and takes only the pattern's concurrency cap.
     */
    public LoadPoint with(String otherWorkload, LoadPattern otherPattern) {
        LoadPattern asRun = traffic.trace() == null ? otherPattern : LoadPattern.openLoop(pattern.ratePerSecond(), 1,
                otherPattern.isCapped() ? otherPattern.concurrency() : 0);
        return new LoadPoint(api, otherWorkload, inputLengths, outputLengths, asRun, requests, duration, warmup,
                seed, exactOutput, extraBody, requestTimeout, maxErrorRate, slo, traffic);
    }

    /** The same point drawing its prompts and arrivals with another seed. */
    public LoadPoint withSeed(long otherSeed) {
        return new LoadPoint(api, workload, inputLengths, outputLengths, pattern, requests, duration, warmup, otherSeed,
                exactOutput, extraBody, requestTimeout, maxErrorRate, slo, traffic);
    }

    /** The same point judged against another SLO. */
    public LoadPoint withSlo(Slo other) {
        return new LoadPoint(api, workload, inputLengths, outputLengths, pattern, requests, duration, warmup, seed,
                exactOutput, extraBody, requestTimeout, maxErrorRate, other, traffic);
    }

    /** The workload parsed; bad input throws IllegalArgumentException naming {@code --workload}. */
    public Workload parsedWorkload() {
        return Workload.parse(workload, inputLengths, outputLengths);
    }

    /** The workload with its shared-prefix plan for a server whose KV blocks hold {@code blockSize} tokens. */
    Workload workload(int blockSize) {
        Workload w = parsedWorkload();
        PrefixPlan plan = traffic.prefixPlan();
        return plan == null ? w : w.withPrefix(plan.withBlockSize(blockSize));
    }

    /**
     * Checks everything that can be checked before a server starts or a file is written: the workload and its
     * prefix plan (a hit target out of reach), that sessions have a workload that holds them, and that a dataset or
     * trace file reads (errors name the file, the line and what was expected). Throws IllegalArgumentException.
     */
    public void validate() {
        if (traffic.trace() != null) {
            Trace.read(traffic.trace());
            return;
        }
        Workload w = workload(PrefixPlan.DEFAULT_BLOCK_SIZE);
        if (traffic.includeMultiTurn() && !(w instanceof DatasetWorkload)) {
            throw new IllegalArgumentException("--include-multi-turn takes a dataset's conversations: use --workload dataset:PATH");
        }
        if (traffic.sessions()) {
            w.sessions(1, seed, ROUGH, traffic.turns(), 0);
            return;
        }
        w.expectedPrefixHitRate(promptCount());
        if (w instanceof DatasetWorkload) w.prompts(1, seed, ROUGH);
    }

    /** How many distinct prompts the point draws: the request count, an open loop's arrivals, or the duration pool. */
    public int promptCount() {
        if (requests > 0) return requests;
        if (pattern.isOpenLoop()) return Arrivals.countForDuration(duration.toNanos(), pattern.ratePerSecond());
        return DURATION_PROMPT_POOL;
    }

    /**
     * The number of measured requests when known in advance (a count, or an open loop's arrivals; sessions of a
     * fixed number of turns), else null.
     */
    public Integer expectedRequests() {
        if (traffic.sessions()) {
            var turns = traffic.turns();
            boolean fixed = turns != null && turns.min() == turns.max() && parsedWorkload() instanceof ChatWorkload;
            return requests > 0 && fixed ? requests * turns.min() : null;
        }
        if (requests > 0) return requests;
        return pattern.isOpenLoop() ? Arrivals.countForDuration(duration.toNanos(), pattern.ratePerSecond()) : null;
    }

    /** The measured phase as the HTTP client runs it under {@code asRun} (warm-up is sent separately, so none here). */
    RunSettings measuredSettings(String model, String requestIdPrefix, LoadPattern asRun) {
        return new RunSettings(api, model, exactOutput, extraBody, requestTimeout, asRun, requests, duration, 0,
                seed, maxErrorRate, requestIdPrefix);
    }

    /** The warm-up phase: {@code warmup} requests, closed loop at min(warmup, the concurrency cap). */
    RunSettings warmupSettings(String model, String requestIdPrefix) {
        return new RunSettings(api, model, exactOutput, extraBody, requestTimeout, LoadPattern.closedLoop(warmupConcurrency()),
                warmup, null, 0, seed, 1, requestIdPrefix + "warmup-");
    }

    /** Requests in flight during warm-up. */
    public int warmupConcurrency() {
        return Math.max(1, Math.min(warmup, pattern.isCapped() ? pattern.concurrency() : warmup));
    }

    /** The concurrency column of a point: the closed-loop level or an open loop's cap; null when uncapped. */
    public Integer concurrencyOrNull() {
        return pattern.isCapped() ? pattern.concurrency() : null;
    }

    /**
     * What this point asks of a run, for {@link RunValidity}: the closed-loop level (not for sessions, whose think
     * time keeps fewer in flight by design), the open-loop rate (not for a trace, which keeps its own times, nor
     * for sessions), and what the client's watch concluded (null for a predicted run: no client).
     */
    public RunValidity.Asked asked(Boolean clientLimited, String clientReason) {
        boolean plain = !traffic.sessions() && traffic.trace() == null;
        Integer concurrency = plain && !pattern.isOpenLoop() ? pattern.concurrency() : null;
        Double rate = plain && pattern.isOpenLoop() ? pattern.ratePerSecond() : null;
        return new RunValidity.Asked(concurrency, rate, pattern.burstiness(), pattern.isCapped(), clientLimited, clientReason);
    }

    /** The rate column of a point: an open loop's arrivals per second; null in a closed loop. */
    public Double rateOrNull() {
        return pattern.isOpenLoop() ? pattern.ratePerSecond() : null;
    }
}
