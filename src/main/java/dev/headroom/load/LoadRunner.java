package dev.headroom.load;

import dev.headroom.metrics.RequestRecord;
import dev.headroom.workload.Arrivals;
import dev.headroom.workload.Prompt;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Sends one load point and times it: closed loop ({@code concurrency} senders, each with one request in flight) or
 * open loop (vLLM's gamma arrivals). A capped open loop is a FIFO queue of due arrivals drained by at most
 * {@code concurrency} senders; an uncapped one hands each arrival to the client without a thread, and one recorder
 * thread takes the results. Threads stay bounded at any rate. Every finished request goes to the sink at once as a
 * {@link RequestRecord} with times relative to the run start; per-request failures never stop the run,
 * {@code maxErrorRate} and {@link #stop} do. An error inside headroom (a sink or sender that throws, the client's
 * selector thread dying) stops it too, and {@link #run} then throws it as a {@link LoadClientError} once every
 * request settled.
 */
public final class LoadRunner {

    /** How the run went: its start (absolute nanoTime), duration as vLLM measures it, and why it stopped early. */
    public record Outcome(long startNanos, long durationNanos, int issued, String stopReason, ClientHealth.Report health) {}

    /** A sender parks until its stream ends; the client's selector threads read every stream meanwhile. */
    private static final java.util.concurrent.ThreadFactory STREAM_THREADS =
            Thread.ofPlatform().name("headroom-sender-", 0).daemon().factory();

    /** Fewest finished requests before {@code maxErrorRate} is judged. */
    static final int MIN_FINISHED_FOR_ERROR_RATE = 10;

    private final StreamingClient client;
    private final RunSettings settings;
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger issued = new AtomicInteger();
    private volatile String stopReason;
    private volatile Thread dispatcher;
    /** The first error inside headroom during the run, or null. */
    private final AtomicReference<Throwable> fault = new AtomicReference<>();

    public LoadRunner(StreamingClient client, RunSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /**
     * Runs warm-up then the measured load; blocks until every request finished. Thread-safe sink required.
     *
     * @throws LoadClientError when an error inside headroom stopped the run (the sink threw, the client died)
     */
    public Outcome run(List<Prompt> prompts, Consumer<RequestRecord> sink) {
        return run(prompts, null, sink);
    }

    /**
     * As {@link #run(List, Consumer)}; an open loop sends prompt i at {@code offsetsNanos[i]} from the start when
     * given (a replayed trace), else at vLLM's gamma arrivals for the pattern's rate.
     */
    public Outcome run(List<Prompt> prompts, long[] offsetsNanos, Consumer<RequestRecord> sink) {
        if (prompts.isEmpty()) throw new IllegalArgumentException("a run needs at least one prompt");
        byte[][] bodies = new byte[prompts.size()][];
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = RequestBodies.build(settings.api(), settings.model(), prompts.get(i), settings.exactOutput(), settings.extraBody());
        }
        warmup(prompts, bodies);
        throwIfFaulted();
        ClientHealth health = ClientHealth.start(client);
        long start = System.nanoTime();
        Request request = new Request(prompts, bodies, start, sink);
        try (ExecutorService executor = Executors.newCachedThreadPool(STREAM_THREADS)) {
            guarded(() -> {
                if (settings.pattern().isOpenLoop()) openLoop(executor, request, health, offsetsNanos);
                else closedLoop(executor, request);
            }).run();
        }
        long end = System.nanoTime();
        ClientHealth.Report report = health.stop();
        throwIfFaulted();
        return new Outcome(start, end - start, issued.get(), stopReason, report);
    }

    /** {@code task}, with any error inside it stopping the run ({@link #fault}) instead of vanishing in a future. */
    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                fault(e);
            }
        };
    }

    /** Records the run's first error inside headroom and stops the run. */
    private void fault(Throwable e) {
        if (fault.compareAndSet(null, e)) stop("error inside headroom: " + e);
    }

    /** Throws the run's error inside headroom, counting the client's selector threads dying as one. */
    private void throwIfFaulted() {
        Throwable dead = client.failure();
        if (dead != null) fault(dead);
        Throwable e = fault.get();
        if (e != null) throw new LoadClientError(e);
    }

    /** Stops issuing and cancels requests in flight (their records say {@code cancelled}); safe from any thread. */
    public void stop(String reason) {
        if (stopReason == null) stopReason = reason;
        client.abortAll();
        Thread d = dispatcher;
        if (d != null) LockSupport.unpark(d);
    }

    /** Requests finished so far (measured run only). */
    public int finished() {
        return finished.get();
    }

    private void warmup(List<Prompt> prompts, byte[][] bodies) {
        if (settings.warmup() == 0) return;
        int concurrency = Math.min(settings.warmup(), settings.pattern().isCapped() ? settings.pattern().concurrency() : settings.warmup());
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService executor = Executors.newCachedThreadPool(STREAM_THREADS)) {
            for (int w = 0; w < concurrency; w++) {
                executor.execute(guarded(() -> {
                    int i;
                    while (stopReason == null && (i = next.getAndIncrement()) < settings.warmup()) {
                        int p = i % bodies.length;
                        client.stream(settings.api().path(), bodies[p], settings.requestIdPrefix() + "warmup-" + i,
                                settings.requestTimeout(), prompts.get(p).outputTokens() + 2, false);
                    }
                }));
            }
        }
    }

    private void closedLoop(ExecutorService executor, Request request) {
        long deadline = settings.duration() == null ? Long.MAX_VALUE : request.start + settings.duration().toNanos();
        AtomicInteger next = new AtomicInteger();
        for (int w = 0; w < settings.pattern().concurrency(); w++) {
            executor.execute(guarded(() -> {
                while (stopReason == null) {
                    long now = System.nanoTime();
                    if (now - deadline >= 0) return;
                    int i = next.getAndIncrement();
                    if (settings.requests() > 0 && i >= settings.requests()) return;
                    send(request, i, now);
                }
            }));
        }
    }

    private void openLoop(ExecutorService executor, Request request, ClientHealth health, long[] given) {
        long[] offsets = given != null ? given : arrivals();
        if (settings.pattern().isCapped()) cappedOpenLoop(executor, request, health, offsets);
        else uncappedOpenLoop(request, health, offsets);
    }

    private long[] arrivals() {
        int count = settings.duration() == null ? settings.requests()
                : Arrivals.countForDuration(settings.duration().toNanos(), settings.pattern().ratePerSecond());
        return Arrivals.offsetsNanos(count, settings.pattern().ratePerSecond(), settings.pattern().burstiness(), settings.seed());
    }

    /**
     * The arrivals are a FIFO queue drained by {@code concurrency} senders: arrival i is sent at the later of its due
     * time and a sender coming free, exactly as a semaphore-gated dispatcher would, with no thread per arrival.
     */
    private void cappedOpenLoop(ExecutorService executor, Request request, ClientHealth health, long[] offsets) {
        AtomicInteger next = new AtomicInteger();
        for (int w = 0; w < settings.pattern().concurrency(); w++) {
            executor.execute(guarded(() -> {
                int i;
                while (stopReason == null && (i = next.getAndIncrement()) < offsets.length) {
                    long due = request.start + offsets[i];
                    if (due - System.nanoTime() > 0) {
                        sleepUntil(due);
                        if (stopReason != null) return;
                        health.recordDispatchLag(System.nanoTime() - due);
                    }
                    send(request, i, due);
                }
            }));
        }
    }

    /**
     * Hands each arrival to the client when due; one recorder thread turns results into records. Returns once every
     * request handed over is recorded, also after an error inside headroom stopped the dispatch.
     */
    private void uncappedOpenLoop(Request request, ClientHealth health, long[] offsets) {
        dispatcher = Thread.currentThread();
        InFlight inFlight = new InFlight();
        try (ExecutorService recorder = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("headroom-recorder").daemon().factory())) {
            try {
                for (int i = 0; i < offsets.length && stopReason == null; i++) {
                    long due = request.start + offsets[i];
                    sleepUntil(due);
                    if (stopReason != null) break;
                    health.recordDispatchLag(System.nanoTime() - due);
                    dispatch(request, i, due, inFlight, recorder);
                }
            } catch (RuntimeException | Error e) {
                fault(e);
            }
            dispatcher = null;
            inFlight.awaitNone();
        } finally {
            dispatcher = null;
        }
    }

    /** Hands arrival {@code index} to the client; its result is recorded on {@code recorder}, whatever happens there. */
    private void dispatch(Request request, int index, long due, InFlight inFlight, ExecutorService recorder) {
        issued.incrementAndGet();
        int p = index % request.bodies.length;
        Prompt prompt = request.prompts.get(p);
        String id = settings.requestIdPrefix() + index;
        inFlight.add();
        CompletableFuture<StreamResult> result;
        try {
            result = client.streamAsync(settings.api().path(), request.bodies[p], id, settings.requestTimeout(),
                    prompt.outputTokens() + 2, false);
        } catch (RuntimeException | Error e) {
            inFlight.remove();
            throw e;
        }
        result.whenCompleteAsync((r, error) -> {
            try {
                if (error != null) fault(error);
                else record(request, toRecord(id, r, prompt, settings.exactOutput(), due, request.start));
            } catch (RuntimeException | Error e) {
                fault(e);
            } finally {
                inFlight.remove();
            }
        }, recorder);
    }

    private void sleepUntil(long dueNanos) {
        long wait;
        while ((wait = dueNanos - System.nanoTime()) > 0 && stopReason == null) LockSupport.parkNanos(wait);
    }

    private void send(Request request, int index, long scheduledNanos) {
        if (stopReason != null) return;
        issued.incrementAndGet();
        int p = index % request.bodies.length;
        Prompt prompt = request.prompts.get(p);
        String id = settings.requestIdPrefix() + index;
        StreamResult r = client.stream(settings.api().path(), request.bodies[p], id, settings.requestTimeout(),
                prompt.outputTokens() + 2, false);
        record(request, toRecord(id, r, prompt, settings.exactOutput(), scheduledNanos, request.start));
    }

    /** Hands {@code record} to the sink and judges the error rate; a failure may be the client's selector dying. */
    private void record(Request request, RequestRecord record) {
        if (!record.ok() && client.failure() != null) fault(client.failure());
        request.sink.accept(record);
        int done = finished.incrementAndGet();
        int bad = record.ok() || record.cancelled() ? failed.get() : failed.incrementAndGet();
        if (done >= MIN_FINISHED_FOR_ERROR_RATE && bad > settings.maxErrorRate() * done && settings.maxErrorRate() < 1) {
            stop(String.format("error rate %d/%d exceeded --max-error-rate %s", bad, done, settings.maxErrorRate()));
        }
    }

    /**
     * {@code prompt}'s result as a record with times relative to {@code startNanos}, its token counts the server's or
     * else the prompt's; {@code exactOutput}: the request asked for exactly {@code prompt.outputTokens()} tokens.
     */
    static RequestRecord toRecord(String id, StreamResult r, Prompt prompt, boolean exactOutput, long scheduledNanos,
                                  long startNanos) {
        long[] chunks = r.chunkNanos().clone();
        for (int i = 0; i < chunks.length; i++) chunks[i] -= startNanos;
        int promptTokens = r.promptTokens() >= 0 ? r.promptTokens() : prompt.inputTokens();
        int outputTokens = r.usageReported() ? r.completionTokens() : r.contentChunks();
        long firstContent = r.firstContentNanos() < 0 ? -1 : r.firstContentNanos() - startNanos;
        return new RequestRecord(id, scheduledNanos - startNanos, r.sentNanos() - startNanos, chunks, firstContent,
                promptTokens, outputTokens, r.usageReported(), r.error(), r.connection(), r.cachedTokens(), -1, r.engine(),
                exactOutput ? prompt.outputTokens() : -1);
    }

    /** Requests handed to the client whose records are not written yet. */
    private static final class InFlight {
        private int count;

        synchronized void add() {
            count++;
        }

        synchronized void remove() {
            if (--count == 0) notifyAll();
        }

        /** Waits until every request settled; each settles by its timeout at the latest, or at once on {@link #stop}. */
        synchronized void awaitNone() {
            while (count > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private record Request(List<Prompt> prompts, byte[][] bodies, long start, Consumer<RequestRecord> sink) {}
}
