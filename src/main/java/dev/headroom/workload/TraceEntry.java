package dev.headroom.workload;

/**
 * One request of a timestamped trace.
 *
 * @param timestampNanos arrival time as the trace gives it (any origin), in nanoseconds
 * @param inputTokens    prompt length in tokens
 * @param outputTokens   output length in tokens
 * @param hashIds        Mooncake's prefix blocks: equal ids at the start of two requests mean an equal prefix of
 *                       {@link Trace#MOONCAKE_BLOCK_TOKENS} tokens per id; empty for traces without them
 * @param line           the line of the trace file it came from, for messages
 */
public record TraceEntry(long timestampNanos, int inputTokens, int outputTokens, long[] hashIds, int line) {

    public TraceEntry {
        hashIds = hashIds.clone();
    }

    @Override
    public long[] hashIds() {
        return hashIds.clone();
    }

    int numHashIds() {
        return hashIds.length;
    }

    long hashId(int i) {
        return hashIds[i];
    }
}
