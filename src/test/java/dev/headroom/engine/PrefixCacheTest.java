package dev.headroom.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Prefix-cache accounting against vLLM's rules: full blocks only, chained hashes, last prompt token recomputed. */
class PrefixCacheTest {

    private static final int BLOCK = 16;

    private static EngineConfig config(boolean caching) {
        return new EngineConfig(200, BLOCK, 8, 512, 1024, caching, true, 0, 4096);
    }

    private static int[] tokens(int from, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = from + i;
        return t;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Runs one request to completion on its own and returns the tokens it found in the cache. */
    private static int runAlone(Scheduler s, int[] prompt, String id) {
        RequestState r = new RequestState(new EngineRequest(id, prompt, 4, 4, true), 0, null, 0, config(true));
        s.add(r);
        long now = 0;
        SchedulerPropertiesTest.Recorder rec = new SchedulerPropertiesTest.Recorder();
        while (s.hasWork()) {
            s.schedule(now);
            s.finishStep(++now, rec);
        }
        return r.numCachedTokens;
    }

    @Test
    void sharedSystemPromptHitsItsFullBlocksExactly() {
        Scheduler s = new Scheduler(config(true), new SimTokenizer(4096));
        int[] system = tokens(1000, 100);
        int[] a = concat(system, tokens(2000, 30));
        int[] b = concat(system, tokens(3000, 45));
        assertThat(runAlone(s, a, "a")).isZero();
        assertThat(runAlone(s, b, "b")).isEqualTo(96);
        EngineSnapshot snap = s.snapshot();
        assertThat(snap.prefixCacheQueries()).isEqualTo(a.length + b.length);
        assertThat(snap.prefixCacheHits()).isEqualTo(96);
    }

    @Test
    void fullyCachedPromptRecomputesItsLastToken() {
        Scheduler s = new Scheduler(config(true), new SimTokenizer(4096));
        int[] prompt = tokens(500, 64);
        runAlone(s, prompt, "first");
        // 64 tokens = 4 full blocks, but the hit is capped at 63 tokens, so only 3 blocks (48 tokens) are reused.
        assertThat(runAlone(s, prompt, "second")).isEqualTo(48);
        assertThat(s.snapshot().prefixCacheHits()).isEqualTo(48);
    }

    @Test
    void hashesAreChainedSoEqualBlocksAfterDifferentPrefixesMiss() {
        Scheduler s = new Scheduler(config(true), new SimTokenizer(4096));
        int[] common = tokens(700, 32);
        runAlone(s, concat(tokens(1, 16), common), "x");
        assertThat(runAlone(s, concat(tokens(101, 16), common), "y")).isZero();
    }

    @Test
    void generatedTokensFillCachedBlocksToo() {
        Scheduler s = new Scheduler(config(true), new SimTokenizer(4096));
        int[] prompt = tokens(900, 30);
        RequestState r = new RequestState(new EngineRequest("g", prompt, 40, 40, true), 0, null, 0, config(true));
        s.add(r);
        SchedulerPropertiesTest.Recorder rec = new SchedulerPropertiesTest.Recorder();
        long now = 0;
        while (s.hasWork()) {
            s.schedule(now);
            s.finishStep(++now, rec);
        }
        // 30 prompt + 40 output = 70 tokens: 4 full blocks were cached, prompt's first block among them.
        assertThat(runAlone(s, prompt, "again")).isEqualTo(16);
    }

    @Test
    void withCachingOffNothingIsQueriedOrHit() {
        Scheduler s = new Scheduler(config(false), new SimTokenizer(4096));
        int[] prompt = tokens(500, 64);
        RequestState first = new RequestState(new EngineRequest("1", prompt, 2, 2, true), 0, null, 0, config(false));
        RequestState second = new RequestState(new EngineRequest("2", prompt, 2, 2, true), 1, null, 0, config(false));
        s.add(first);
        s.add(second);
        long now = 0;
        while (s.hasWork()) {
            s.schedule(now);
            s.finishStep(++now, new SchedulerPropertiesTest.Recorder());
        }
        assertThat(s.snapshot().prefixCacheQueries()).isZero();
        assertThat(second.numCachedTokens).isZero();
    }
}
