package dev.headroom.workload;

import java.util.Objects;

/**
 * One request's content.
 *
 * @param system       the system message (chat API), or null; sent before {@code user}
 * @param user         the user message (chat) or the whole prompt (completions: {@code system + user})
 * @param inputTokens  the prompt's length in tokens as counted when it was built
 * @param outputTokens the output length to ask for ({@code max_tokens}, with {@code min_tokens} and
 *                     {@code ignore_eos} when exact lengths are wanted)
 */
public record Prompt(String system, String user, int inputTokens, int outputTokens) {

    public Prompt {
        Objects.requireNonNull(user, "user");
        if (inputTokens < 0) throw new IllegalArgumentException("inputTokens must be >= 0, was " + inputTokens);
        if (outputTokens < 1) throw new IllegalArgumentException("output tokens must be at least 1, was " + outputTokens);
    }

    /** The prompt as one text, for the completions API: system text, a blank line, then the user text. */
    public String completionText() {
        return system == null ? user : system + "\n\n" + user;
    }
}
