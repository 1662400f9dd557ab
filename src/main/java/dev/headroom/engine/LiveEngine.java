package dev.headroom.engine;

import dev.headroom.engine.FinishedRequest.FinishReason;
import dev.headroom.plan.StepCostModel;
import dev.headroom.plan.StepWork;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The simulated engine on the wall clock: the {@link Scheduler} in one platform thread, each step lasting what the
 * {@link StepCostModel} says. Steps are timed from the previous step's ideal end, never from when the thread woke,
 * so the schedule does not drift; a late thread catches up without sleeping. Idle, the thread parks until work
 * arrives. Clock: {@link System#nanoTime()}.
 *
 * <p>The API server in front of the engine is the cost model's {@link dev.headroom.plan.FrontEnd}, queued as in the
 * offline loop ({@link FrontEndQueue}): a request reaches the scheduler once its tokenization (behind the others')
 * and hand-off are done, and a step's tokens reach their sinks once the API server has streamed them
 * ({@link LiveOutbox}). The finished requests' timestamps are vLLM's: arrival when the API server took the request,
 * queueing, scheduling and tokens on the engine core's clock.
 */
public final class LiveEngine implements ServingEngine {

    /** Sleep until this close to a step's end, then spin: parkNanos overshoots by tens of microseconds. */
    private static final long SPIN_NANOS = 100_000;
    /** No deadline to wait for (the same as {@link LiveOutbox#NOTHING_HELD}, so that the two compare). */
    private static final long NO_DEADLINE = LiveOutbox.NOTHING_HELD;

    private sealed interface Command permits Submit, Abort {}

    private record Submit(EngineRequest request, TokenSink sink, long receivedNanos) implements Command {}

    private record Abort(String requestId) implements Command {}

    private final EngineConfig config;
    private final StepCostModel costModel;
    private final Scheduler scheduler;
    private final ConcurrentLinkedQueue<Command> inbox = new ConcurrentLinkedQueue<>();
    private final Map<String, RequestState> live = new HashMap<>();
    private final Recorder latenessRecorder = new Recorder(3);
    private final Histogram latenessTotal = new Histogram(3);
    private final Thread thread;
    private final FrontEndQueue frontEnd;
    /** Requests the API server is still ingesting, in the order the engine core will receive them. */
    private final ArrayDeque<RequestState> ingesting = new ArrayDeque<>();
    private final LiveOutbox outbox = new LiveOutbox();
    private final Delivery delivery = new Delivery();
    private volatile boolean closed;
    private volatile boolean idle;
    private volatile EngineSnapshot snapshot;

    private LiveEngine(EngineConfig config, StepCostModel costModel) {
        this.config = config;
        this.costModel = costModel;
        this.frontEnd = new FrontEndQueue(costModel.frontEnd());
        this.scheduler = new Scheduler(config, new SimTokenizer(config.vocabSize()));
        this.snapshot = scheduler.snapshot();
        this.thread = new Thread(this::loop, "headroom-engine");
        thread.setDaemon(true);
    }

    /** Starts an engine thread running {@code config}'s scheduler with step times from {@code costModel}. */
    public static LiveEngine start(EngineConfig config, StepCostModel costModel) {
        LiveEngine engine = new LiveEngine(Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(costModel, "costModel"));
        engine.thread.start();
        return engine;
    }

    /** The configuration this engine runs. */
    public EngineConfig config() {
        return config;
    }

    /** @throws IllegalArgumentException when the prompt leaves no room for output within {@code max_model_len} */
    @Override
    public void submit(EngineRequest request, TokenSink sink) {
        Objects.requireNonNull(sink, "sink");
        Scheduler.checkPromptLength(request.promptTokenIds().length, config.maxModelLen());
        post(new Submit(request, sink, System.nanoTime()));
    }

    @Override
    public void abort(String requestId) {
        post(new Abort(Objects.requireNonNull(requestId, "requestId")));
    }

    /** The state after the last completed step (published once per step, after its tokens were delivered). */
    @Override
    public EngineSnapshot snapshot() {
        return snapshot;
    }

    /** Lateness of step delivery against the ideal schedule since start. */
    public synchronized Lateness lateness() {
        latenessTotal.add(latenessRecorder.getIntervalHistogram());
        Histogram h = latenessTotal;
        return new Lateness(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue());
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void post(Command command) {
        if (closed) {
            if (command instanceof Submit s) LiveOutbox.finish(s.sink(), aborted(s.request(), s.receivedNanos()));
            return;
        }
        inbox.add(command);
        if (idle) LockSupport.unpark(thread);
        // shutDown sets closed before it drains: if it is set now, the drain may have run before the add above, so
        // this thread drains what is left. A command is polled once, by whichever side gets it.
        if (closed) abortInbox();
    }

    private void loop() {
        try {
            runSteps();
        } finally {
            shutDown();
        }
    }

    private void runSteps() {
        long idealEnd = 0;
        boolean busy = false;
        while (!closed) {
            drainInbox();
            long start = busy ? idealEnd : System.nanoTime();
            admitIngested(start);
            if (!scheduler.hasWork()) {
                snapshot = scheduler.snapshot();
                // Idle until the API server hands over its next request (that step starts when it does) or new work.
                long next = ingesting.isEmpty() ? NO_DEADLINE : ingesting.peekFirst().arrivalNanos;
                busy = waitForWork(next);
                idealEnd = next;
                continue;
            }
            StepWork work = scheduler.schedule(start);
            if (work == null) throw new IllegalStateException("engine has work but scheduled nothing");
            idealEnd = start + costModel.stepNanos(work);
            waitForStepEnd(idealEnd);
            latenessRecorder.recordValue(Math.max(0, System.nanoTime() - idealEnd));
            frontEnd.stepEnded(idealEnd);
            scheduler.finishStep(idealEnd, delivery);
            // The step's counters are published before its finished requests are handed back, so a client that reads
            // /metrics right after its response ends sees every token of it (vLLM's output loop records stats in the
            // same iteration that resolves the requests: vllm/v1/engine/async_llm.py output_handler).
            snapshot = scheduler.snapshot();
            outbox.release(System.nanoTime());
            busy = true;
        }
    }

    /** Hands the scheduler every request the API server has handed over by {@code nowNanos}. */
    private void admitIngested(long nowNanos) {
        while (!ingesting.isEmpty() && ingesting.peekFirst().arrivalNanos - nowNanos <= 0) {
            scheduler.add(ingesting.pollFirst());
        }
    }

    /**
     * Parks until {@code deadlineNanos} ({@link #NO_DEADLINE}: none), a command, or close, handing out the
     * API server's outputs as they fall due; true when the deadline came.
     */
    private boolean waitForWork(long deadlineNanos) {
        idle = true;
        try {
            while (inbox.isEmpty() && !closed) {
                long now = System.nanoTime();
                outbox.release(now);
                if (deadlineNanos != NO_DEADLINE && deadlineNanos - now <= 0) return true;
                long until = Math.min(deadlineNanos, outbox.nextDueNanos());
                if (until == NO_DEADLINE) LockSupport.park(this);
                else LockSupport.parkNanos(this, until - now);
            }
            return deadlineNanos != NO_DEADLINE && deadlineNanos - System.nanoTime() <= 0;
        } finally {
            idle = false;
        }
    }

    /** Waits for a step's end as {@link #waitUntil} does, handing out the API server's outputs as they fall due. */
    private void waitForStepEnd(long endNanos) {
        long due;
        while ((due = outbox.nextDueNanos()) != LiveOutbox.NOTHING_HELD && due - endNanos < 0) {
            waitUntil(due);
            outbox.release(System.nanoTime());
        }
        waitUntil(endNanos);
    }

    /** Waits until {@code System.nanoTime()} reaches the deadline: park, then spin for the last stretch. */
    static void waitUntil(long deadlineNanos) {
        long remaining;
        while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
            if (remaining > SPIN_NANOS) LockSupport.parkNanos(remaining - SPIN_NANOS);
            else Thread.onSpinWait();
        }
    }

    private void drainInbox() {
        Command c;
        while ((c = inbox.poll()) != null) {
            switch (c) {
                case Submit s -> admit(s);
                case Abort a -> abortNow(a.requestId());
            }
        }
    }

    private void admit(Submit s) {
        String id = s.request().requestId();
        if (live.containsKey(id)) {
            LiveOutbox.finish(s.sink(), aborted(s.request(), s.receivedNanos()));
            return;
        }
        if (frontEnd.isNone()) {
            RequestState req = new RequestState(s.request(), 0, s.sink(), s.receivedNanos(), config);
            live.put(id, req);
            scheduler.add(req);
            return;
        }
        FrontEndQueue.Ingested in = frontEnd.ingest(s.receivedNanos(), s.request().promptTokenIds().length);
        RequestState req = new RequestState(s.request(), 0, s.sink(), in.queuedNanos(), config);
        req.apiArrivalNanos = in.tokenizedNanos();
        live.put(id, req);
        ingesting.addLast(req);
    }

    private void abortNow(String requestId) {
        RequestState req = live.remove(requestId);
        if (req == null || !(ingesting.remove(req) || scheduler.abort(req))) return;
        // After any of its tokens the API server still holds: a sink hears nothing after its finish.
        long now = System.nanoTime();
        outbox.finish(req.sink, finished(req, FinishReason.ABORT, now), now);
    }

    // On close, or if a step ever fails: every request still here, or still arriving, gets its ABORT.
    private void shutDown() {
        closed = true;
        for (String id : live.keySet().toArray(String[]::new)) abortNow(id);
        outbox.releaseAll();
        abortInbox();
        snapshot = scheduler.snapshot();
    }

    private void abortInbox() {
        Command c;
        while ((c = inbox.poll()) != null) {
            if (c instanceof Submit s) LiveOutbox.finish(s.sink(), aborted(s.request(), s.receivedNanos()));
        }
    }

    private static FinishedRequest aborted(EngineRequest r, long receivedNanos) {
        return new FinishedRequest(r.requestId(), FinishReason.ABORT, r.promptTokenIds().length, 0, 0, receivedNanos,
                receivedNanos, -1, -1, System.nanoTime(), 0);
    }

    private static FinishedRequest finished(RequestState r, FinishReason reason, long nowNanos) {
        return new FinishedRequest(r.requestId, reason, r.numPromptTokens(), r.numOutputTokens, r.numCachedTokens,
                r.apiArrivalNanos, r.arrivalNanos, r.scheduledNanos, r.firstTokenNanos, nowNanos, r.numPreemptions);
    }

    /** Hands each step's results to the outbox, due when the API server has streamed them. */
    private final class Delivery implements StepListener {
        private long lastDueNanos;

        @Override
        public void onToken(RequestState req, int tokenId, long nowNanos) {
            lastDueNanos = frontEnd.nextOutput();
            outbox.token(req.sink, tokenId, nowNanos, lastDueNanos);
        }

        /** Right after the request's last token (the scheduler's order): its client learns of the end with it. */
        @Override
        public void onFinished(RequestState req, FinishReason reason, long nowNanos) {
            live.remove(req.requestId);
            outbox.finish(req.sink, finished(req, reason, nowNanos), lastDueNanos);
        }
    }
}
