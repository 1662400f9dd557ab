package dev.headroom.server;

import dev.headroom.engine.EngineRequest;
import dev.headroom.engine.EngineSnapshot;
import dev.headroom.engine.FinishedRequest;
import dev.headroom.engine.FinishedRequest.FinishReason;
import dev.headroom.engine.ServingEngine;
import dev.headroom.engine.TokenSink;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A test double of the live engine: its own thread runs a step every {@code stepNanos} on a fixed schedule,
 * admits everything waiting, and gives every running request one token per step. A request stops at
 * max_tokens, or (unless ignore_eos) at {@code eosAfter} tokens once min_tokens is met. Token ids cycle
 * through 'a'..'z' so a char tokenizer decodes them to letters. Records how late each step started.
 */
final class ScriptedEngine implements ServingEngine {

    private record Live(EngineRequest request, TokenSink sink, long arrivalNanos, long[] times, int[] produced) {}

    private final long stepNanos;
    private final int eosAfter;
    private final ConcurrentLinkedQueue<Live> incoming = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> aborts = new ConcurrentLinkedQueue<>();
    private final List<Live> running = new ArrayList<>();
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final long[] latenessNanos = new long[1 << 16];
    private volatile int steps;
    private volatile boolean closed;
    private volatile EngineSnapshot snapshot = new EngineSnapshot(0, 0, 0, 0, 0, 0, 0, 0, 1000, 16);
    private long promptTokens;
    private long generationTokens;
    /** Ids aborted on request (not at close); the disconnect test waits on it. */
    final ConcurrentLinkedQueue<String> aborted = new ConcurrentLinkedQueue<>();
    final CountDownLatch firstAbort = new CountDownLatch(1);

    ScriptedEngine(long stepNanos, int eosAfter) {
        this.stepNanos = stepNanos;
        this.eosAfter = eosAfter;
        this.thread = new Thread(this::run, "scripted-engine");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void submit(EngineRequest request, TokenSink sink) {
        incoming.add(new Live(request, sink, System.nanoTime(), new long[2], new int[1]));
    }

    @Override
    public void abort(String requestId) {
        aborts.add(requestId);
    }

    @Override
    public EngineSnapshot snapshot() {
        return snapshot;
    }

    /** How late each step started vs its schedule, nanoseconds, for the steps run so far. */
    long[] lateness() {
        return java.util.Arrays.copyOf(latenessNanos, Math.min(steps, latenessNanos.length));
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            stopped.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long next = System.nanoTime() + stepNanos;
        while (!closed) {
            long wait;
            while ((wait = next - System.nanoTime()) > 0 && !closed) LockSupport.parkNanos(wait);
            if (closed) break;
            long start = System.nanoTime();
            if (steps < latenessNanos.length) latenessNanos[steps] = start - next;
            steps++;
            step(start);
            next += stepNanos;
        }
        for (Live live : running) finish(live, FinishReason.ABORT, System.nanoTime());
        for (Live live; (live = incoming.poll()) != null; ) finish(live, FinishReason.ABORT, System.nanoTime());
        stopped.countDown();
    }

    private void step(long startNanos) {
        for (Live live; (live = incoming.poll()) != null; ) {
            live.times()[0] = startNanos;
            promptTokens += live.request().promptTokenIds().length;
            running.add(live);
        }
        for (String id; (id = aborts.poll()) != null; ) {
            for (Iterator<Live> it = running.iterator(); it.hasNext(); ) {
                Live live = it.next();
                if (live.request().requestId().equals(id)) {
                    it.remove();
                    aborted.add(id);
                    firstAbort.countDown();
                    finish(live, FinishReason.ABORT, startNanos);
                }
            }
        }
        long now = System.nanoTime();
        List<Live> done = new ArrayList<>();
        for (Iterator<Live> it = running.iterator(); it.hasNext(); ) {
            Live live = it.next();
            int n = ++live.produced()[0];
            if (n == 1) live.times()[1] = now;
            generationTokens++;
            live.sink().onTokens(new int[] {'a' + (n - 1) % 26}, now);
            EngineRequest r = live.request();
            boolean eos = !r.ignoreEos() && n >= Math.max(eosAfter, r.minTokens());
            if (n >= r.maxTokens() || eos) {
                it.remove();
                done.add(live);
            }
        }
        // The step's counters are published before its requests finish, so a client that reads /metrics after its
        // response sees every token of it (the finish wakes the response writer).
        snapshot = new EngineSnapshot(running.size(), incoming.size(), running.size() / 1000.0, 0, promptTokens,
                generationTokens, promptTokens, 0, 1000, 16);
        for (Live live : done) {
            finish(live, live.produced()[0] >= live.request().maxTokens() ? FinishReason.LENGTH : FinishReason.STOP, now);
        }
    }

    private static void finish(Live live, FinishReason reason, long now) {
        long scheduled = live.times()[0] == 0 ? now : live.times()[0];
        live.sink().onFinished(new FinishedRequest(live.request().requestId(), reason,
                live.request().promptTokenIds().length, live.produced()[0], 0, live.arrivalNanos(), live.arrivalNanos(), scheduled,
                live.times()[1], now, 0));
    }
}
