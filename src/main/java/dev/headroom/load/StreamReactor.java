package dev.headroom.load;

import dev.headroom.metrics.RequestError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * One selector thread that reads every in-flight plain-HTTP stream: callers hand over an {@link Exchange} and park
 * until it finishes, so a chunk costs no thread wake-up but the selector's, and one {@code epoll_wait} return serves
 * every socket that became readable together (vLLM emits a token for every running request per engine step).
 * A blocking thread per stream cost ~35-60 µs of CPU per chunk, mostly the kernel switching threads.
 * One thread is enough: the per-chunk work (a read, SSE framing, a byte scan of the JSON) is a few µs, and on a 2-core
 * machine a second selector would compete with the server under test. Keep-alive connections are pooled here
 * (LIFO) and watched while idle, so a connection the server closed is dropped before it is reused.
 */
final class StreamReactor implements AutoCloseable {

    private static final long SWEEP_NANOS = 20_000_000L;
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final InetSocketAddress address;
    private final long connectTimeoutNanos;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Exchange> inbox = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<NioConnection> idle = new ArrayDeque<>();
    private final Set<NioConnection> inFlight = new HashSet<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private final Consumer<SelectionKey> onReady = this::onReady;
    private volatile boolean aborted;
    private volatile boolean stopped;
    private long lastSweepNanos = System.nanoTime();

    /** A reactor for {@code endpoint} (plain HTTP); resolves the host once, now. */
    StreamReactor(Endpoint endpoint, long connectTimeoutNanos) {
        this.address = new InetSocketAddress(endpoint.host(), endpoint.port());
        this.connectTimeoutNanos = connectTimeoutNanos;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.thread = Thread.ofPlatform().name("headroom-streams").daemon().start(this::run);
    }

    /** Sends {@code x} and blocks until its stream ended, failed, timed out or was cancelled; never throws. */
    StreamResult stream(Exchange x) {
        if (aborted || stopped) return x.state.result(x.sentNanos, cancelled());
        inbox.add(x);
        selector.wakeup();
        if (stopped) failInbox();
        return x.await();
    }

    /** Cancels every stream in flight and every later one (their results say {@code cancelled}); safe from any thread. */
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
                selector.select(onReady, inFlight.isEmpty() ? 0 : SWEEP_NANOS / 1_000_000L);
                admit();
                if (aborted) abortInFlight();
                sweep();
            }
        } catch (IOException | RuntimeException e) {
            stopped = true;
        } finally {
            stopped = true;
            aborted = true;
            abortInFlight();
            idle.forEach(NioConnection::close);
            idle.clear();
            failInbox();
            try {
                selector.close();
            } catch (IOException ignored) {
                // Nothing left to release.
            }
        }
    }

    private void onReady(SelectionKey key) {
        NioConnection c = (NioConnection) key.attachment();
        Exchange x = c.exchange();
        NioConnection.Step step;
        try {
            step = c.onReady(readBuffer);
        } catch (RuntimeException e) {
            // A fault in one stream's handling fails that stream, not the thread every other stream depends on.
            c.fail(new RequestError(RequestError.Kind.TRUNCATED, 0, "client error: " + e));
            step = NioConnection.Step.CLOSE;
        }
        if (x == null) {
            idle.remove(c);
            c.close();
            return;
        }
        act(c, x, step);
    }

    private void act(NioConnection c, Exchange x, NioConnection.Step step) {
        switch (step) {
            case CONTINUE -> { }
            case RELEASE -> {
                inFlight.remove(c);
                if (aborted) {
                    c.close();
                } else {
                    c.idle();
                    idle.addFirst(c);
                }
            }
            case CLOSE -> {
                inFlight.remove(c);
                c.close();
            }
            case RETRY -> {
                // The server had closed this idle keep-alive connection: nothing reached it, send once more on a fresh one.
                inFlight.remove(c);
                c.close();
                x.request.rewind();
                connect(x);
            }
        }
    }

    private void admit() {
        Exchange x;
        while ((x = inbox.poll()) != null) {
            if (aborted) {
                x.finish(x.state.result(x.sentNanos, cancelled()));
                continue;
            }
            NioConnection pooled = idle.pollFirst();
            if (pooled == null) {
                connect(x);
            } else {
                inFlight.add(pooled);
                act(pooled, x, pooled.reuse(x));
            }
        }
    }

    private void connect(Exchange x) {
        try {
            inFlight.add(NioConnection.open(address, selector, x, System.nanoTime() + connectTimeoutNanos));
        } catch (IOException e) {
            x.finish(x.state.result(x.sentNanos, new RequestError(RequestError.Kind.CONNECT, 0, String.valueOf(e.getMessage()))));
        }
    }

    /** Every {@value #SWEEP_NANOS} ns at most, ends the exchanges whose phase deadline passed. */
    private void sweep() {
        long now = System.nanoTime();
        if (now - lastSweepNanos < SWEEP_NANOS) return;
        lastSweepNanos = now;
        List<NioConnection> expired = new ArrayList<>();
        for (NioConnection c : inFlight) {
            if (now - c.exchange().phaseDeadlineNanos > 0) expired.add(c);
        }
        for (NioConnection c : expired) {
            inFlight.remove(c);
            c.fail(new RequestError(RequestError.Kind.TIMEOUT, 0, "no response within --request-timeout"));
            c.close();
        }
    }

    private void abortInFlight() {
        for (NioConnection c : inFlight) {
            c.fail(cancelled());
            c.close();
        }
        inFlight.clear();
    }

    private void failInbox() {
        Exchange x;
        while ((x = inbox.poll()) != null) x.finish(x.state.result(x.sentNanos, cancelled()));
    }

    private static RequestError cancelled() {
        return new RequestError(RequestError.Kind.CANCELLED, 0, "run stopped while the request was in flight");
    }
}
