package dev.headroom.workload;

import java.util.List;
import java.util.OptionalDouble;

/**
 * vLLM's {@code random} dataset in text: every prompt distinct, its length drawn from {@code input} and hit with
 * the target's tokenizer; vLLM builds prompts from random token ids, which a client of an unknown model cannot.
 * With a {@link PrefixPlan}, each prompt starts with its group's shared prefix (as vLLM's
 * {@code --random-prefix-len}, but shared within groups).
 *
 * @param prefix the shared-prefix plan, or null for none
 */
public record RandomWorkload(Lengths input, Lengths output, PrefixPlan prefix) implements Workload {

    public RandomWorkload(Lengths input, Lengths output) {
        this(input, output, null);
    }

    @Override
    public RandomWorkload withPrefix(PrefixPlan plan) {
        return new RandomWorkload(input, output, plan);
    }

    @Override
    public OptionalDouble expectedPrefixHitRate(int count) {
        return PromptBuilder.expectedHitRate(prefix, count, input);
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public List<Prompt> prompts(int count, long seed, TokenCounter counter) {
        return PromptBuilder.fitted(count, seed, counter, input, output,
                PromptBuilder.systems(prefix, null, count, seed, input, counter), random -> "");
    }
}
