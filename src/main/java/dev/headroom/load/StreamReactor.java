package dev.headroom.load;

import dev.headroom.metrics.RequestError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One selector thread that carries every request, plain or TLS: callers hand over an {@link Exchange} and wait on
 * its future, so a chunk costs no thread wake-up but the selector's, and one {@code epoll_wait} return serves every
 * socket that became readable together (vLLM emits a token for every running request per engine step). A blocking
 * thread per stream cost ~35-60 µs of CPU per chunk, mostly the kernel switching threads. The per-chunk work here (a
 * read, SSE framing, a byte scan of the JSON) is a few µs, so one reactor carries about 150,000 chunks/s; a
 * {@link StreamingClient} on a larger machine runs several, each with its own connections.
 *
 * <p>Connections live here: in flight, draining (the exchange settled at {@code [DONE]}, the response's end still to
 * come), or idle in a LIFO {@link IdlePool} watched for the server closing them. A request that finds no idle
 * connection waits for a draining one before opening another, as vLLM's client (aiohttp) reuses a connection once the
 * body ended. A connection is checked by a non-blocking read before it carries a request; none is reused before the
 * server is known to keep connections, and none is kept for a server seen closing them right after their responses.
 * An error that ends the selector thread fails every exchange it carried with the cause ({@code tool}).
 */
final class StreamReactor implements AutoCloseable {

    private static final long SWEEP_NANOS = 20_000_000L;
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final InetSocketAddress address;
    private final Function<SocketChannel, Wire> wires;
    private final boolean tls;
    private final long connectTimeoutNanos;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Exchange> inbox = new ConcurrentLinkedQueue<>();
    private final IdlePool pool;
    private final Set<NioConnection> inFlight = new HashSet<>();
    /** Draining connections and the exchange waiting for each (null when none waits). */
    private final Map<NioConnection, Exchange> draining = new HashMap<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final LongAdder connectionsOpened = new LongAdder();
    /** Exchanges submitted here and not yet settled: how loaded this reactor is, for spreading requests. */
    private final AtomicInteger assigned = new AtomicInteger();
    /**
     * Returns from the selector with at least one ready key, and the keys they handled: chunks per wake-up. Only
     * this reactor's thread writes them, with release stores (no fence on the selector loop); readers see them soon.
     */
    private final AtomicLong wakeUps = new AtomicLong();
    private final AtomicLong keysHandled = new AtomicLong();
    private volatile boolean aborted;
    private volatile boolean stopped;
    /** Why the selector thread died (an error inside headroom), or null while it runs or after a plain close. */
    private volatile Throwable failure;
    private long lastSweepNanos = System.nanoTime();

    /**
     * A reactor for {@code endpoint}; {@code wires} makes each connection's byte layer. Resolves the host once, now.
     * {@code trustKeepAlive} reuses connections from the first response instead of first learning whether the
     * endpoint keeps them ({@link IdlePool}).
     */
    StreamReactor(String name, Endpoint endpoint, Function<SocketChannel, Wire> wires, long connectTimeoutNanos,
                  boolean trustKeepAlive) {
        this.address = new InetSocketAddress(endpoint.host(), endpoint.port());
        this.wires = wires;
        this.tls = endpoint.tls();
        this.connectTimeoutNanos = connectTimeoutNanos;
        this.pool = new IdlePool(trustKeepAlive);
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /**
     * Starts {@code x}; it settles (ended, failed, timed out or cancelled) through its own future. Never throws. Once
     * the selector thread died, it fails at once with the cause ({@code tool}).
     */
    void submit(Exchange x) {
        if (aborted || stopped) {
            x.fail(endReason());
            return;
        }
        assigned.incrementAndGet();
        x.settled().whenComplete((outcome, error) -> assigned.decrementAndGet());
        inbox.add(x);
        selector.wakeup();
        if (stopped) failInbox(endReason());
    }

    /** Exchanges submitted and not yet settled. */
    int assigned() {
        return assigned.get();
    }

    /** The CPU time of this reactor's thread so far, in nanoseconds; -1 when the JVM cannot tell. */
    long cpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isThreadCpuTimeSupported() ? threads.getThreadCpuTime(thread.threadId()) : -1;
    }

    /** Selector returns with ready keys so far, and the keys they handled: {wake-ups, keys}. */
    long[] wakeUps() {
        return new long[] {wakeUps.getAcquire(), keysHandled.getAcquire()};
    }

    /** TCP connections this reactor began to open so far. */
    long connectionsOpened() {
        return connectionsOpened.sum();
    }

    /** Why the selector thread died, or null while it runs (or after {@link #close}). */
    Throwable failure() {
        return failure;
    }

    /** True once the server was seen closing connections after complete responses: none is reused since. */
    boolean serverClosesConnections() {
        return pool.serverCloses();
    }

    /** Cancels every exchange in flight and every later one (they settle as {@code cancelled}); safe from any thread. */
    void abortAll() {
        aborted = true;
        selector.wakeup();
    }

    @Override
    public void close() {
        aborted = true;
        stopped = true;
        selector.wakeup();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (!stopped) {
                boolean waiting = !inFlight.isEmpty() || !draining.isEmpty();
                int n = selector.select(onReady, waiting ? SWEEP_NANOS / 1_000_000L : 0);
                if (n > 0) {
                    wakeUps.setRelease(wakeUps.getPlain() + 1);
                    keysHandled.setRelease(keysHandled.getPlain() + n);
                }
                admit();
                if (aborted) abortInFlight(Failures.cancelled());
                sweep();
            }
        } catch (IOException | RuntimeException | Error e) {
            // The thread every stream here depends on is gone: its requests fail with the cause, as headroom's error.
            failure = e;
        } finally {
            stopped = true;
            aborted = true;
            RequestError why = endReason();
            abortInFlight(why);
            pool.closeAll();
            failInbox(why);
            try {
                selector.close();
            } catch (IOException ignored) {
                // Nothing left to release.
            }
        }
    }

    /** How exchanges end that the reactor can no longer carry: the selector thread's death, else a stop. */
    private RequestError endReason() {
        Throwable dead = failure;
        return dead == null ? Failures.cancelled() : Failures.tool(dead);
    }

    private void onReady(SelectionKey key) {
        NioConnection c = (NioConnection) key.attachment();
        NioConnection.Step step;
        // Inline, not through a lambda: this runs once per ready socket, the client's per-chunk path.
        try {
            step = c.onReady(readBuffer);
        } catch (RuntimeException e) {
            step = faulted(c, e);
        }
        act(c, step);
    }

    /**
     * A fault in one stream's handling: fails that stream as headroom's error ({@code tool}) and closes its
     * connection, not the thread every other stream depends on.
     */
    private static NioConnection.Step faulted(NioConnection c, RuntimeException e) {
        if (c.exchange() != null) c.exchange().fail(Failures.tool(e));
        return NioConnection.Step.CLOSE;
    }

    private void act(NioConnection c, NioConnection.Step step) {
        switch (step) {
            case CONTINUE -> { }
            case DRAIN -> {
                inFlight.remove(c);
                draining.putIfAbsent(c, null);
            }
            case RELEASE -> released(c);
            case CLOSE -> dropped(c, null);
            case RETRY -> {
                if (c.reused()) pool.closedByServer(c);
                dropped(c, c.exchange());
            }
            case SERVER_CLOSED -> {
                pool.closedByServer(c);
                dropped(c, null);
            }
        }
    }

    /**
     * {@code c}'s response ended: it carries the request waiting for it, or goes idle, when it is still open and the
     * endpoint is known to keep connections; while that is unknown it may go idle as the pool's witness.
     */
    private void released(NioConnection c) {
        inFlight.remove(c);
        Exchange waiter = draining.remove(c);
        if (aborted) {
            c.close();
            if (waiter != null) waiter.fail(Failures.cancelled());
        } else if (!pool.keep(c, readBuffer)) {
            if (waiter != null) dispatch(waiter);
        } else if (waiter != null && pool.keepsConnections()) {
            start(c, waiter);
        } else {
            pool.add(c);
            if (waiter != null) connect(waiter);
        }
    }

    /** Closes {@code c}; {@code again} (its exchange, when no byte of it was written) and any waiter go elsewhere. */
    private void dropped(NioConnection c, Exchange again) {
        inFlight.remove(c);
        pool.remove(c);
        Exchange waiter = draining.remove(c);
        c.close();
        if (again != null) connect(again);
        if (waiter != null) connect(waiter);
    }

    private void admit() {
        Exchange x;
        while ((x = inbox.poll()) != null) {
            if (aborted) {
                x.fail(Failures.cancelled());
                continue;
            }
            dispatch(x);
        }
    }

    /**
     * Starts {@code x} on an idle connection still open, else after a drain, else on a new connection; only an
     * endpoint known to keep connections has its connections reused.
     */
    private void dispatch(Exchange x) {
        NioConnection pooled = pool.take(readBuffer);
        if (pooled != null) {
            start(pooled, x);
        } else if (!pool.keepsConnections() || !waitForDrain(x)) {
            connect(x);
        }
    }

    /** Hands {@code x} to a draining connection no other request waits for and whose response did not say close. */
    private boolean waitForDrain(Exchange x) {
        for (Map.Entry<NioConnection, Exchange> e : draining.entrySet()) {
            if (e.getValue() == null && e.getKey().keepAlive()) {
                e.setValue(x);
                return true;
            }
        }
        return false;
    }

    private void start(NioConnection c, Exchange x) {
        inFlight.add(c);
        NioConnection.Step step;
        try {
            step = c.reuse(x);
        } catch (RuntimeException e) {
            step = faulted(c, e);
        }
        act(c, step);
    }

    private void connect(Exchange x) {
        if (aborted) {
            x.fail(Failures.cancelled());
            return;
        }
        NioConnection c;
        try {
            c = NioConnection.open(address, selector, wires, tls, x, System.nanoTime() + connectTimeoutNanos);
        } catch (IOException e) {
            x.fail(Failures.connect(String.valueOf(e.getMessage())));
            return;
        } catch (RuntimeException e) {
            x.fail(Failures.tool(e));
            return;
        } catch (Error e) {
            // x is in no connection yet, so the thread's end would not reach it: it fails here, and the thread dies.
            x.fail(Failures.tool(e));
            throw e;
        }
        connectionsOpened.increment();
        inFlight.add(c);
        NioConnection.Step step;
        try {
            step = c.start();
        } catch (RuntimeException e) {
            step = faulted(c, e);
        }
        act(c, step);
    }

    /** Every {@value #SWEEP_NANOS} ns at most: ends the exchanges whose phase deadline passed and overdue drains. */
    private void sweep() {
        long now = System.nanoTime();
        if (now - lastSweepNanos < SWEEP_NANOS) return;
        lastSweepNanos = now;
        List<NioConnection> expired = new ArrayList<>();
        for (NioConnection c : inFlight) {
            if (now - c.deadlineNanos() > 0) expired.add(c);
        }
        for (NioConnection c : draining.keySet()) {
            if (now - c.deadlineNanos() > 0) expired.add(c);
        }
        for (NioConnection c : expired) {
            Exchange x = c.exchange();
            if (x != null) x.fail(c.connecting() ? Failures.connect("timed out after " + connectTimeoutNanos / 1_000_000 + " ms") : Failures.timeout());
            dropped(c, null);
        }
    }

    /** Ends every exchange on a connection, in flight or waiting for a drain, with {@code why}, and closes them. */
    private void abortInFlight(RequestError why) {
        for (NioConnection c : inFlight) {
            if (c.exchange() != null) c.exchange().fail(why);
            c.close();
        }
        inFlight.clear();
        for (Map.Entry<NioConnection, Exchange> e : draining.entrySet()) {
            if (e.getValue() != null) e.getValue().fail(why);
            e.getKey().close();
        }
        draining.clear();
    }

    private void failInbox(RequestError why) {
        Exchange x;
        while ((x = inbox.poll()) != null) x.fail(why);
    }
}
