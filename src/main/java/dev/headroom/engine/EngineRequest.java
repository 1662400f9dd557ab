package dev.headroom.engine;

import java.util.Objects;

/**
 * A request as the engine sees it (vLLM's {@code EngineCoreRequest}, reduced to what scheduling needs).
 *
 * @param requestId      unique among live requests
 * @param promptTokenIds the prompt's token ids (prefix caching hashes them block by block)
 * @param maxTokens      stop after this many output tokens
 * @param minTokens      never stop at EOS before this many output tokens
 * @param ignoreEos      when true, only {@code maxTokens} stops the request
 */
public record EngineRequest(String requestId, int[] promptTokenIds, int maxTokens, int minTokens, boolean ignoreEos) {

    public EngineRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(promptTokenIds, "promptTokenIds");
        if (promptTokenIds.length == 0) throw new IllegalArgumentException("a prompt needs at least one token");
        if (maxTokens < 1) throw new IllegalArgumentException("max_tokens must be at least 1, was " + maxTokens);
        if (minTokens < 0 || minTokens > maxTokens) {
            throw new IllegalArgumentException("min_tokens must be between 0 and max_tokens, was " + minTokens);
        }
    }
}
