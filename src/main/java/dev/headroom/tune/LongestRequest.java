package dev.headroom.tune;

import dev.headroom.engine.PromptFormat;
import dev.headroom.engine.SimTokenizer;
import dev.headroom.load.Api;
import dev.headroom.pipeline.LoadPoint;
import dev.headroom.spec.ModelSpec;
import dev.headroom.workload.Prompt;
import dev.headroom.workload.TokenCounter;

/** The longest request of a tune's workload, prompt and output, in the simulator's tokens: max_model_len's floor. */
public final class LongestRequest {

    private LongestRequest() {}

    /** Tokens of the longest request {@code base} sends (its prompts as the simulated server counts them). */
    public static int tokens(LoadPoint base, ModelSpec model) {
        PromptFormat format = base.api() == Api.CHAT ? PromptFormat.CHAT : PromptFormat.COMPLETIONS;
        TokenCounter counter = format.counter(new SimTokenizer(model.vocabSize()));
        int longest = 0;
        for (Prompt p : base.parsedWorkload().prompts(base.promptCount(), base.seed(), counter)) {
            longest = Math.max(longest, p.inputTokens() + p.outputTokens());
        }
        return longest;
    }
}
