package dev.headroom.server;

import java.util.List;

/**
 * The tokenizer the server counts prompts with and detokenizes outputs with: the shape of
 * {@code engine.SimTokenizer}, kept as an interface so the server does not care which implementation runs.
 */
public interface Tokenizer {

    /** The token ids of {@code text}; deterministic, never null. */
    int[] encode(String text);

    /** The text of one token id (generated tokens are decoded one at a time). */
    String decode(int tokenId);

    /**
     * A chat prompt's token ids: the model's chat template applied to {@code messages}. By default the ChatML
     * text of {@link ChatTemplate#render} encoded as plain text; tokenizers with single-token markers override.
     */
    default int[] encodeChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return encode(ChatTemplate.render(messages, addGenerationPrompt));
    }
}
