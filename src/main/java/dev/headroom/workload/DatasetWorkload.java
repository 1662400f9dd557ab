package dev.headroom.workload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Prompts from a file ({@link DatasetReader}): ShareGPT JSON, or JSONL lines {@code {"prompt": …}} or
 * {@code {"messages": […]}}, each with an optional {@code "output_tokens": N}. Single-turn, the first user message
 * is the prompt and the reply's token count its output length, filtered as vLLM's ShareGPT loader does; as
 * sessions ({@code --include-multi-turn}), every user message is a turn. {@code output}, when given, overrides
 * every output length.
 */
public record DatasetWorkload(Path path, Lengths output) implements Workload {

    /** JSONL entries without {@code output_tokens} ask for this many, like vLLM's custom dataset default. */
    static final int DEFAULT_OUTPUT_TOKENS = 256;

    @Override
    public String name() {
        return "dataset:" + path;
    }

    @Override
    public List<Prompt> prompts(int count, long seed, TokenCounter counter) {
        List<Dialogue> dialogues = shuffled(seed);
        List<Prompt> prompts = new ArrayList<>(count);
        SplittableRandom lengths = new SplittableRandom(seed + 1);
        for (int i = 0; prompts.size() < count && i < dialogues.size() * 2 + count; i++) {
            Prompt p = toPrompt(dialogues.get(i % dialogues.size()), counter, lengths);
            if (p != null) prompts.add(p);
        }
        if (prompts.isEmpty()) throw new IllegalArgumentException("--workload dataset:" + path + " has no usable entries");
        return prompts;
    }

    /**
     * One session per conversation (cycling through the shuffled file when {@code count} is larger): its user
     * messages in order, at most {@code turns.max()} of them when {@code turns} is given.
     */
    @Override
    public List<Session> sessions(int count, long seed, TokenCounter counter, Turns turns, long thinkTimeNanos) {
        List<Dialogue> dialogues = shuffled(seed);
        TokenCounter alone = TracePrompts.raw(counter);
        return PromptBuilder.build(count, i -> {
            Dialogue d = dialogues.get(i % dialogues.size());
            SplittableRandom random = new SplittableRandom(PromptBuilder.seed(seed, i));
            int n = turns == null ? d.users().size() : Math.min(d.users().size(), turns.sample(random));
            List<Integer> userTokens = new ArrayList<>(n);
            List<Integer> outputs = new ArrayList<>(n);
            for (int t = 0; t < n; t++) {
                userTokens.add(alone.count(null, d.users().get(t)));
                outputs.add(outputTokens(d, t, counter, random));
            }
            return new Session("session-" + i, new SessionScript(d.system(), d.users().subList(0, n), userTokens, outputs),
                    thinkTimeNanos);
        });
    }

    private List<Dialogue> shuffled(long seed) {
        List<Dialogue> dialogues = new ArrayList<>(DatasetReader.read(path));
        SplittableRandom shuffle = new SplittableRandom(seed);
        for (int i = dialogues.size() - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            Dialogue d = dialogues.get(i);
            dialogues.set(i, dialogues.get(j));
            dialogues.set(j, d);
        }
        return dialogues;
    }

    private int outputTokens(Dialogue d, int turn, TokenCounter counter, SplittableRandom random) {
        if (output != null) return output.sample(random);
        String reply = d.replies().get(turn);
        if (d.outputTokens() > 0 || reply == null) return d.outputTokens() > 0 ? d.outputTokens() : DEFAULT_OUTPUT_TOKENS;
        return Math.max(1, counter.count(null, reply));
    }

    private Prompt toPrompt(Dialogue d, TokenCounter counter, SplittableRandom lengths) {
        String user = d.users().getFirst();
        int promptTokens = counter.count(d.system(), user);
        if (output != null) return new Prompt(d.system(), user, promptTokens, output.sample(lengths));
        String completion = d.replies().getFirst();
        if (d.outputTokens() > 0) return new Prompt(d.system(), user, promptTokens, d.outputTokens());
        if (completion == null) return null;
        int outputTokens = counter.count(null, completion);
        // vllm/benchmarks/datasets.py is_valid_sequence: min_len 4, max_prompt_len 1024, max_total_len 2048.
        if (promptTokens < 4 || outputTokens < 4 || promptTokens > 1024 || promptTokens + outputTokens > 2048) return null;
        return new Prompt(d.system(), user, promptTokens, outputTokens);
    }
}
