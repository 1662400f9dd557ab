package dev.headroom.engine;

import dev.headroom.workload.Prompt;

/** How a workload prompt becomes prompt tokens: the API it is sent through. */
public enum PromptFormat {
    /** {@code /v1/chat/completions}: system and user messages in the model's chat template. */
    CHAT {
        @Override
        public int[] tokenize(SimTokenizer tokenizer, Prompt prompt) {
            return tokenizer.encodeChat(prompt.system(), prompt.user());
        }
    },
    /** {@code /v1/completions}: the prompt text as is. */
    COMPLETIONS {
        @Override
        public int[] tokenize(SimTokenizer tokenizer, Prompt prompt) {
            return tokenizer.encode(prompt.completionText());
        }
    };

    /** The prompt's token ids as the simulated server would count them. */
    public abstract int[] tokenize(SimTokenizer tokenizer, Prompt prompt);
}
