package dev.headroom.workload;

import java.util.SplittableRandom;

/**
 * Shared system prompts: {@code groups} distinct prefixes, each about {@code sharedPrefixTokens} tokens long;
 * request {@code i} carries the prefix of group {@code i % groups}. Either the length is given
 * ({@code --shared-prefix-tokens P --prefix-groups G}) or derived from a prefix-cache hit-rate target
 * ({@code --prefix-hit-target h}).
 *
 * <p>The arithmetic, for vLLM's block-granular prefix cache: a request whose first {@code S} prompt tokens were
 * seen before finds {@code floor(min(S, L - 1) / B) · B} of its {@code L} tokens in the cache (full blocks of
 * {@code B} tokens only; the last token is always recomputed). The first request of each group finds nothing.
 * So {@code N} requests of mean length {@code L} reach {@code (N - G) · k·B / (N · L)} with {@code k} shared
 * blocks, and a target {@code h} takes {@code k = round(h · N · L / ((N - G) · B))}. The prefix is fitted to
 * {@code k·B + B/2} tokens: half a block of slack, so that a chat template's few tokens before and after the
 * system message (counted by one tokenizer and not the other) neither add nor lose a block. A given length
 * {@code P} is fitted the same way, to {@code floor(P / B)·B + B/2}, so that its {@code floor(P / B)} blocks
 * are the ones that hit. Eviction is not modelled: the KV cache must hold the {@code G} prefixes.
 *
 * @param sharedPrefixTokens the prefix length in tokens (0 until {@link #resolve} derives it from a target)
 * @param groups             distinct prefixes, at least 1
 * @param hitTarget          the hit-rate target in (0, 1), or NaN when the length is given
 * @param blockSize          the server's KV block size in tokens (vLLM's default 16)
 */
public record PrefixPlan(int sharedPrefixTokens, int groups, double hitTarget, int blockSize) {

    /** vLLM's default {@code --block-size}. */
    public static final int DEFAULT_BLOCK_SIZE = 16;
    /** Fewest tokens left to each request's own message. */
    static final int MIN_USER_TOKENS = 16;

    private static final String[] TEAMS = {
        "payments", "search", "logistics", "billing", "support", "identity", "analytics", "mobile", "platform",
        "security", "growth", "catalog", "messaging", "storage", "pricing", "onboarding",
    };

    public PrefixPlan {
        if (groups < 1) throw new IllegalArgumentException("--prefix-groups must be at least 1, was " + groups);
        if (blockSize < 1) throw new IllegalArgumentException("--block-size must be at least 1, was " + blockSize);
        if (Double.isNaN(hitTarget) && sharedPrefixTokens < 1) {
            throw new IllegalArgumentException("--shared-prefix-tokens must be at least 1, was " + sharedPrefixTokens);
        }
        if (!Double.isNaN(hitTarget) && !(hitTarget > 0 && hitTarget < 1)) {
            throw new IllegalArgumentException("--prefix-hit-target must be between 0 and 1 (exclusive), e.g. 0.6, was " + hitTarget);
        }
    }

    /** {@code --shared-prefix-tokens P --prefix-groups G}. */
    public static PrefixPlan shared(int sharedPrefixTokens, int groups) {
        return new PrefixPlan(sharedPrefixTokens, groups, Double.NaN, DEFAULT_BLOCK_SIZE);
    }

    /** {@code --prefix-hit-target h --prefix-groups G}. */
    public static PrefixPlan hitTarget(double target, int groups) {
        return new PrefixPlan(0, groups, target, DEFAULT_BLOCK_SIZE);
    }

    /**
     * The plan from the three options, any of them null when not given; null when neither a length nor a target
     * is given. Giving both is an error: the target derives the length.
     */
    public static PrefixPlan of(Integer sharedPrefixTokens, Integer groups, Double hitTarget) {
        int g = groups == null ? 1 : groups;
        if (sharedPrefixTokens != null && hitTarget != null) {
            throw new IllegalArgumentException("--shared-prefix-tokens and --prefix-hit-target exclude each other: "
                    + "the target derives the prefix length");
        }
        if (sharedPrefixTokens != null) return shared(sharedPrefixTokens, g);
        if (hitTarget != null) return hitTarget(hitTarget, g);
        if (groups != null) throw new IllegalArgumentException("--prefix-groups needs --shared-prefix-tokens or --prefix-hit-target");
        return null;
    }

    /** This plan for a server whose KV blocks hold {@code tokens} tokens. */
    public PrefixPlan withBlockSize(int tokens) {
        return new PrefixPlan(sharedPrefixTokens, groups, hitTarget, tokens);
    }

    public boolean hasTarget() {
        return !Double.isNaN(hitTarget);
    }

    /**
     * The plan with its prefix length fixed for {@code requests} prompts of {@code meanInputTokens} (and at least
     * {@code minInputTokens}) tokens: the given length, or the one that reaches the target (class comment).
     *
     * @throws IllegalArgumentException when the target is out of reach, naming the most these settings give
     */
    public PrefixPlan resolve(int requests, double meanInputTokens, int minInputTokens) {
        int roomTokens = minInputTokens - MIN_USER_TOKENS;
        if (!hasTarget()) {
            int fitted = sharedPrefixTokens < blockSize ? sharedPrefixTokens : sharedPrefixTokens / blockSize * blockSize + blockSize / 2;
            if (fitted > roomTokens) {
                // Spread lengths (the chat default among them) bound the prefix by their shortest prompt.
                String prompts = minInputTokens < meanInputTokens ? "the shortest prompts (" + minInputTokens + " tokens)"
                        : minInputTokens + "-token prompts";
                throw new IllegalArgumentException("--shared-prefix-tokens " + sharedPrefixTokens + " leaves too little of "
                        + prompts + "; it must be at most " + Math.max(0, roomTokens - blockSize / 2)
                        + " (the prefix is part of each prompt: raise --input-tokens, or lower --shared-prefix-tokens)");
            }
            return new PrefixPlan(fitted, groups, hitTarget, blockSize);
        }
        int maxBlocks = (roomTokens - blockSize / 2) / blockSize;
        int blocks = (int) Math.round(hitTarget * requests * meanInputTokens / ((double) hitting(requests) * blockSize));
        if (hitting(requests) == 0 || blocks > maxBlocks || blocks < 1) {
            double most = hitting(requests) == 0 ? 0 : hitRate(requests, meanInputTokens, Math.max(0, maxBlocks) * blockSize);
            throw new IllegalArgumentException("--prefix-hit-target " + hitTarget + " is out of reach with --prefix-groups "
                    + groups + " over " + requests + " requests of " + Math.round(meanInputTokens) + " input tokens: "
                    + (blocks < 1 && hitting(requests) > 0 ? "the least is " + fmt(hitRate(requests, meanInputTokens, blockSize))
                    : "the most is " + fmt(most)) + " (change --input-tokens, --requests or --prefix-groups)");
        }
        return new PrefixPlan(blocks * blockSize + blockSize / 2, groups, hitTarget, blockSize);
    }

    /**
     * The prefix-cache hit rate {@code requests} prompts of {@code meanInputTokens} tokens should reach with this
     * (resolved) plan and no eviction: cached prompt tokens over prompt tokens.
     */
    public double expectedHitRate(int requests, double meanInputTokens) {
        return hitRate(requests, meanInputTokens, sharedPrefixTokens / blockSize * blockSize);
    }

    /** The group of prompt {@code index}. */
    public int groupOf(int index) {
        return index % groups;
    }

    /**
     * Group {@code group}'s system prompt: a line naming the group (so groups differ from their first block on),
     * then common words fitted so that {@code counter.count(prefix, "")} is the plan's length.
     */
    public String prefix(int group, long seed, TokenCounter counter) {
        if (sharedPrefixTokens < 1) throw new IllegalStateException("resolve the plan before building prefixes");
        String lead = "You are assistant " + (group + 1) + " of the " + TEAMS[group % TEAMS.length]
                + " team. Follow the team handbook below.";
        TokenCounter asSystem = new TokenCounter() {
            @Override
            public int count(String system, String text) {
                return counter.count(text, "");
            }

            @Override
            public String name() {
                return counter.name();
            }
        };
        SplittableRandom random = new SplittableRandom(seed ^ (0xC2B2AE3D27D4EB4FL * (group + 1)));
        return TextFitter.fit(null, lead, sharedPrefixTokens, random, asSystem).user();
    }

    private int hitting(int requests) {
        return Math.max(0, requests - groups);
    }

    private double hitRate(int requests, double meanInputTokens, int hitTokens) {
        if (requests == 0 || meanInputTokens <= 0) return 0;
        return hitting(requests) * (double) hitTokens / (requests * meanInputTokens);
    }

    private static String fmt(double rate) {
        return String.format(java.util.Locale.ROOT, "%.2f", rate);
    }
}
