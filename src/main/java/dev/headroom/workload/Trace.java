package dev.headroom.workload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A timestamped trace ({@code --trace FILE}) in one of the public formats {@link TraceReader} reads, replayed as
 * prompts of the traced lengths sent at the traced times ({@code --time-scale}).
 *
 * @param source  the file
 * @param format  which format it was in
 * @param entries its requests in arrival order
 */
public record Trace(Path source, Format format, List<TraceEntry> entries) {

    /** Tokens per {@code hash_ids} block in the Mooncake trace (its README and AIPerf's reader: 512). */
    public static final int MOONCAKE_BLOCK_TOKENS = 512;

    /** The trace formats headroom reads. */
    public enum Format { MOONCAKE, AZURE, BURSTGPT }

    /**
     * Prompts and their send times.
     *
     * @param prompts      one per replayed request, in arrival order
     * @param offsetsNanos each prompt's send offset from the run start (the first is 0), ascending
     */
    public record Replay(List<Prompt> prompts, long[] offsetsNanos) {

        /**
         * Requests per second over the replay (N over the last offset), the rate an open-loop pattern needs;
         * {@code Double.MAX_VALUE} (still finite, so still an open loop) when every request arrives at once.
         */
        public double meanRatePerSecond() {
            long span = offsetsNanos.length == 0 ? 0 : offsetsNanos[offsetsNanos.length - 1];
            return span == 0 ? Double.MAX_VALUE : offsetsNanos.length / (span / 1e9);
        }
    }

    public Trace {
        Objects.requireNonNull(source, "source");
        entries = entries.stream().sorted(Comparator.comparingLong(TraceEntry::timestampNanos)).toList();
        if (entries.isEmpty()) throw new IllegalArgumentException(source + ": the trace holds no replayable requests");
    }

    /** Reads {@code path}; throws IllegalArgumentException with one line naming the file, line and what was expected. */
    public static Trace read(Path path) {
        return TraceReader.read(path);
    }

    /**
     * The first {@code maxRequests} requests (all when {@code maxRequests <= 0}) as prompts fitted to their traced
     * lengths with {@code counter}, sent at the traced times multiplied by {@code timeScale} (0.5 replays twice as
     * fast). Equal leading {@code hash_ids} become equal leading text blocks of {@value #MOONCAKE_BLOCK_TOKENS} tokens.
     */
    public Replay replay(int maxRequests, double timeScale, long seed, TokenCounter counter) {
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("--time-scale must be a positive number (0.5 replays twice as fast), was " + timeScale);
        }
        List<TraceEntry> replayed = first(maxRequests);
        long origin = replayed.get(0).timestampNanos();
        long[] offsets = new long[replayed.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = Math.round((replayed.get(i).timestampNanos() - origin) * timeScale);
        }
        return new Replay(TracePrompts.build(replayed, seed, counter), offsets);
    }

    /**
     * The prefix-cache hit rate the first {@code maxRequests} requests can reach with blocks of {@code blockSize}
     * tokens and a cache that never evicts: each request reuses the {@code hash_ids} blocks some earlier request began
     * with (the full ones), rounded down to whole KV blocks; 0 for traces without {@code hash_ids}.
     */
    public double expectedHitRate(int maxRequests, int blockSize) {
        Set<Long> seen = new HashSet<>();
        long hits = 0;
        long queries = 0;
        for (TraceEntry e : first(maxRequests)) {
            int full = Math.min(e.numHashIds(), e.inputTokens() / MOONCAKE_BLOCK_TOKENS);
            long chain = 0;
            int shared = 0;
            boolean sharing = true;
            for (int k = 0; k < e.numHashIds(); k++) {
                chain = TracePrompts.chain(chain, e.hashId(k));
                if (!seen.add(chain) && sharing && k < full) shared++;
                else sharing = false;
            }
            int cached = Math.min(shared * MOONCAKE_BLOCK_TOKENS, e.inputTokens() - 1);
            hits += cached / blockSize * blockSize;
            queries += e.inputTokens();
        }
        return queries == 0 ? 0 : (double) hits / queries;
    }

    private List<TraceEntry> first(int maxRequests) {
        return maxRequests <= 0 || maxRequests >= entries.size() ? entries : new ArrayList<>(entries.subList(0, maxRequests));
    }
}
