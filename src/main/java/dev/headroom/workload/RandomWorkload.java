package dev.headroom.workload;

import java.util.List;

/**
 * vLLM's {@code random} dataset in text: every prompt distinct, its length drawn from {@code input} and hit with
 * the target's tokenizer; vLLM builds prompts from random token ids, which a client of an unknown model cannot.
 */
public record RandomWorkload(Lengths input, Lengths output) implements Workload {

    @Override
    public String name() {
        return "random";
    }

    @Override
    public List<Prompt> prompts(int count, long seed, TokenCounter counter) {
        return PromptBuilder.fitted(count, seed, counter, input, output, null, random -> "");
    }
}
