package dev.headroom.engine;

import dev.headroom.workload.Prompt;
import dev.headroom.workload.TokenCounter;

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

    /**
     * Prompt lengths as the simulated server counts them in this format (named {@code simulator}), so a prediction or
     * a search sees the prompts a live simulated server would.
     */
    public TokenCounter counter(SimTokenizer tokenizer) {
        return new TokenCounter() {
            @Override
            public int count(String system, String user) {
                return tokenize(tokenizer, new Prompt(system, user, 0, 1)).length;
            }

            @Override
            public String name() {
                return "simulator";
            }
        };
    }
}
