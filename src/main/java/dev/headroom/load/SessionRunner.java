package dev.headroom.load;

import dev.headroom.metrics.RequestRecord;
import dev.headroom.workload.Conversation;
import dev.headroom.workload.Prompt;
import dev.headroom.workload.Session;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Sends multi-turn sessions and times every turn: each turn carries the session's history with the server's real
 * previous answers (streamed text kept), and goes {@code thinkTime} after the previous answer ended. Sessions
 * interleave under the load pattern: a closed loop keeps {@code concurrency} sessions going (the next starts when
 * one ends); an open loop starts session i at its arrival offset, at most {@code concurrency} at once when capped
 * (a later one waits in a FIFO queue). No thread per session: answers are recorded on one thread, think times wait
 * on one timer. With a duration, no session or turn is started at or after its end. Every record is tagged with its
 * turn; per-request failures never stop the run (the session goes on with an empty answer), {@link #stop} does, and
 * so does an error inside headroom (a sink that throws, the client's selector thread dying): {@link #run} then
 * throws it as a {@link LoadClientError} once no request is in flight. A turn's prompt length, where the server
 * reported none (a failed turn), is the session's history so far (the previous turn's prompt and answer) plus the
 * new user message.
 */
public final class SessionRunner {

    private final StreamingClient client;
    private final RunSettings settings;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("headroom-think").daemon().factory());
    private final ExecutorService recorder =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().name("headroom-sessions").daemon().factory());
    /** Open-loop arrivals that found every slot taken: {session, due nanoTime}, in arrival order. */
    private final ArrayDeque<long[]> waiting = new ArrayDeque<>();
    private List<Session> sessions;
    /** Per session: the tokens of its history before the next user message (the last turn's prompt and answer). */
    private int[] historyTokens;
    /** The first error inside headroom during the run, or null. */
    private final AtomicReference<Throwable> fault = new AtomicReference<>();
    private Consumer<RequestRecord> sink;
    private ClientHealth health;
    private long start;
    private long deadline;
    private int nextSession;
    private int activeSessions;
    private int inFlight;
    private int issued;
    private int finished;
    private int failed;
    private boolean allStarted;
    private volatile String stopReason;
    private volatile Thread dispatcher;

    public SessionRunner(StreamingClient client, RunSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /**
     * Runs {@code sessions} to their end (or the duration's, or a stop); blocks until every request settled.
     *
     * @param offsetsNanos open loop: session i starts at {@code offsetsNanos[i]} from the run start; null for a closed loop
     * @throws LoadClientError when an error inside headroom stopped the run (the sink threw, the client died)
     */
    public LoadRunner.Outcome run(List<Session> sessions, long[] offsetsNanos, Consumer<RequestRecord> sink) {
        if (sessions.isEmpty()) throw new IllegalArgumentException("a run needs at least one session");
        this.sessions = sessions;
        this.historyTokens = new int[sessions.size()];
        this.sink = sink;
        health = ClientHealth.start(client);
        start = System.nanoTime();
        deadline = settings.duration() == null ? Long.MAX_VALUE : start + settings.duration().toNanos();
        try {
            guarded(() -> {
                if (settings.pattern().isOpenLoop()) dispatchArrivals(offsetsNanos);
                else startClosedLoop();
            });
            awaitEnd();
        } finally {
            timer.shutdownNow();
            recorder.shutdown();
        }
        long end = System.nanoTime();
        ClientHealth.Report report = health.stop();
        Throwable dead = client.failure();
        if (dead != null) fault(dead);
        if (fault.get() != null) throw new LoadClientError(fault.get());
        synchronized (this) {
            return new LoadRunner.Outcome(start, end - start, issued, stopReason, report);
        }
    }

    /** Runs {@code step}; an error inside it stops the run ({@link #fault}) instead of vanishing in a future or timer. */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            fault(e);
        }
    }

    /** Records the run's first error inside headroom and stops the run. */
    private void fault(Throwable e) {
        if (fault.compareAndSet(null, e)) stop("error inside headroom: " + e);
    }

    /** Stops starting sessions and turns, and cancels requests in flight; safe from any thread. */
    public void stop(String reason) {
        synchronized (this) {
            if (stopReason == null) stopReason = reason;
            notifyAll();
        }
        client.abortAll();
        Thread d = dispatcher;
        if (d != null) LockSupport.unpark(d);
    }

    private void startClosedLoop() {
        synchronized (this) {
            for (int i = 0; i < settings.pattern().concurrency(); i++) startNextClosed(start);
        }
    }

    /** Closed loop: the next session takes the free slot, unless none remains, the duration is over or a stop came. */
    private void startNextClosed(long scheduledNanos) {
        if (stopReason != null || nextSession >= sessions.size() || scheduledNanos - deadline >= 0) {
            allStarted = true;
            return;
        }
        startSession(nextSession++, scheduledNanos);
    }

    /** Open loop: session i is due at its offset; capped, it waits for a free slot in arrival order. */
    private void dispatchArrivals(long[] offsets) {
        dispatcher = Thread.currentThread();
        try {
            for (int i = 0; i < Math.min(offsets.length, sessions.size()) && stopReason == null; i++) {
                long due = start + offsets[i];
                long wait;
                while ((wait = due - System.nanoTime()) > 0 && stopReason == null) LockSupport.parkNanos(wait);
                if (stopReason != null) break;
                health.recordDispatchLag(System.nanoTime() - due);
                synchronized (this) {
                    if (settings.pattern().isCapped() && activeSessions >= settings.pattern().concurrency()) waiting.add(new long[] {i, due});
                    else startSession(i, due);
                }
            }
        } finally {
            dispatcher = null;
        }
        synchronized (this) {
            allStarted = true;
            notifyAll();
        }
    }

    /** Called holding the lock. */
    private void startSession(int index, long scheduledNanos) {
        activeSessions++;
        send(index, sessions.get(index).next(null), scheduledNanos);
    }

    /** Called holding the lock, or from the timer (which takes it). */
    private void send(int session, Conversation turn, long scheduledNanos) {
        synchronized (this) {
            if (stopReason != null || (turn.turn() > 0 && scheduledNanos - deadline >= 0)) {
                sessionEnded(System.nanoTime());
                return;
            }
            issued++;
            inFlight++;
        }
        String id = settings.requestIdPrefix() + session + "-" + turn.turn();
        CompletableFuture<StreamResult> result;
        try {
            byte[] body = RequestBodies.build(settings.api(), settings.model(), turn, settings.exactOutput(), settings.extraBody());
            result = client.streamKeepingText(settings.api().path(), body, id, settings.requestTimeout(), turn.outputTokens() + 2);
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                issued--;
                inFlight--;
            }
            throw e;
        }
        result.whenCompleteAsync((r, error) -> answered(session, turn, id, r, error, scheduledNanos), recorder);
    }

    /**
     * On the recorder thread: records the turn, then schedules the session's next turn or ends it. An error inside
     * headroom here (the sink threw) stops the run, and the turn still leaves the requests in flight.
     */
    private void answered(int session, Conversation turn, String id, StreamResult r, Throwable error, long scheduledNanos) {
        RequestRecord record = null;
        Conversation next = null;
        try {
            if (error != null) throw error;
            Prompt asSent = new Prompt(null, "", historyTokens[session] + turn.userTokens(), turn.outputTokens());
            record = LoadRunner.toRecord(id, r, asSent, settings.exactOutput(), scheduledNanos, start).withTurn(turn.turn());
            historyTokens[session] = record.promptTokens() + record.outputTokens();
            if (!record.ok() && client.failure() != null) fault(client.failure());
            sink.accept(record);
            Session s = sessions.get(session);
            next = s.hasNext() ? s.next(r.text() == null ? "" : r.text()) : null;
        } catch (Throwable e) {
            fault(e);
        }
        long now = System.nanoTime();
        synchronized (this) {
            inFlight--;
            finished++;
            if (record != null && !record.ok() && !record.cancelled()) failed++;
            checkErrorRate();
            if (next == null || stopReason != null) {
                sessionEnded(now);
            } else {
                Conversation turnAfter = next;
                long due = now + next.thinkTimeNanos();
                if (next.thinkTimeNanos() == 0) guarded(() -> send(session, turnAfter, due));
                else timer.schedule(() -> guarded(() -> send(session, turnAfter, due)), next.thinkTimeNanos(), TimeUnit.NANOSECONDS);
            }
            notifyAll();
        }
    }

    /** Called holding the lock: frees the session's slot for the next one. */
    private void sessionEnded(long nowNanos) {
        activeSessions--;
        if (settings.pattern().isOpenLoop()) {
            long[] queued = waiting.poll();
            // Its latency counts from its arrival, not from the slot coming free (no coordinated omission).
            if (queued != null && stopReason == null) startSession((int) queued[0], queued[1]);
        } else {
            startNextClosed(nowNanos);
        }
        notifyAll();
    }

    private void checkErrorRate() {
        if (finished >= LoadRunner.MIN_FINISHED_FOR_ERROR_RATE && failed > settings.maxErrorRate() * finished
                && settings.maxErrorRate() < 1 && stopReason == null) {
            String reason = String.format("error rate %d/%d exceeded --max-error-rate %s", failed, finished, settings.maxErrorRate());
            recorder.execute(() -> stop(reason));
        }
    }

    /** Waits until every session ended, or, after a stop, until no request is in flight. */
    private synchronized void awaitEnd() {
        while (!((allStarted && activeSessions == 0 && waiting.isEmpty()) || (stopReason != null && inFlight == 0))) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
