package dev.headroom.engine;

import dev.headroom.engine.FinishedRequest.FinishReason;
import dev.headroom.metrics.RequestError;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Prompt;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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
     */
    public record Options(PromptFormat format, boolean ignoreEos, int warmupRequests) {
        public Options {
            Objects.requireNonNull(format, "format");
            if (warmupRequests < 0) throw new IllegalArgumentException("--warmup must be >= 0, was " + warmupRequests);
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
     */
    public record Result(List<RequestRecord> records, EngineSnapshot snapshot, long durationNanos, long steps) {}

    private OfflineRunner() {}

    /**
     * Runs {@code prompts} with {@code pattern}. For an open loop, {@code arrivalOffsetsNanos} holds one ascending
     * offset per measured prompt (after the warmup ones); for a closed loop it is ignored and may be null.
     */
    public static Result run(EngineConfig config, StepCostModel costModel, List<Prompt> prompts, LoadPattern pattern,
                             long[] arrivalOffsetsNanos, Options options) {
        int warmup = Math.min(options.warmupRequests(), prompts.size());
        int measured = prompts.size() - warmup;
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
            loop.runPhase(requests(prompts.subList(0, warmup), tokenizer, options, "warmup-"), c, null);
        }
        long origin = loop.now();
        EngineRequest[] requests = requests(prompts.subList(warmup, prompts.size()), tokenizer, options, "sim-");
        long[] offsets = pattern.isOpenLoop() ? arrivalOffsetsNanos : null;
        int slots = pattern.isCapped() ? pattern.concurrency() : Integer.MAX_VALUE;
        RequestRecord[] records = loop.runPhase(requests, slots, offsets);
        if (origin != 0) {
            for (int i = 0; i < records.length; i++) records[i] = shifted(records[i], origin);
        }
        return new Result(List.of(records), loop.snapshot(), loop.now() - origin, loop.steps());
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
        private long now;
        private long steps;
        private long[][] chunks;
        private long[] firstContent;
        private long[] scheduledAt;
        private long[] sentAt;
        private RequestRecord[] records;
        private EngineRequest[] requests;
        private long[] freeSlotTimes;
        private int freeSlotHead;
        private int freeSlotTail;
        private int completed;

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

        /** Runs every request to completion; {@code offsets} null means closed loop with {@code slots} in flight. */
        RequestRecord[] runPhase(EngineRequest[] reqs, int slots, long[] offsets) {
            int n = reqs.length;
            requests = reqs;
            records = new RequestRecord[n];
            chunks = new long[n][];
            firstContent = new long[n];
            scheduledAt = new long[n];
            sentAt = new long[n];
            int inFlightCap = Math.min(slots, Math.max(n, 1));
            freeSlotTimes = new long[inFlightCap + 1];
            freeSlotHead = 0;
            freeSlotTail = 0;
            for (int i = 0; i < inFlightCap; i++) pushFreeSlot(now);
            completed = 0;
            long phaseStart = now;
            int next = 0;
            while (true) {
                next = release(next, offsets, phaseStart);
                if (scheduler.hasWork()) {
                    step();
                } else if (completed < n) {
                    // Idle with requests still to come: only an open loop waits; jump to the next arrival.
                    now = Math.max(now, phaseStart + offsets[next]);
                } else {
                    return records;
                }
            }
        }

        private int release(int next, long[] offsets, long phaseStart) {
            while (next < requests.length && freeSlotHead != freeSlotTail) {
                long arrival = offsets == null ? freeSlotTimes[freeSlotHead % freeSlotTimes.length]
                        : phaseStart + offsets[next];
                if (arrival > now) break;
                long slotFree = popFreeSlot();
                submit(next++, arrival, Math.max(arrival, slotFree));
            }
            return next;
        }

        private void submit(int i, long scheduled, long sent) {
            scheduledAt[i] = scheduled;
            sentAt[i] = sent;
            EngineRequest r = requests[i];
            int promptLen = r.promptTokenIds().length;
            if (promptLen + r.maxTokens() > config.maxModelLen()) {
                records[i] = RequestRecord.failed(r.requestId(), scheduled, sent, promptLen, new RequestError(
                        RequestError.Kind.HTTP, 400, contextLengthMessage(promptLen, r.maxTokens())));
                completed++;
                pushFreeSlot(sent);
                return;
            }
            firstContent[i] = -1;
            chunks[i] = new long[requests[i].maxTokens()];
            scheduler.add(new RequestState(requests[i], i, null, sent, config));
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
            now += costModel.stepNanos(work);
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
            completed++;
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
