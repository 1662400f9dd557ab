package dev.headroom.workload;

import java.util.List;

/**
 * One conversation of a dataset file: an optional system message, the user messages in order, and the recorded
 * reply to each (null where the file has none).
 *
 * @param system       the system message, or null
 * @param users        user messages, at least one
 * @param replies      the recorded reply to each user message, or null entries
 * @param outputTokens the output length the file asks for ({@code output_tokens}), or 0 to count the replies
 */
record Dialogue(String system, List<String> users, List<String> replies, int outputTokens) {

    Dialogue {
        if (users.isEmpty()) throw new IllegalArgumentException("a dialogue needs a user message");
        if (replies.size() != users.size()) throw new IllegalArgumentException("a dialogue needs one reply slot per user message");
    }
}
