package dev.headroom.workload;

import java.util.List;
import java.util.SplittableRandom;

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
        return PromptBuilder.build(count, i -> {
            SplittableRandom random = new SplittableRandom(PromptBuilder.seed(seed, i));
            int inputTokens = input.sample(random);
            int outputTokens = output.sample(random);
            TextFitter.Fitted text = TextFitter.fit(null, "", inputTokens, random, counter);
            return new Prompt(null, text.user(), text.tokens(), outputTokens);
        });
    }
}
