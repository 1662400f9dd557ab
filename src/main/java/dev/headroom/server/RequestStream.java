package dev.headroom.server;

import dev.headroom.engine.FinishedRequest;
import dev.headroom.engine.TokenSink;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * One request's hand-off from the engine thread to the thread answering its HTTP exchange. The engine side
 * ({@link #onTokens}, {@link #onFinished}) only enqueues and unparks; the reader drains everything that has
 * arrived into a {@link Batch}, so a slow reader merges steps as vLLM's output collector does.
 */
final class RequestStream implements TokenSink {

    /** Tokens from one engine step. */
    private record Step(int[] tokenIds, long nowNanos) {}

    private final ConcurrentLinkedQueue<Object> events = new ConcurrentLinkedQueue<>();
    private final Thread reader;
    private final VllmMetrics metrics;
    private long lastTokenNanos = Long.MIN_VALUE;

    RequestStream(Thread reader, VllmMetrics metrics) {
        this.reader = reader;
        this.metrics = metrics;
    }

    @Override
    public void onTokens(int[] tokenIds, long nowNanos) {
        if (lastTokenNanos != Long.MIN_VALUE) metrics.observeTokenGap(nowNanos - lastTokenNanos);
        lastTokenNanos = nowNanos;
        events.add(new Step(tokenIds, nowNanos));
        LockSupport.unpark(reader);
    }

    @Override
    public void onFinished(FinishedRequest finished) {
        metrics.observeFinished(finished);
        events.add(finished);
        LockSupport.unpark(reader);
    }

    /**
     * Waits for events and drains all that arrived into {@code into} (cleared first). Untimed: the engine
     * contract guarantees every request one {@code onFinished}, also when the engine closes. Only the reader
     * thread may call this.
     */
    void next(Batch into) {
        into.clear();
        Object event;
        while ((event = events.poll()) == null) LockSupport.park(this);
        do {
            if (event instanceof Step step) {
                into.add(step.tokenIds(), step.nowNanos());
            } else {
                into.finished = (FinishedRequest) event;
            }
        } while ((event = events.poll()) != null);
    }

    /** What one drain found: new tokens (possibly from several steps) and perhaps the finish. */
    static final class Batch {
        int[] tokenIds = new int[16];
        int tokenCount;
        /** Engine time of the earliest step in the batch, or Long.MIN_VALUE when there are no tokens. */
        long firstStepNanos = Long.MIN_VALUE;
        FinishedRequest finished;

        void clear() {
            tokenCount = 0;
            firstStepNanos = Long.MIN_VALUE;
            finished = null;
        }

        private void add(int[] ids, long nowNanos) {
            if (firstStepNanos == Long.MIN_VALUE) firstStepNanos = nowNanos;
            if (tokenCount + ids.length > tokenIds.length) {
                tokenIds = java.util.Arrays.copyOf(tokenIds, Math.max(tokenIds.length * 2, tokenCount + ids.length));
            }
            System.arraycopy(ids, 0, tokenIds, tokenCount, ids.length);
            tokenCount += ids.length;
        }
    }
}
