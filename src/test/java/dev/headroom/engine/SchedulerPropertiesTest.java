package dev.headroom.engine;

import dev.headroom.plan.StepWork;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.engine.FinishedRequest.FinishReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/** Scheduler invariants over random configurations and workloads (vllm/v1/core/sched/scheduler.py semantics). */
class SchedulerPropertiesTest {

    private static final SimTokenizer TOKENIZER = new SimTokenizer(4096);

    @Property(tries = 60)
    void invariantsHoldEveryStep(@ForAll long seed) {
        Random rnd = new Random(seed);
        int blockSize = rnd.nextBoolean() ? 4 : 16;
        int maxModelLen = 64 + rnd.nextInt(192);
        boolean chunked = rnd.nextInt(4) != 0;
        int maxNumSeqs = 1 + rnd.nextInt(12);
        int budget = chunked ? Math.max(maxNumSeqs, 8 + rnd.nextInt(256)) : maxModelLen + rnd.nextInt(64);
        int minBlocks = Math.ceilDiv(maxModelLen, blockSize) + 1;
        int blocks = minBlocks + rnd.nextInt(minBlocks * 3);
        EngineConfig config = new EngineConfig(blocks, blockSize, maxNumSeqs, budget, maxModelLen,
                rnd.nextBoolean(), chunked, rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(32) : 0, 4096);
        Scheduler scheduler = new Scheduler(config, TOKENIZER);
        Recorder rec = new Recorder();
        List<RequestState> all = new ArrayList<>();
        java.util.Set<RequestState> aborted = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        int numRequests = 5 + rnd.nextInt(30);
        int[] shared = randomTokens(rnd, 48);
        long now = 0;
        int submitted = 0;
        for (int step = 0; step < 100_000 && (submitted < numRequests || scheduler.hasWork()); step++) {
            while (submitted < numRequests && rnd.nextInt(3) == 0) {
                RequestState r = request(rnd, shared, config, submitted++);
                all.add(r);
                scheduler.add(r);
            }
            if (!all.isEmpty() && rnd.nextInt(40) == 0) {
                RequestState victim = all.get(rnd.nextInt(all.size()));
                if (scheduler.abort(victim)) aborted.add(victim);
            }
            if (!scheduler.hasWork()) continue;
            List<RequestState> runningBefore = scheduler.runningView();
            long preemptionsBefore = scheduler.snapshot().preemptions();
            StepWork work = scheduler.schedule(now);
            assertThat(work).as("something is schedulable while work remains").isNotNull();
            assertThat(work.numTokens()).isLessThanOrEqualTo(config.maxNumBatchedTokens());
            assertThat(scheduler.numRunning()).isLessThanOrEqualTo(config.maxNumSeqs());
            checkPreemptionOrder(scheduler, runningBefore, preemptionsBefore);
            checkBlocks(scheduler, all, config);
            now += 1_000;
            scheduler.finishStep(now, rec);
            checkBlocks(scheduler, all, config);
        }
        assertThat(scheduler.hasWork()).isFalse();
        for (RequestState r : all) {
            if (aborted.contains(r)) {
                assertThat(rec.reasons).doesNotContainKey(r);
                continue;
            }
            assertThat(rec.reasons.get(r)).isEqualTo(FinishReason.LENGTH);
            assertThat(rec.tokens.get(r)).isEqualTo(Math.min(r.maxTokens, maxModelLen - r.numPromptTokens()));
        }
        EngineSnapshot snap = scheduler.snapshot();
        Statistics.label("preempted").collect(snap.preemptions() > 0);
        Statistics.label("prefix hits").collect(snap.prefixCacheHits() > 0);
        assertThat(snap.kvCacheUsage()).isZero();
        assertThat(snap.prefixCacheHits()).isLessThanOrEqualTo(snap.prefixCacheQueries());
        assertThat(snap.prefixCacheHits() % blockSize).isZero();
        assertThat(scheduler.kvCacheManager().numFreeBlocks()).isEqualTo(blocks - 1);
    }

    private static void checkPreemptionOrder(Scheduler s, List<RequestState> runningBefore, long preemptionsBefore) {
        long preempted = s.snapshot().preemptions() - preemptionsBefore;
        List<RequestState> runningAfter = s.runningView();
        if (preempted == 0) return;
        // Victims are the tail of the running queue, now at the head of the waiting queue (last victim first),
        // and nothing new was admitted in this step.
        int kept = runningBefore.size() - (int) preempted;
        assertThat(runningAfter).isEqualTo(runningBefore.subList(0, kept));
        List<RequestState> waitingHead = s.waitingView().subList(0, (int) preempted);
        for (int i = 0; i < preempted; i++) {
            RequestState victim = runningBefore.get(runningBefore.size() - 1 - i);
            assertThat(waitingHead.get((int) preempted - 1 - i)).isSameAs(victim);
            assertThat(victim.numComputedTokens).isZero();
            assertThat(victim.numBlocks()).isZero();
        }
    }

    private static void checkBlocks(Scheduler s, List<RequestState> all, EngineConfig config) {
        BlockPool pool = s.kvCacheManager().pool();
        Map<Integer, Integer> holders = new HashMap<>();
        for (RequestState r : all) {
            java.util.Set<Integer> own = new java.util.HashSet<>();
            for (int i = 0; i < r.numBlocks(); i++) {
                int b = r.block(i);
                assertThat(b).as("null block handed out").isNotZero();
                assertThat(own.add(b)).as("block held twice by one request").isTrue();
                holders.merge(b, 1, Integer::sum);
            }
            if (r.status == RequestState.Status.RUNNING) {
                assertThat(r.numBlocks()).isEqualTo(Math.ceilDiv(Math.min(r.numComputedTokens, config.maxModelLen()),
                        config.blockSize()));
            }
        }
        int used = 0;
        for (int b = 1; b < config.numGpuBlocks(); b++) {
            int expected = holders.getOrDefault(b, 0);
            assertThat(pool.refCnt(b)).as("ref count of block %d", b).isEqualTo(expected);
            if (expected > 0) used++;
        }
        assertThat(pool.numFreeBlocks()).as("no block leaked").isEqualTo(config.numGpuBlocks() - 1 - used);
    }

    private static RequestState request(Random rnd, int[] shared, EngineConfig config, int i) {
        int sharedLen = rnd.nextInt(shared.length + 1);
        int ownLen = 1 + rnd.nextInt(Math.max(1, config.maxModelLen() / 2 - sharedLen));
        int[] prompt = new int[sharedLen + ownLen];
        System.arraycopy(shared, 0, prompt, 0, sharedLen);
        System.arraycopy(randomTokens(rnd, ownLen), 0, prompt, sharedLen, ownLen);
        int maxTokens = 1 + rnd.nextInt(config.maxModelLen());
        EngineRequest req = new EngineRequest("r" + i, prompt, maxTokens, maxTokens, true);
        return new RequestState(req, i, null, 0, config);
    }

    private static int[] randomTokens(Random rnd, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = rnd.nextInt(50);
        return t;
    }

    static final class Recorder implements StepListener {
        final Map<RequestState, Integer> tokens = new IdentityHashMap<>();
        final Map<RequestState, FinishReason> reasons = new IdentityHashMap<>();

        @Override
        public void onToken(RequestState req, int tokenId, long nowNanos) {
            assertThat(reasons).doesNotContainKey(req);
            tokens.merge(req, 1, Integer::sum);
        }

        @Override
        public void onFinished(RequestState req, FinishReason reason, long nowNanos) {
            assertThat(reasons.put(req, reason)).isNull();
        }
    }
}
