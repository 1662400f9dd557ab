package dev.headroom.server;

/**
 * The tokenizer the server counts prompts with and detokenizes outputs with: the shape of
 * {@code engine.SimTokenizer}, kept as an interface so the server does not care which implementation runs.
 */
public interface Tokenizer {

    /** The token ids of {@code text}; deterministic, never null. */
    int[] encode(String text);

    /** The text of one token id (generated tokens are decoded one at a time). */
    String decode(int tokenId);
}
