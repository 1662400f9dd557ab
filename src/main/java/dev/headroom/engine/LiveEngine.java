package dev.headroom.engine;

import dev.headroom.engine.FinishedRequest.FinishReason;
import dev.headroom.plan.StepCostModel;
import dev.headroom.plan.StepWork;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
 */
public final class LiveEngine implements ServingEngine {

    /** Sleep until this close to a step's end, then spin: parkNanos overshoots by tens of microseconds. */
    private static final long SPIN_NANOS = 100_000;

    private sealed interface Command permits Submit, Abort {}

    private record Submit(EngineRequest request, TokenSink sink, long arrivalNanos) implements Command {}

    private record Abort(String requestId) implements Command {}

    private final EngineConfig config;
    private final StepCostModel costModel;
    private final Scheduler scheduler;
    private final ConcurrentLinkedQueue<Command> inbox = new ConcurrentLinkedQueue<>();
    private final Map<String, RequestState> live = new HashMap<>();
    private final Recorder latenessRecorder = new Recorder(3);
    private final Histogram latenessTotal = new Histogram(3);
    private final Thread thread;
    private final Delivery delivery = new Delivery();
    private volatile boolean closed;
    private volatile boolean idle;
    private volatile EngineSnapshot snapshot;

    private LiveEngine(EngineConfig config, StepCostModel costModel) {
        this.config = config;
        this.costModel = costModel;
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
            if (command instanceof Submit s) finish(s.sink(), aborted(s.request(), s.arrivalNanos()));
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
            if (!scheduler.hasWork()) {
                snapshot = scheduler.snapshot();
                parkUntilWork();
                busy = false;
                continue;
            }
            long start = busy ? idealEnd : System.nanoTime();
            StepWork work = scheduler.schedule(start);
            if (work == null) throw new IllegalStateException("engine has work but scheduled nothing");
            idealEnd = start + costModel.stepNanos(work);
            waitUntil(idealEnd);
            latenessRecorder.recordValue(Math.max(0, System.nanoTime() - idealEnd));
            scheduler.finishStep(idealEnd, delivery);
            // The step's counters are published before its finished requests are handed back, so a client that reads
            // /metrics right after its response ends sees every token of it (vLLM's output loop records stats in the
            // same iteration that resolves the requests: vllm/v1/engine/async_llm.py output_handler).
            snapshot = scheduler.snapshot();
            delivery.finishHeld();
            busy = true;
        }
    }

    private void parkUntilWork() {
        idle = true;
        while (inbox.isEmpty() && !closed) LockSupport.park(this);
        idle = false;
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
            finish(s.sink(), aborted(s.request(), s.arrivalNanos()));
            return;
        }
        RequestState req = new RequestState(s.request(), 0, s.sink(), s.arrivalNanos(), config);
        live.put(id, req);
        scheduler.add(req);
    }

    private void abortNow(String requestId) {
        RequestState req = live.remove(requestId);
        if (req != null && scheduler.abort(req)) finish(req.sink, finished(req, FinishReason.ABORT, System.nanoTime()));
    }

    // On close, or if a step ever fails: every request still here, or still arriving, gets its ABORT.
    private void shutDown() {
        closed = true;
        delivery.finishHeld();
        for (String id : live.keySet().toArray(String[]::new)) abortNow(id);
        abortInbox();
        snapshot = scheduler.snapshot();
    }

    private void abortInbox() {
        Command c;
        while ((c = inbox.poll()) != null) {
            if (c instanceof Submit s) finish(s.sink(), aborted(s.request(), s.arrivalNanos()));
        }
    }

    private static FinishedRequest aborted(EngineRequest r, long arrivalNanos) {
        return new FinishedRequest(r.requestId(), FinishReason.ABORT, r.promptTokenIds().length, 0, 0, arrivalNanos,
                -1, -1, System.nanoTime(), 0);
    }

    private static FinishedRequest finished(RequestState r, FinishReason reason, long nowNanos) {
        return new FinishedRequest(r.requestId, reason, r.numPromptTokens(), r.numOutputTokens, r.numCachedTokens,
                r.arrivalNanos, r.scheduledNanos, r.firstTokenNanos, nowNanos, r.numPreemptions);
    }

    // A sink that throws must not stop the engine: its request simply loses its remaining events.
    private static void finish(TokenSink sink, FinishedRequest f) {
        try {
            sink.onFinished(f);
        } catch (RuntimeException ignored) {
            // the sink's owner has gone; nothing else depends on this delivery
        }
    }

    /** Hands each step's results to the requests' sinks on the engine thread; finishes wait for the step's snapshot. */
    private final class Delivery implements StepListener {
        private final List<FinishedRequest> held = new ArrayList<>();
        private final List<TokenSink> heldSinks = new ArrayList<>();

        @Override
        public void onToken(RequestState req, int tokenId, long nowNanos) {
            try {
                req.sink.onTokens(new int[] {tokenId}, nowNanos);
            } catch (RuntimeException ignored) {
                // as in finish(): a broken sink only affects its own request
            }
        }

        @Override
        public void onFinished(RequestState req, FinishReason reason, long nowNanos) {
            live.remove(req.requestId);
            held.add(finished(req, reason, nowNanos));
            heldSinks.add(req.sink);
        }

        /** Finishes the requests the last step ended, once its snapshot is published. */
        void finishHeld() {
            for (int i = 0; i < held.size(); i++) finish(heldSinks.get(i), held.get(i));
            held.clear();
            heldSinks.clear();
        }
    }
}
