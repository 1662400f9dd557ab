package dev.headroom.pipeline;

import dev.headroom.workload.Arrivals;
import dev.headroom.workload.Conversation;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Message;
import dev.headroom.workload.PrefixPlan;
import dev.headroom.workload.Prompt;
import dev.headroom.workload.Session;
import dev.headroom.workload.TokenCounter;
import dev.headroom.workload.Trace;
import dev.headroom.workload.Workload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A point's requests, built with the target's tokenizer: single-turn prompts or multi-turn sessions, their send
 * times, the warm-up, and what the shared-prefix plan or the trace says the prefix cache should reach.
 *
 * @param prompts         the measured prompts, or null for sessions
 * @param sessions        the measured sessions, or null for prompts
 * @param warmup          the warm-up prompts, sent first: drawn like the measured ones (prompts, sessions' first
 *                        turns, or trace rows) under their own seed, so none is a measured prompt (see {@link #apart})
 * @param offsetsNanos    open loop: the send offset of each prompt (or each session's first turn); null for a closed loop
 * @param pattern         the load pattern as run (a trace's: an open loop at its mean rate)
 * @param hitTarget       {@code --prefix-hit-target}, or null
 * @param expectedHitRate the prefix-cache hit rate the plan or the trace's {@code hash_ids} should give, or null
 */
record PreparedLoad(List<Prompt> prompts, List<Session> sessions, List<Prompt> warmup, long[] offsetsNanos,
                    LoadPattern pattern, Double hitTarget, Double expectedHitRate) {

    /** Builds {@code point}'s requests, counting tokens with {@code counter}, for KV blocks of {@code blockSize}. */
    static PreparedLoad of(LoadPoint point, TokenCounter counter, int blockSize) {
        Traffic traffic = point.traffic();
        if (traffic.trace() != null) return trace(point, counter, blockSize);
        Workload workload = point.workload(blockSize);
        PrefixPlan plan = traffic.prefixPlan();
        Double target = plan != null && plan.hasTarget() ? plan.hitTarget() : null;
        int n = point.promptCount();
        LoadPattern pattern = point.pattern();
        long[] offsets = pattern.isOpenLoop()
                ? Arrivals.offsetsNanos(n, pattern.ratePerSecond(), pattern.burstiness(), point.seed()) : null;
        if (traffic.sessions()) {
            long thinkNanos = traffic.thinkTime().toNanos();
            List<Session> sessions = workload.sessions(n, point.seed(), counter, traffic.turns(), thinkNanos);
            List<Prompt> warmup = point.warmup() == 0 ? List.of() : apart(
                    firstTurns(workload.sessions(point.warmup(), warmupSeed(point.seed()), counter, traffic.turns(), thinkNanos)),
                    // A fresh copy: taking a session's first turn moves it on.
                    firstTurns(workload.sessions(n, point.seed(), counter, traffic.turns(), thinkNanos)), point.warmup());
            return new PreparedLoad(null, sessions, warmup, offsets, pattern, target, null);
        }
        List<Prompt> prompts = workload.prompts(n, point.seed(), counter);
        Double expected = workload.expectedPrefixHitRate(n).isPresent() ? workload.expectedPrefixHitRate(n).getAsDouble() : null;
        List<Prompt> warmup = point.warmup() == 0 ? List.of()
                : apart(workload.prompts(point.warmup(), warmupSeed(point.seed()), counter), prompts, point.warmup());
        return new PreparedLoad(prompts, null, warmup, offsets, pattern, target, expected);
    }

    private static PreparedLoad trace(LoadPoint point, TokenCounter counter, int blockSize) {
        Trace trace = Trace.read(point.traffic().trace());
        Trace.Replay replay = trace.replay(point.requests(), point.traffic().timeScale(), point.seed(), counter);
        int cap = point.pattern().isCapped() ? point.pattern().concurrency() : 0;
        LoadPattern pattern = LoadPattern.openLoop(replay.meanRatePerSecond(), 1, cap);
        // The trace's first rows, their text drawn under the warm-up seed: the measured rows' blocks stay cold.
        List<Prompt> warmup = point.warmup() == 0 ? List.of() : apart(trace.replay(point.warmup(),
                point.traffic().timeScale(), warmupSeed(point.seed()), counter).prompts(), replay.prompts(), point.warmup());
        return new PreparedLoad(replay.prompts(), null, warmup, replay.offsetsNanos(),
                pattern, null, trace.expectedHitRate(point.requests(), blockSize));
    }

    /** True when the requests are turns of sessions. */
    boolean isSessions() {
        return sessions != null;
    }

    /** summary.json's prefix keys: the target and the planned rate, next to the achieved one the server reports. */
    void putPrefixKeys(Map<String, Object> json) {
        json.put("prefix_hit_target", hitTarget);
        json.put("prefix_hit_expected", expectedHitRate);
    }

    /**
     * The seed warm-up prompts are drawn under: the point's own, moved off it, so the warm-up has the measured
     * prompts' length distribution but other text, and a prefix cache it fills holds none of the measured prompts.
     */
    static long warmupSeed(long seed) {
        return seed ^ 0x7761726D7570L; // "warmup"
    }

    /**
     * {@code count} warm-up prompts from {@code drawn}, leaving out any that is also a measured prompt (a small
     * dataset can draw the same conversation under two seeds), cycled when fewer remain; none when all were measured.
     */
    static List<Prompt> apart(List<Prompt> drawn, List<Prompt> measured, int count) {
        Set<List<String>> sent = new HashSet<>();
        for (Prompt p : measured) sent.add(text(p));
        List<Prompt> own = drawn.stream().filter(p -> !sent.contains(text(p))).toList();
        List<Prompt> out = new ArrayList<>(count);
        for (int i = 0; i < count && !own.isEmpty(); i++) out.add(own.get(i % own.size()));
        return out;
    }

    private static List<String> text(Prompt p) {
        return Arrays.asList(p.system(), p.user());
    }

    private static List<Prompt> firstTurns(List<Session> sessions) {
        List<Prompt> firsts = new ArrayList<>(sessions.size());
        for (Session s : sessions) firsts.add(asPrompt(s.next(null)));
        return firsts;
    }

    /** A first turn (system message, if any, and one user message) as a single-turn prompt. */
    private static Prompt asPrompt(Conversation c) {
        List<Message> m = c.messages();
        String system = m.size() > 1 ? m.getFirst().content() : null;
        return new Prompt(system, m.getLast().content(), c.userTokens(), c.outputTokens());
    }
}
