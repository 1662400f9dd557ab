package dev.headroom.engine;

import java.util.ArrayDeque;

/**
 * What the live engine's steps produced, held until the API server in front of it ({@link FrontEndQueue}) has
 * streamed it: each output token and each finish falls due at the time the queue gave it, and they are handed to
 * the requests' sinks in that order, on the engine's thread. Due times never decrease (the API server works first
 * come, first served), so the outbox is a FIFO. Clock: {@link System#nanoTime()}.
 */
final class LiveOutbox {

    /** {@link #nextDueNanos()} when nothing is held. */
    static final long NOTHING_HELD = Long.MAX_VALUE;

    private sealed interface Held permits Token, Finish {
        long dueNanos();
    }

    private record Token(TokenSink sink, int tokenId, long stepEndNanos, long dueNanos) implements Held {}

    private record Finish(TokenSink sink, FinishedRequest finished, long dueNanos) implements Held {}

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private long lastDueNanos = Long.MIN_VALUE;

    /** Holds a token of the step that ended at {@code stepEndNanos} until {@code dueNanos}. */
    void token(TokenSink sink, int tokenId, long stepEndNanos, long dueNanos) {
        held.addLast(new Token(sink, tokenId, stepEndNanos, due(dueNanos)));
    }

    /** Holds a finish until {@code dueNanos}, and never before the tokens held ahead of it. */
    void finish(TokenSink sink, FinishedRequest finished, long dueNanos) {
        held.addLast(new Finish(sink, finished, due(dueNanos)));
    }

    private long due(long dueNanos) {
        lastDueNanos = Math.max(lastDueNanos, dueNanos);
        return lastDueNanos;
    }

    /** When the next held event falls due, or {@link #NOTHING_HELD}. */
    long nextDueNanos() {
        Held next = held.peekFirst();
        return next == null ? NOTHING_HELD : next.dueNanos();
    }

    /** Hands out every event due at {@code nowNanos}. */
    void release(long nowNanos) {
        while (!held.isEmpty() && held.peekFirst().dueNanos() - nowNanos <= 0) deliver(held.pollFirst());
    }

    /** Hands out everything held, due or not (the engine is closing). */
    void releaseAll() {
        while (!held.isEmpty()) deliver(held.pollFirst());
    }

    private static void deliver(Held event) {
        switch (event) {
            case Token t -> {
                try {
                    t.sink().onTokens(new int[] {t.tokenId()}, t.stepEndNanos());
                } catch (RuntimeException ignored) {
                    // as in finish(): a broken sink only affects its own request
                }
            }
            case Finish f -> finish(f.sink(), f.finished());
        }
    }

    // A sink that throws must not stop the engine: its request simply loses its remaining events.
    static void finish(TokenSink sink, FinishedRequest f) {
        try {
            sink.onFinished(f);
        } catch (RuntimeException ignored) {
            // the sink's owner has gone; nothing else depends on this delivery
        }
    }
}
