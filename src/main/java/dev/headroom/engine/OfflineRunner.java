package dev.headroom.engine;

import dev.headroom.engine.FinishedRequest.FinishReason;
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

    /** Refusals in a row after which a duration-bounded loop stops sending. */
    private static final int MAX_REJECTED_IN_A_ROW = 100_000;

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
        if (warmup > 0) {
            int c = Math.min(warmup, pattern.isCapped() ? pattern.concurrency() : warmup);
            EngineRequest[] warm = requests(prompts.subList(0, warmup), tokenizer, options, "warmup-");
            loop.runPhase(i -> warm[i], warm.length, c, null, Long.MAX_VALUE);
        }
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
        return new Result(List.of(records), loop.snapshot(), loop.now() - origin, loop.steps(), loop.samples());
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

    private static RequestRecord shifted(RequestRecord r, long origin) {
        long[] chunks = r.chunkNanos();
        for (int i = 0; i < chunks.length; i++) chunks[i] -= origin;
        return new RequestRecord(r.requestId(), r.scheduledNanos() - origin, r.sentNanos() - origin, chunks,
                r.firstContentNanos() < 0 ? -1 : r.firstContentNanos() - origin, r.promptTokens(), r.outputTokens(),
                r.usageReported(), r.error());
    }

    /** The event loop: one scheduler, a virtual clock advanced by step costs, a client releasing requests. */
    private static final class VirtualClockLoop implements StepListener {
        private final EngineConfig config;
        private final StepCostModel costModel;
        private final Scheduler scheduler;
        private final SimTokenizer tokenizer;
        private final List<Sample> samples = new ArrayList<>();
        private long now;
        private long steps;
        private long sampleOrigin;
        private long sampleNanos;
        private long nextSample = Long.MAX_VALUE;
        private long[][] chunks;
        private long[] firstContent;
        private long[] scheduledAt;
        private long[] sentAt;
        private RequestRecord[] records;
        private EngineRequest[] requests;
        private IntFunction<EngineRequest> source;
        private long deadline;
        private boolean closed;
        private long[] freeSlotTimes;
        private int freeSlotHead;
        private int freeSlotTail;

        VirtualClockLoop(EngineConfig config, StepCostModel costModel, SimTokenizer tokenizer) {
            this.config = config;
            this.costModel = costModel;
            this.tokenizer = tokenizer;
            this.scheduler = new Scheduler(config, tokenizer);
        }

        long now() {
            return now;
        }

        long steps() {
            return steps;
        }

        EngineSnapshot snapshot() {
            return scheduler.snapshot();
        }

        List<Sample> samples() {
            return List.copyOf(samples);
        }

        /** Samples from now (the baseline) every {@code intervalNanos}; 0 leaves sampling off. */
        void startSampling(long intervalNanos) {
            if (intervalNanos == 0) return;
            sampleOrigin = now;
            sampleNanos = intervalNanos;
            samples.add(new Sample(0, scheduler.snapshot()));
            nextSample = now + intervalNanos;
        }

        /** Records the state as a scrape at every due sampling time up to {@code t} would see it. */
        private void sampleUpTo(long t) {
            while (nextSample <= t) {
                samples.add(new Sample(nextSample - sampleOrigin, scheduler.snapshot()));
                nextSample += sampleNanos;
            }
        }

        /** The last sample, at the end of the measured phase. */
        void finishSampling() {
            if (sampleNanos == 0) return;
            if (samples.get(samples.size() - 1).atNanos() < now - sampleOrigin) {
                samples.add(new Sample(now - sampleOrigin, scheduler.snapshot()));
            }
            nextSample = Long.MAX_VALUE;
        }

        /**
         * Runs up to {@code limit} requests from {@code next} to completion: {@code offsets} null means closed loop
         * with {@code slots} in flight, releasing none at or after {@code deadlineNanos}; returns a record per send.
         */
        RequestRecord[] runPhase(IntFunction<EngineRequest> next, int limit, int slots, long[] offsets, long deadlineNanos) {
            source = next;
            deadline = deadlineNanos;
            closed = false;
            requests = null;
            records = null;
            chunks = null;
            firstContent = null;
            scheduledAt = null;
            sentAt = null;
            grow(Math.max(1, Math.min(limit, 1024)));
            int inFlightCap = Math.min(slots, Math.max(limit, 1));
            freeSlotTimes = new long[inFlightCap + 1];
            freeSlotHead = 0;
            freeSlotTail = 0;
            for (int i = 0; i < inFlightCap; i++) pushFreeSlot(now);
            long phaseStart = now;
            int sent = 0;
            while (true) {
                sent = release(sent, limit, offsets, phaseStart);
                if (scheduler.hasWork()) {
                    step();
                } else if (offsets != null && sent < limit) {
                    // Idle with requests still to come: only an open loop waits; jump to the next arrival.
                    long arrival = Math.max(now, phaseStart + offsets[sent]);
                    sampleUpTo(arrival);
                    now = arrival;
                } else {
                    return Arrays.copyOf(records, sent);
                }
            }
        }

        private int release(int next, int limit, long[] offsets, long phaseStart) {
            int rejectedInARow = 0;
            while (!closed && next < limit && freeSlotHead != freeSlotTail) {
                long arrival = offsets == null ? freeSlotTimes[freeSlotHead % freeSlotTimes.length] : phaseStart + offsets[next];
                // A duration-bounded loop whose every prompt is refused at once would never advance the clock.
                if (offsets == null && (arrival >= deadline || rejectedInARow > MAX_REJECTED_IN_A_ROW)) {
                    closed = true;
                    break;
                }
                if (arrival > now) break;
                long slotFree = popFreeSlot();
                if (next == requests.length) grow(requests.length * 2);
                rejectedInARow = submit(next++, arrival, Math.max(arrival, slotFree)) ? 0 : rejectedInARow + 1;
            }
            return next;
        }

        private void grow(int size) {
            requests = requests == null ? new EngineRequest[size] : Arrays.copyOf(requests, size);
            records = records == null ? new RequestRecord[size] : Arrays.copyOf(records, size);
            chunks = chunks == null ? new long[size][] : Arrays.copyOf(chunks, size);
            firstContent = firstContent == null ? new long[size] : Arrays.copyOf(firstContent, size);
            scheduledAt = scheduledAt == null ? new long[size] : Arrays.copyOf(scheduledAt, size);
            sentAt = sentAt == null ? new long[size] : Arrays.copyOf(sentAt, size);
        }

        /** Sends request {@code i}; false when the server would refuse it at once (too long for the context). */
        private boolean submit(int i, long scheduled, long sent) {
            scheduledAt[i] = scheduled;
            sentAt[i] = sent;
            EngineRequest r = source.apply(i);
            requests[i] = r;
            int promptLen = r.promptTokenIds().length;
            if (promptLen + r.maxTokens() > config.maxModelLen()) {
                records[i] = RequestRecord.failed(r.requestId(), scheduled, sent, promptLen, new RequestError(
                        RequestError.Kind.HTTP, 400, contextLengthMessage(promptLen, r.maxTokens())));
                pushFreeSlot(sent);
                return false;
            }
            firstContent[i] = -1;
            chunks[i] = new long[requests[i].maxTokens()];
            scheduler.add(new RequestState(requests[i], i, null, sent, config));
            return true;
        }

        // vllm/entrypoints/openai/serving_engine.py _validate_input: the 400 a real server would answer.
        private String contextLengthMessage(int promptLen, int maxTokens) {
            return "This model's maximum context length is " + config.maxModelLen() + " tokens. However, you "
                    + "requested " + (promptLen + maxTokens) + " tokens (" + promptLen + " in the messages, "
                    + maxTokens + " in the completion). Please reduce the length of the messages or completion.";
        }

        private void step() {
            StepWork work = scheduler.schedule(now);
            if (work == null) throw new IllegalStateException("engine has work but scheduled nothing");
            long end = now + costModel.stepNanos(work);
            sampleUpTo(end);
            now = end;
            steps++;
            scheduler.finishStep(now, this);
        }

        @Override
        public void onToken(RequestState req, int tokenId, long nowNanos) {
            int i = req.index;
            chunks[i][req.numOutputTokens - 1] = nowNanos;
            if (firstContent[i] < 0 && tokenId != tokenizer.eosTokenId()) firstContent[i] = nowNanos;
        }

        @Override
        public void onFinished(RequestState req, FinishReason reason, long nowNanos) {
            int i = req.index;
            long[] stamps = chunks[i];
            if (req.numOutputTokens < stamps.length) stamps = Arrays.copyOf(stamps, req.numOutputTokens);
            chunks[i] = null;
            records[i] = new RequestRecord(req.requestId, scheduledAt[i], sentAt[i], stamps, firstContent[i],
                    req.numPromptTokens(), req.numOutputTokens, true, null);
            pushFreeSlot(nowNanos);
        }

        private void pushFreeSlot(long t) {
            freeSlotTimes[freeSlotTail++ % freeSlotTimes.length] = t;
        }

        private long popFreeSlot() {
            return freeSlotTimes[freeSlotHead++ % freeSlotTimes.length];
        }
    }
}
