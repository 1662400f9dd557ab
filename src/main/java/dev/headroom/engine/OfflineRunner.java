package dev.headroom.engine;

import dev.headroom.plan.StepCostModel;

import dev.headroom.engine.FinishedRequest.FinishReason;
import dev.headroom.metrics.ConnectionTimings;
import dev.headroom.metrics.RequestError;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Prompt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Runs a workload through the simulated engine on a virtual clock, as fast as the CPU allows, and returns the same
 * {@link RequestRecord}s a real run over HTTP would (times relative to the start of the measured phase).
 *
 * <p>The client is ideal: a request is sent the instant its load pattern releases it and each token arrives the
 * instant its step ends. Closed loop: {@code concurrency} requests in flight, the next sent when one finishes.
 * Open loop: sent at its arrival offset, or, when capped, when a slot frees. A request that arrives during a step
 * joins the engine at the next step boundary, as in vLLM's busy loop.
 */
public final class OfflineRunner {

    /**
     * Options of an offline run.
     *
     * @param format         chat or completions tokenization
     * @param ignoreEos      send {@code ignore_eos} so every request produces exactly {@code outputTokens}
     * @param warmupRequests the first this many prompts run first, closed loop at min(warm-up, concurrency cap) as
     *                       the HTTP client sends them, and are left out of the records
     * @param durationNanos  a closed loop bounded by time: requests cycle through the measured prompts and none is
     *                       sent at or after this virtual time (the HTTP client's --duration); 0 sends each prompt once
     * @param sampleNanos    sample the engine's gauges every this many virtual nanoseconds of the measured phase
     *                       (as a /metrics scrape would); 0 takes no samples
     */
    public record Options(PromptFormat format, boolean ignoreEos, int warmupRequests, long durationNanos, long sampleNanos) {
        public Options {
            Objects.requireNonNull(format, "format");
            if (warmupRequests < 0) throw new IllegalArgumentException("--warmup must be >= 0, was " + warmupRequests);
            if (durationNanos < 0 || sampleNanos < 0) throw new IllegalArgumentException("durations must be >= 0");
        }

        public Options(PromptFormat format, boolean ignoreEos, int warmupRequests) {
            this(format, ignoreEos, warmupRequests, 0, 0);
        }

        /** Chat API, exact output lengths, no warmup. */
        public static Options defaults() {
            return new Options(PromptFormat.CHAT, true, 0);
        }
    }

    /**
     * What an offline run produced.
     *
     * @param records       one per measured request, in prompt order
     * @param snapshot      the engine's counters at the end (warmup included)
     * @param durationNanos from the first measured send to the last token
     * @param steps         engine steps taken (warmup included)
     * @param samples       the engine's state every {@code sampleNanos} of the measured phase, from its start (the
     *                      baseline, after warm-up) to its end; empty without sampling
     */
    public record Result(List<RequestRecord> records, EngineSnapshot snapshot, long durationNanos, long steps,
                         List<Sample> samples) {}

    /** The engine's state at {@code atNanos} of the measured phase (virtual time since it began). */
    public record Sample(long atNanos, EngineSnapshot snapshot) {}

    private OfflineRunner() {}

    /**
     * Runs {@code prompts} with {@code pattern}. For an open loop, {@code arrivalOffsetsNanos} holds one ascending
     * offset per measured prompt (after the warmup ones); for a closed loop it is ignored and may be null.
     */
    public static Result run(EngineConfig config, StepCostModel costModel, List<Prompt> prompts, LoadPattern pattern,
                             long[] arrivalOffsetsNanos, Options options) {
        int warmup = Math.min(options.warmupRequests(), prompts.size());
        int measured = prompts.size() - warmup;
        if (options.durationNanos() > 0 && pattern.isOpenLoop()) {
            throw new IllegalArgumentException("an open loop is bounded by its arrivals, not a duration");
        }
        if (pattern.isOpenLoop()) {
            Objects.requireNonNull(arrivalOffsetsNanos, "arrival offsets are needed for an open loop");
            if (arrivalOffsetsNanos.length != measured) {
                throw new IllegalArgumentException("need " + measured + " arrival offsets, got "
                        + arrivalOffsetsNanos.length);
            }
        }
        SimTokenizer tokenizer = new SimTokenizer(config.vocabSize());
        VirtualClockLoop loop = new VirtualClockLoop(config, costModel, tokenizer);
        warmUp(loop, prompts.subList(0, warmup), tokenizer, options, pattern);
        long origin = loop.now();
        EngineRequest[] requests = requests(prompts.subList(warmup, prompts.size()), tokenizer, options, "sim-");
        long[] offsets = pattern.isOpenLoop() ? arrivalOffsetsNanos : null;
        int slots = pattern.isCapped() ? pattern.concurrency() : Integer.MAX_VALUE;
        loop.startSampling(options.sampleNanos());
        RequestRecord[] records = options.durationNanos() > 0
                ? loop.runPhase(i -> cycled(requests[i % requests.length], i), Integer.MAX_VALUE, slots, null,
                        origin + options.durationNanos())
                : loop.runPhase(i -> requests[i], requests.length, slots, offsets, Long.MAX_VALUE);
        loop.finishSampling();
        if (origin != 0) {
            for (int i = 0; i < records.length; i++) records[i] = shifted(records[i], origin);
        }
        return new Result(List.of(records), loop.snapshot(), loop.deliveredUntil() - origin, loop.steps(), loop.samples());
    }

    /** Runs the warm-up prompts, closed loop at min(warm-up, the concurrency cap), as the HTTP client sends them. */
    static void warmUp(VirtualClockLoop loop, List<Prompt> warmup, SimTokenizer tokenizer, Options options, LoadPattern pattern) {
        if (warmup.isEmpty()) return;
        int c = Math.min(warmup.size(), pattern.isCapped() ? pattern.concurrency() : warmup.size());
        EngineRequest[] warm = requests(warmup, tokenizer, options, "warmup-");
        loop.runPhase(i -> warm[i], warm.length, c, null, Long.MAX_VALUE);
    }

    /** The request of the i-th send of a duration-bounded loop: its prompt, under an id of its own. */
    private static EngineRequest cycled(EngineRequest r, int i) {
        return new EngineRequest("sim-" + i, r.promptTokenIds(), r.maxTokens(), r.minTokens(), r.ignoreEos());
    }

    private static EngineRequest[] requests(List<Prompt> prompts, SimTokenizer tokenizer, Options options,
                                            String idPrefix) {
        EngineRequest[] out = new EngineRequest[prompts.size()];
        for (int i = 0; i < out.length; i++) {
            Prompt p = prompts.get(i);
            int[] ids = options.format().tokenize(tokenizer, p);
            int minTokens = options.ignoreEos() ? p.outputTokens() : 0;
            out[i] = new EngineRequest(idPrefix + i, ids, p.outputTokens(), minTokens, options.ignoreEos());
        }
        return out;
    }

    static RequestRecord shifted(RequestRecord r, long origin) {
        long[] chunks = r.chunkNanos();
        for (int i = 0; i < chunks.length; i++) chunks[i] -= origin;
        return new RequestRecord(r.requestId(), r.scheduledNanos() - origin, r.sentNanos() - origin, chunks,
                r.firstContentNanos() < 0 ? -1 : r.firstContentNanos() - origin, r.promptTokens(), r.outputTokens(),
                r.usageReported(), r.error(), r.connection(), r.cachedTokens(), r.turn(), r.engine());
    }
}
