package dev.headroom.workload;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/** What to send: a closed set of workloads, each turning a count and a seed into prompts with token targets. */
public sealed interface Workload permits ChatWorkload, SummarizeWorkload, RandomWorkload, DatasetWorkload {

    /** The workload as {@code --workload} names it. */
    String name();

    /** {@code count} prompts, reproducible for a seed; token counts as {@code counter} counts them. */
    List<Prompt> prompts(int count, long seed, TokenCounter counter);

    /**
     * This workload with shared system prompts ({@code --shared-prefix-tokens}, {@code --prefix-hit-target});
     * chat and random take one.
     */
    default Workload withPrefix(PrefixPlan plan) {
        throw new IllegalArgumentException("--shared-prefix-tokens and --prefix-hit-target work with --workload chat or "
                + "random, not " + name());
    }

    /**
     * The prefix-cache hit rate {@code count} prompts of this workload should reach (cached prompt tokens over
     * prompt tokens, vLLM's {@code prefix_cache_hits / prefix_cache_queries}); empty when it plans none.
     */
    default OptionalDouble expectedPrefixHitRate(int count) {
        return OptionalDouble.empty();
    }

    /**
     * {@code count} multi-turn sessions ({@code --turns}, {@code --think-time}), reproducible for a seed; each
     * user message's tokens as {@code counter} counts the message alone. Chat and dataset workloads have them.
     *
     * @param turns          turns per session; null lets a dataset keep each conversation's own turns
     * @param thinkTimeNanos the pause between an answer and the next turn
     */
    default List<Session> sessions(int count, long seed, TokenCounter counter, Turns turns, long thinkTimeNanos) {
        throw new IllegalArgumentException("--turns works with --workload chat or dataset:PATH, not " + name());
    }

    /**
     * Parses {@code --workload chat|summarize|random|dataset:PATH}; {@code input} and {@code output} are the
     * requested lengths, or null for each workload's defaults (chat: {@link ChatWorkload#DEFAULT_INPUT} and
     * {@link ChatWorkload#DEFAULT_OUTPUT}; summarize: {@link SummarizeWorkload#DEFAULT_OUTPUT}; random: 1024 and 128
     * fixed, as vLLM's random dataset).
     */
    static Workload parse(String spec, Lengths input, Lengths output) {
        String s = spec.trim();
        if (s.startsWith("dataset:")) {
            String path = s.substring("dataset:".length());
            if (path.isBlank()) throw new IllegalArgumentException("--workload dataset:PATH needs a file path, e.g. dataset:sharegpt.json");
            return new DatasetWorkload(Path.of(path), output);
        }
        return switch (s) {
            case "chat" -> new ChatWorkload(input != null ? input : ChatWorkload.DEFAULT_INPUT,
                    output != null ? output : ChatWorkload.DEFAULT_OUTPUT);
            case "summarize" -> new SummarizeWorkload(output != null ? output : SummarizeWorkload.DEFAULT_OUTPUT);
            case "random" -> new RandomWorkload(orDefault(input, 1024), orDefault(output, 128));
            default -> throw new IllegalArgumentException(
                    "--workload '" + spec + "' is not known; use chat, summarize, random or dataset:PATH");
        };
    }

    private static Lengths orDefault(Lengths lengths, int tokens) {
        return lengths != null ? lengths : Lengths.fixed(tokens);
    }
}
