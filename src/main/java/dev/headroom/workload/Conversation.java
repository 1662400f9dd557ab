package dev.headroom.workload;

import java.util.List;

/**
 * One turn of a {@link Session}, ready to send: the whole history so far and the new user message.
 *
 * @param sessionId       the session it belongs to
 * @param turn            0 for the first turn
 * @param messages        system message (if any), earlier user messages with the server's real answers, then the
 *                        new user message
 * @param userTokens      the new user message's tokens as counted when the session was built (history excluded)
 * @param outputTokens    the output length to ask for
 * @param thinkTimeNanos  the pause to take after the previous answer before sending this turn (0 for turn 0)
 */
public record Conversation(String sessionId, int turn, List<Message> messages, int userTokens, int outputTokens,
                           long thinkTimeNanos) {

    public Conversation {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) throw new IllegalArgumentException("a conversation needs at least one message");
        if (outputTokens < 1) throw new IllegalArgumentException("output tokens must be at least 1, was " + outputTokens);
    }

    /**
     * The conversation as one prompt, for the completions API: each message's content after a
     * {@code role: } label, separated by blank lines, ending with {@code assistant:}.
     */
    public String completionText() {
        StringBuilder text = new StringBuilder();
        for (Message m : messages) text.append(m.role()).append(": ").append(m.content()).append("\n\n");
        return text.append("assistant:").toString();
    }
}
