package dev.headroom.engine;

import dev.headroom.plan.StepWork;
import dev.headroom.plan.StepCostModel;

import dev.headroom.engine.FinishedRequest.FinishReason;
import dev.headroom.metrics.ConnectionTimings;
import dev.headroom.metrics.EngineTiming;
import dev.headroom.metrics.RequestError;
import dev.headroom.metrics.RequestRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The event loop: one scheduler, a virtual clock advanced by step costs, a client releasing requests, and the API
 * server in front of the engine ({@link FrontEndQueue}): one process, so a request waits for its tokenization behind the
 * others' and then for its hand-off before the engine sees it, and a step's output tokens wait for it to be
 * detokenized and streamed, one after another, before the client sees them. The engine's own per-request timing ({@link EngineTiming}) covers the engine only.
 */
final class VirtualClockLoop implements StepListener {

    /** Refusals in a row after which a duration-bounded loop stops sending. */
    private static final int MAX_REJECTED_IN_A_ROW = 100_000;

    private final EngineConfig config;
    private final StepCostModel costModel;
    private final FrontEndQueue frontEnd;
    private final ArrayDeque<RequestState> ingesting = new ArrayDeque<>();
    private final Scheduler scheduler;
    private final SimTokenizer tokenizer;
    private final List<OfflineRunner.Sample> samples = new ArrayList<>();
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
    private Client client;
    private int[][] outputIds;
    private long[] engineFirstToken;

    /** Where a phase's requests come from when later ones depend on earlier answers (multi-turn sessions). */
    interface Client {
        /** When the next pending request becomes sendable (virtual ns), or {@code Long.MAX_VALUE} while none is. */
        long nextSendNanos();

        /** Takes the next pending request as send number {@code index}. */
        Release take(int index);

        /** Send {@code index} ended at {@code nowNanos} with these output token ids (none when it was refused). */
        void finished(int index, int[] outputTokenIds, long nowNanos);
    }

    /** A request released by a {@link Client}, and when its load pattern meant it to go (at or before its send). */
    record Release(EngineRequest request, long scheduledNanos) {}

    VirtualClockLoop(EngineConfig config, StepCostModel costModel, SimTokenizer tokenizer) {
        this.config = config;
        this.costModel = costModel;
        this.frontEnd = new FrontEndQueue(costModel.frontEnd());
        this.tokenizer = tokenizer;
        this.scheduler = new Scheduler(config, tokenizer);
    }

    long now() {
        return now;
    }

    /** When the last token so far reaches the client: the engine's time, or later while the API server streams. */
    long deliveredUntil() {
        return frontEnd.deliveredUntil(now);
    }

    long steps() {
        return steps;
    }

    EngineSnapshot snapshot() {
        return scheduler.snapshot();
    }

    List<OfflineRunner.Sample> samples() {
        return List.copyOf(samples);
    }

    /** Samples from now (the baseline) every {@code intervalNanos}; 0 leaves sampling off. */
    void startSampling(long intervalNanos) {
        if (intervalNanos == 0) return;
        sampleOrigin = now;
        sampleNanos = intervalNanos;
        samples.add(new OfflineRunner.Sample(0, scheduler.snapshot()));
        nextSample = now + intervalNanos;
    }

    /** Records the state as a scrape at every due sampling time up to {@code t} would see it. */
    private void sampleUpTo(long t) {
        while (nextSample <= t) {
            samples.add(new OfflineRunner.Sample(nextSample - sampleOrigin, scheduler.snapshot()));
            nextSample += sampleNanos;
        }
    }

    /** The last sample, at the end of the measured phase. */
    void finishSampling() {
        if (sampleNanos == 0) return;
        if (samples.get(samples.size() - 1).atNanos() < now - sampleOrigin) {
            samples.add(new OfflineRunner.Sample(now - sampleOrigin, scheduler.snapshot()));
        }
        nextSample = Long.MAX_VALUE;
    }

    /** Drops the previous phase's per-request arrays; {@link #grow} sizes new ones. */
    private void clearPhase() {
        requests = null;
        records = null;
        chunks = null;
        firstContent = null;
        scheduledAt = null;
        sentAt = null;
    }

    /**
     * Runs up to {@code limit} requests from {@code next} to completion: {@code offsets} null means closed loop
     * with {@code slots} in flight, releasing none at or after {@code deadlineNanos}; returns a record per send.
     */
    RequestRecord[] runPhase(IntFunction<EngineRequest> next, int limit, int slots, long[] offsets, long deadlineNanos) {
        source = next;
        deadline = deadlineNanos;
        closed = false;
        clearPhase();
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
            } else if (!ingesting.isEmpty()) {
                admitIngested(true);
            } else if (offsets == null && !closed && sent < limit && freeSlotHead != freeSlotTail) {
                // A stream's last token is still streaming out of the API server: its next request waits for it.
                long free = freeSlotTimes[freeSlotHead % freeSlotTimes.length];
                sampleUpTo(free);
                now = Math.max(now, free);
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

    /** Runs requests from {@code from} until it has none pending and the engine is idle; a record per send. */
    RequestRecord[] runPhase(Client from) {
        client = from;
        clearPhase();
        outputIds = null;
        grow(64);
        int sent = 0;
        try {
            while (true) {
                while (from.nextSendNanos() <= now) {
                    if (sent == requests.length) grow(requests.length * 2);
                    long sendAt = from.nextSendNanos();
                    Release r = from.take(sent);
                    source = i -> r.request();
                    submit(sent++, r.scheduledNanos(), sendAt);
                }
                if (scheduler.hasWork()) {
                    step();
                } else if (!ingesting.isEmpty()) {
                    admitIngested(true);
                } else if (from.nextSendNanos() != Long.MAX_VALUE) {
                    long arrival = from.nextSendNanos();
                    sampleUpTo(arrival);
                    now = arrival;
                } else {
                    return Arrays.copyOf(records, sent);
                }
            }
        } finally {
            client = null;
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
        outputIds = outputIds == null ? new int[size][] : Arrays.copyOf(outputIds, size);
        engineFirstToken = engineFirstToken == null ? new long[size] : Arrays.copyOf(engineFirstToken, size);
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
            if (client != null) client.finished(i, new int[0], sent);
            else pushFreeSlot(sent);
            return false;
        }
        firstContent[i] = -1;
        engineFirstToken[i] = -1;
        chunks[i] = new long[requests[i].maxTokens()];
        if (client != null) outputIds[i] = new int[requests[i].maxTokens()];
        if (frontEnd.isNone()) {
            scheduler.add(new RequestState(requests[i], i, null, sent, config));
        } else {
            // The hand-off is constant, so the engine core receives requests in the order the API server took them.
            long queued = frontEnd.ingest(sent, promptLen).queuedNanos();
            ingesting.addLast(new RequestState(requests[i], i, null, queued, config));
        }
        return true;
    }

    /**
     * Hands the engine every request the API server has finished ingesting by now; with {@code wait}, first
     * advances the clock to the next one's (the engine is idle).
     */
    private void admitIngested(boolean wait) {
        if (wait && !ingesting.isEmpty() && ingesting.peekFirst().arrivalNanos > now) {
            sampleUpTo(ingesting.peekFirst().arrivalNanos);
            now = ingesting.peekFirst().arrivalNanos;
        }
        while (!ingesting.isEmpty() && ingesting.peekFirst().arrivalNanos <= now) scheduler.add(ingesting.pollFirst());
    }

    // vllm/entrypoints/openai/serving_engine.py _validate_input: the 400 a real server would answer.
    private String contextLengthMessage(int promptLen, int maxTokens) {
        return "This model's maximum context length is " + config.maxModelLen() + " tokens. However, you "
                + "requested " + (promptLen + maxTokens) + " tokens (" + promptLen + " in the messages, "
                + maxTokens + " in the completion). Please reduce the length of the messages or completion.";
    }

    private void step() {
        admitIngested(false);
        StepWork work = scheduler.schedule(now);
        if (work == null) throw new IllegalStateException("engine has work but scheduled nothing");
        long end = now + costModel.stepNanos(work);
        sampleUpTo(end);
        now = end;
        steps++;
        frontEnd.stepEnded(now);
        scheduler.finishStep(now, this);
    }

    @Override
    public void onToken(RequestState req, int tokenId, long nowNanos) {
        int i = req.index;
        long delivered = frontEnd.nextOutput();
        if (engineFirstToken[i] < 0) engineFirstToken[i] = nowNanos;
        chunks[i][req.numOutputTokens - 1] = delivered;
        if (client != null) outputIds[i][req.numOutputTokens - 1] = tokenId;
        if (firstContent[i] < 0 && tokenId != tokenizer.eosTokenId()) firstContent[i] = delivered;
    }

    @Override
    public void onFinished(RequestState req, FinishReason reason, long nowNanos) {
        int i = req.index;
        long[] stamps = chunks[i];
        if (req.numOutputTokens < stamps.length) stamps = Arrays.copyOf(stamps, req.numOutputTokens);
        chunks[i] = null;
        // As the simulated server reports them: prompt_tokens_details only when something was cached (vLLM).
        records[i] = new RequestRecord(req.requestId, scheduledAt[i], sentAt[i], stamps, firstContent[i],
                req.numPromptTokens(), req.numOutputTokens, true, null, ConnectionTimings.NONE,
                req.numCachedTokens > 0 ? req.numCachedTokens : -1, -1,
                EngineTiming.of(req.arrivalNanos, req.scheduledNanos, engineFirstToken[i], nowNanos, req.numOutputTokens));
        // The client learns the request ended when its last token reaches it.
        long end = stamps.length == 0 ? nowNanos : stamps[stamps.length - 1];
        if (client == null) {
            pushFreeSlot(end);
            return;
        }
        int[] ids = Arrays.copyOf(outputIds[i], req.numOutputTokens);
        outputIds[i] = null;
        client.finished(i, ids, end);
    }

    private void pushFreeSlot(long t) {
        freeSlotTimes[freeSlotTail++ % freeSlotTimes.length] = t;
    }

    private long popFreeSlot() {
        return freeSlotTimes[freeSlotHead++ % freeSlotTimes.length];
    }
}
