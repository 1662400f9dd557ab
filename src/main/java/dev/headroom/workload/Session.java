package dev.headroom.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * A multi-turn chat session: turn {@code k} sends the system message, every earlier user message each followed by
 * the server's real answer to it, and user message {@code k}. History grows turn by turn, so a prefix cache can
 * reuse all of it. One session is driven by one caller at a time (not thread-safe); sessions interleave freely.
 */
public final class Session {

    private final String id;
    private final SessionScript script;
    private final long thinkTimeNanos;
    private final List<Message> history = new ArrayList<>();
    private int nextTurn;

    /** A session that pauses {@code thinkTimeNanos} between an answer and the next turn. */
    public Session(String id, SessionScript script, long thinkTimeNanos) {
        if (thinkTimeNanos < 0) throw new IllegalArgumentException("--think-time must be >= 0, was " + thinkTimeNanos + " ns");
        this.id = id;
        this.script = script;
        this.thinkTimeNanos = thinkTimeNanos;
        if (script.system() != null) history.add(Message.system(script.system()));
    }

    public String id() {
        return id;
    }

    /** Turns in the session. */
    public int turns() {
        return script.turns();
    }

    /** True while turns remain. */
    public boolean hasNext() {
        return nextTurn < script.turns();
    }

    /**
     * The next turn. {@code previousAnswer} is the server's answer to the last turn: null for the first turn, the
     * streamed text after that (an empty string when the answer failed or said nothing).
     *
     * @throws IllegalStateException when no turn remains, or the previous answer is missing or unexpected
     */
    public Conversation next(String previousAnswer) {
        if (!hasNext()) throw new IllegalStateException("session " + id + " has no turn after its " + script.turns() + " turns");
        if (nextTurn == 0 && previousAnswer != null) {
            throw new IllegalStateException("session " + id + ": the first turn has no previous answer");
        }
        if (nextTurn > 0) {
            if (previousAnswer == null) throw new IllegalStateException("session " + id + ": turn " + nextTurn + " needs the answer to turn " + (nextTurn - 1));
            history.add(Message.assistant(previousAnswer));
        }
        int turn = nextTurn++;
        history.add(Message.user(script.userTurns().get(turn)));
        return new Conversation(id, turn, history, script.userTokens().get(turn), script.outputTokens().get(turn),
                turn == 0 ? 0 : thinkTimeNanos);
    }
}
