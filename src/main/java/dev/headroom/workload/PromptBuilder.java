package dev.headroom.workload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Builds prompts in parallel (a server tokenizer answers over HTTP), keeping their order. Platform threads on
 * purpose: a socket first used on a virtual thread stays non-blocking in the JDK, and pooled connections opened
 * here carry on to the timed streams, where that costs a failed read and a poll() per chunk.
 */
final class PromptBuilder {

    private static final int PARALLELISM = 16;

    private PromptBuilder() {}

    /** {@code build.apply(i)} for i in [0, count), at most {@value #PARALLELISM} at a time, in index order. */
    static <T> List<T> build(int count, IntFunction<T> build) {
        Object[] built = new Object[count];
        try (ExecutorService executor = Executors.newFixedThreadPool(Math.min(PARALLELISM, Math.max(1, count)),
                Thread.ofPlatform().name("headroom-prompts-", 0).daemon().factory())) {
            List<Future<?>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(executor.submit(() -> {
                    built[index] = build.apply(index);
                }));
            }
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building prompts", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
        @SuppressWarnings("unchecked")
        List<T> list = (List<T>) Arrays.asList(built);
        return list;
    }

    /**
     * Prompts of sampled lengths whose user text is {@code lead} (drawn per prompt) followed by filler fitted to
     * the sampled input length, after the system message {@code systemOf(i)} (null for none).
     */
    static List<Prompt> fitted(int count, long seed, TokenCounter counter, Lengths input, Lengths output,
                               IntFunction<String> systemOf, Function<SplittableRandom, String> lead) {
        return build(count, i -> {
            SplittableRandom random = new SplittableRandom(seed(seed, i));
            String system = systemOf.apply(i);
            int inputTokens = input.sample(random);
            int outputTokens = output.sample(random);
            TextFitter.Fitted user = TextFitter.fit(system, lead.apply(random), inputTokens, random, counter);
            return new Prompt(system, user.user(), user.tokens(), outputTokens);
        });
    }

    /**
     * The system message of each prompt: {@code fixed} without a plan; with one, the prefix of the prompt's group
     * (the plan resolved for these {@code count} prompts, each group's prefix fitted once).
     */
    static IntFunction<String> systems(PrefixPlan plan, String fixed, int count, long seed, Lengths input,
                                       TokenCounter counter) {
        if (plan == null) return i -> fixed;
        return systems(plan.resolve(count, input.mean(), input.least()), count, seed, counter);
    }

    /**
     * The system message of each session: the prefix of its group, ahead of every turn's history, so a given length
     * never competes with the user messages; a hit target cannot be planned, as history reuse adds to it.
     */
    static IntFunction<String> sessionSystems(PrefixPlan plan, String fixed, int count, long seed, TokenCounter counter) {
        if (plan == null) return i -> fixed;
        if (plan.hasTarget()) {
            throw new IllegalArgumentException("--prefix-hit-target plans single-turn prompts; with --turns give "
                    + "--shared-prefix-tokens (each session's history adds its own reuse)");
        }
        return systems(plan.resolve(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE), count, seed, counter);
    }

    private static IntFunction<String> systems(PrefixPlan resolved, int count, long seed, TokenCounter counter) {
        String[] prefixes = new String[Math.min(count, resolved.groups())];
        for (int g = 0; g < prefixes.length; g++) prefixes[g] = resolved.prefix(g, seed, counter);
        return i -> prefixes[resolved.groupOf(i)];
    }

    /** The hit rate {@code count} prompts of {@code input} lengths should reach under {@code plan}; empty without one. */
    static OptionalDouble expectedHitRate(PrefixPlan plan, int count, Lengths input) {
        if (plan == null) return OptionalDouble.empty();
        return OptionalDouble.of(plan.resolve(count, input.mean(), input.least()).expectedHitRate(count, input.mean()));
    }

    /** A per-prompt seed so prompt i is the same whatever the count or the build order. */
    static long seed(long runSeed, int index) {
        return runSeed * 0x9E3779B97F4A7C15L + index;
    }
}
