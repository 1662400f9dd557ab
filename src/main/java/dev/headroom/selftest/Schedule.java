package dev.headroom.selftest;

import java.time.Duration;
import java.util.Objects;

/**
 * The exact token schedule a {@link ScheduleServer} follows: the first chunk {@code prefill} after the request
 * was read, then one chunk every {@code step}, each carrying {@code tokensPerChunk} tokens (the last may carry
 * fewer), until {@code max_tokens}. Every {@code faultEvery}-th request (1 = all) suffers {@code fault}.
 *
 * <p>By default each stream keeps its own clock (its chunks fall due {@code step} apart from its own arrival). A
 * {@linkplain #lockstep() lockstep} schedule instead emits like vLLM's engine: one global step clock, and at each
 * step every running stream that is due gets its chunk, all written in one pass (vllm/v1/engine/core.py: one
 * {@code step()} yields an output for every scheduled request).
 *
 * @param roleChunk chat only: send vLLM's role-only first delta together with the first token
 * @param usage     send the final usage chunk when the request asks for it ({@code stream_options.include_usage})
 * @param lockstep  emit on one global step clock, every due stream per step, as vLLM's engine does
 */
public record Schedule(Duration prefill, Duration step, int tokensPerChunk, boolean roleChunk, boolean usage, String model,
                       Fault fault, int faultEvery, boolean lockstep) {

    /** What goes wrong, and after how many token chunks for faults that strike mid-stream. */
    public record Fault(Kind kind, int status, int afterChunks) {
        public static final Fault NONE = new Fault(Kind.NONE, 0, 0);

        public Fault {
            Objects.requireNonNull(kind, "kind");
            if (afterChunks < 0) throw new IllegalArgumentException("afterChunks must be >= 0, was " + afterChunks);
        }
    }

    /** The failure modes a load client must survive. */
    public enum Kind {
        NONE,
        /** Answer with HTTP {@code status} and a vLLM error body. */
        STATUS,
        /** Close the connection without answering. */
        DROP,
        /** Send {@code data: {"error": …}} then {@code [DONE]}, as vLLM does for a mid-stream failure. */
        MID_STREAM_ERROR,
        /** Close the connection in the middle of the stream. */
        TRUNCATE,
        /** Send a {@code data:} message that is not JSON, then carry on. */
        GARBAGE,
        /** Stop sending and keep the connection open (the client's timeout must fire). */
        STALL
    }

    public Schedule {
        Objects.requireNonNull(prefill, "prefill");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(fault, "fault");
        if (prefill.isNegative() || !step.isPositive()) throw new IllegalArgumentException("prefill must be >= 0 and step > 0");
        if (tokensPerChunk < 1) throw new IllegalArgumentException("tokensPerChunk must be >= 1, was " + tokensPerChunk);
        if (faultEvery < 1) throw new IllegalArgumentException("faultEvery must be >= 1, was " + faultEvery);
    }

    /** A healthy schedule: one token per chunk, role chunk on chat, model {@code schedule-model}. */
    public static Schedule of(Duration prefill, Duration step) {
        return new Schedule(prefill, step, 1, true, true, "schedule-model", Fault.NONE, 1, false);
    }

    public Schedule withTokensPerChunk(int tokens) {
        return new Schedule(prefill, step, tokens, roleChunk, usage, model, fault, faultEvery, lockstep);
    }

    /** The same schedule with {@code fault} striking every {@code every}-th request (1 = all). */
    public Schedule withFault(Fault f, int every) {
        return new Schedule(prefill, step, tokensPerChunk, roleChunk, usage, model, f, every, lockstep);
    }

    /** The same schedule from a server that never reports usage, as some OpenAI-compatible servers do. */
    public Schedule withoutUsage() {
        return new Schedule(prefill, step, tokensPerChunk, roleChunk, false, model, fault, faultEvery, lockstep);
    }

    /** The same schedule on one global step clock shared by every stream, as vLLM's engine emits. */
    public Schedule withLockstepSteps() {
        return new Schedule(prefill, step, tokensPerChunk, roleChunk, usage, model, fault, faultEvery, true);
    }

    /**
     * When a stream ready for its first chunk at {@code readyNanos} gets it: then, or in lockstep at the first tick
     * of the global step clock (ticks at {@code clockStartNanos} + k × step) not before it. Nanoseconds.
     */
    long firstDueNanos(long readyNanos, long clockStartNanos) {
        if (!lockstep) return readyNanos;
        long stepNanos = step.toNanos();
        long sinceStart = Math.max(0, readyNanos - clockStartNanos);
        return clockStartNanos + (sinceStart + stepNanos - 1) / stepNanos * stepNanos;
    }

    /** True when the request with this 0-based arrival index suffers the fault. */
    boolean faulted(long index) {
        return fault.kind() != Kind.NONE && index % faultEvery == faultEvery - 1;
    }
}
