package dev.headroom.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.OptionalDouble;

/**
 * A chat assistant's traffic: one shared system prompt (which a prefix cache can reuse) and varied user
 * questions, padded with context so each prompt's total tokens hit the {@code input} target. With a
 * {@link PrefixPlan}, the system prompts are the plan's group prefixes instead.
 *
 * @param prefix the shared-prefix plan, or null for the one short system prompt
 */
public record ChatWorkload(Lengths input, Lengths output, PrefixPlan prefix) implements Workload {

    public ChatWorkload(Lengths input, Lengths output) {
        this(input, output, null);
    }

    /**
     * Chat prompts as people send them: not one length but a spread, normal around 256 tokens with a standard
     * deviation of half the mean (as GenAI-Perf/AIPerf's {@code --synthetic-input-tokens-stddev}, llmperf's
     * {@code --stddev-input-tokens} and GuideLLM's {@code prompt_tokens_stdev} draw them), clamped to 64–1024 (the
     * system prompt and question alone take about 60). ShareGPT, the chat dataset of vLLM's benchmarks, spreads
     * wider still (the vLLM paper: 161 prompt and 338 output tokens on average, long-tailed), so this is a
     * conservative spread.
     */
    public static final Lengths DEFAULT_INPUT = Lengths.normal(256, 128, 64, 1024);
    /** Chat answers: normal around 128 tokens, standard deviation 64, clamped to 16–512. */
    public static final Lengths DEFAULT_OUTPUT = Lengths.normal(128, 64, 16, 512);

    /** The shared system prompt, written for this project. */
    static final String SYSTEM = "You are a helpful, precise assistant for an engineering team. Answer in plain "
            + "language, state assumptions, and prefer short paragraphs and concrete examples over general advice.";

    private static final String[] QUESTIONS = {
        "How should I think about %s when planning next quarter?",
        "Can you explain %s to a new team member in simple terms?",
        "What are the most common mistakes people make with %s?",
        "Give me a checklist for reviewing %s before a release.",
        "Compare two ways of handling %s and say which you would pick.",
        "What questions should I ask a vendor about %s?",
        "Write a short status update about %s for my manager.",
        "How do I measure whether %s is working well?",
        "What would you change first to improve %s?",
        "Summarize the trade-offs around %s in a few sentences.",
    };

    private static final String[] TOPICS = {
        "database backups", "on-call rotations", "API versioning", "load testing", "cache invalidation",
        "code review", "incident postmortems", "feature flags", "capacity planning", "log retention",
        "dependency upgrades", "access control", "cost monitoring", "batch job scheduling", "data migrations",
        "service level objectives", "rate limiting", "test flakiness", "documentation", "deployment pipelines",
    };

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public ChatWorkload withPrefix(PrefixPlan plan) {
        return new ChatWorkload(input, output, plan);
    }

    @Override
    public OptionalDouble expectedPrefixHitRate(int count) {
        return PromptBuilder.expectedHitRate(prefix, count, input);
    }

    /**
     * Sessions under the system prompt (or the plan's group prefix, by session): every turn a new question whose
     * message alone has a length drawn from {@code input}.
     */
    @Override
    public List<Session> sessions(int count, long seed, TokenCounter counter, Turns turns, long thinkTimeNanos) {
        Turns perSession = turns != null ? turns : Turns.fixed(1);
        IntFunction<String> systems = PromptBuilder.sessionSystems(prefix, SYSTEM, count, seed, counter);
        TokenCounter alone = TracePrompts.raw(counter);
        return PromptBuilder.build(count, i -> {
            SplittableRandom random = new SplittableRandom(PromptBuilder.seed(seed, i));
            int n = perSession.sample(random);
            List<String> users = new ArrayList<>(n);
            List<Integer> userTokens = new ArrayList<>(n);
            List<Integer> outputs = new ArrayList<>(n);
            for (int turn = 0; turn < n; turn++) {
                String lead = (turn == 0 ? "" : "Follow-up: ") + question(random);
                TextFitter.Fitted user = TextFitter.fit(null, lead, input.sample(random), random, alone);
                users.add(user.user());
                userTokens.add(user.tokens());
                outputs.add(output.sample(random));
            }
            return new Session("session-" + i, new SessionScript(systems.apply(i), users, userTokens, outputs), thinkTimeNanos);
        });
    }

    private static String question(SplittableRandom random) {
        return QUESTIONS[random.nextInt(QUESTIONS.length)].formatted(TOPICS[random.nextInt(TOPICS.length)]) + "\n\nContext:";
    }

    @Override
    public List<Prompt> prompts(int count, long seed, TokenCounter counter) {
        return PromptBuilder.fitted(count, seed, counter, input, output,
                PromptBuilder.systems(prefix, SYSTEM, count, seed, input, counter), ChatWorkload::question);
    }
}
