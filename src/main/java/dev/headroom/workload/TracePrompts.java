package dev.headroom.workload;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Synthesises a trace's prompts: each full {@code hash_ids} block is a text of exactly
 * {@value Trace#MOONCAKE_BLOCK_TOKENS} tokens drawn from the block's id (so equal ids give equal text), the blocks
 * are joined by spaces, and words are appended until the prompt has its traced length.
 */
final class TracePrompts {

    private TracePrompts() {}

    static List<Prompt> build(List<TraceEntry> entries, long seed, TokenCounter counter) {
        TokenCounter raw = raw(counter);
        ConcurrentMap<Long, String> blocks = new ConcurrentHashMap<>();
        return PromptBuilder.build(entries.size(), i -> {
            TraceEntry e = entries.get(i);
            int full = Math.min(e.numHashIds(), e.inputTokens() / Trace.MOONCAKE_BLOCK_TOKENS);
            StringBuilder lead = new StringBuilder();
            long chain = 0;
            for (int k = 0; k < full; k++) {
                long id = e.hashId(k);
                chain = chain(chain, id);
                if (k > 0) lead.append(' ');
                lead.append(blocks.computeIfAbsent(id, b -> block(b, seed, raw)));
            }
            // The tail after the shared blocks is the request's own: seeded by its position, so never shared.
            SplittableRandom random = new SplittableRandom(PromptBuilder.seed(seed, i) ^ chain);
            TextFitter.Fitted user = TextFitter.fit(null, lead.toString(), e.inputTokens(), random, counter);
            return new Prompt(null, user.user(), user.tokens(), e.outputTokens());
        });
    }

    /** The text of block {@code id}: {@value Trace#MOONCAKE_BLOCK_TOKENS} tokens of words drawn from the id. */
    static String block(long id, long seed, TokenCounter raw) {
        SplittableRandom random = new SplittableRandom(seed ^ chain(0x5DEECE66DL, id));
        return TextFitter.fit(null, "", Trace.MOONCAKE_BLOCK_TOKENS, random, raw).user();
    }

    /** A chained key of a block and everything before it, as a prefix cache's block hash. */
    static long chain(long previous, long id) {
        long h = (previous ^ id) * 0x9E3779B97F4A7C15L + id;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }

    /** The tokens of a text alone: {@code counter}'s count less what it counts for an empty message (a chat template). */
    static TokenCounter raw(TokenCounter counter) {
        int empty = counter.count(null, "");
        return new TokenCounter() {
            @Override
            public int count(String system, String user) {
                return counter.count(system, user) - empty;
            }

            @Override
            public String name() {
                return counter.name();
            }
        };
    }
}
