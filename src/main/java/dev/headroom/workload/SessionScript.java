package dev.headroom.workload;

import java.util.List;

/**
 * What a multi-turn session will say, fixed before it runs: an optional system message, the user messages of
 * each turn and the output length to ask for at each turn. The assistant's answers are the server's, at run time.
 *
 * @param system       the system message, or null
 * @param userTurns    one user message per turn, at least one
 * @param userTokens   each user message's tokens as counted when built
 * @param outputTokens each turn's output length
 */
public record SessionScript(String system, List<String> userTurns, List<Integer> userTokens, List<Integer> outputTokens) {

    public SessionScript {
        userTurns = List.copyOf(userTurns);
        userTokens = List.copyOf(userTokens);
        outputTokens = List.copyOf(outputTokens);
        if (userTurns.isEmpty()) throw new IllegalArgumentException("a session needs at least one turn");
        if (userTokens.size() != userTurns.size() || outputTokens.size() != userTurns.size()) {
            throw new IllegalArgumentException("a session needs one token count and one output length per turn");
        }
    }

    public int turns() {
        return userTurns.size();
    }
}
