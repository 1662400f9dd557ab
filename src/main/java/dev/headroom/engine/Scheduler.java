package dev.headroom.engine;

import dev.headroom.plan.StepWork;

import dev.headroom.engine.FinishedRequest.FinishReason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * vLLM V1's scheduler ({@code vllm/v1/core/sched/scheduler.py Scheduler.schedule}) with FCFS policy and
 * recompute preemption. One step: running requests first, in order, each taking up to the remaining token budget;
 * a failed KV allocation preempts from the tail of the running queue; then, only if nothing was preempted,
 * waiting requests are admitted in FCFS order up to {@code max_num_seqs}. Single-threaded.
 */
final class Scheduler {

    private final EngineConfig config;
    private final SimTokenizer tokenizer;
    private final KvCacheManager kv;
    private final ArrayDeque<RequestState> waiting = new ArrayDeque<>();
    private final ArrayList<RequestState> running = new ArrayList<>();
    private final RequestState[] scheduled;
    private final int[] numScheduledTokens;
    private int numScheduled;
    private long preemptions;
    private long promptTokens;
    private long generationTokens;

    Scheduler(EngineConfig config, SimTokenizer tokenizer) {
        this.config = config;
        this.tokenizer = tokenizer;
        this.kv = new KvCacheManager(config);
        this.scheduled = new RequestState[config.maxNumSeqs()];
        this.numScheduledTokens = new int[config.maxNumSeqs()];
    }

    /** Queues a new request at the tail of the waiting queue; see {@link #checkPromptLength}. */
    void add(RequestState req) {
        checkPromptLength(req.numPromptTokens(), config.maxModelLen());
        waiting.addLast(req);
    }

    /**
     * Rejects prompts that leave no room for one output token. vLLM's engine rejects only longer-than-max_model_len
     * prompts ({@code vllm/v1/engine/processor.py}); its OpenAI layer rejects the rest before they get here.
     */
    static void checkPromptLength(int promptLen, int maxModelLen) {
        if (promptLen >= maxModelLen) {
            throw new IllegalArgumentException("The decoder prompt (length " + promptLen + ") is longer than the "
                    + "maximum model length of " + maxModelLen + " minus one output token. Make sure that "
                    + "`max_model_len` is larger than the number of text tokens.");
        }
    }

    /** True while any request is waiting or running. */
    boolean hasWork() {
        return !waiting.isEmpty() || !running.isEmpty();
    }

    /**
     * Plans one step: which requests compute how many tokens. Stamps first-scheduled times with {@code nowNanos}.
     *
     * @return the step's work, or null when nothing could be scheduled
     */
    StepWork schedule(long nowNanos) {
        numScheduled = 0;
        int budget = config.maxNumBatchedTokens();
        boolean preempted = false;
        int i = 0;
        while (i < running.size() && budget > 0) {
            RequestState req = running.get(i);
            int n = capped(req.numTokens - req.numComputedTokens, budget);
            n = Math.min(n, config.maxModelLen() - 1 - req.numComputedTokens);
            if (n <= 0) {
                i++;
                continue;
            }
            boolean canSchedule = true;
            while (!kv.allocateSlots(req, n, 0)) {
                RequestState victim = running.removeLast();
                preempt(victim);
                preempted = true;
                if (victim == req) {
                    canSchedule = false;
                    break;
                }
            }
            if (!canSchedule) break;
            record(req, n);
            budget -= n;
            i++;
        }
        if (!preempted) admitWaiting(budget, nowNanos);
        return numScheduled == 0 ? null : commit();
    }

    private void admitWaiting(int budget, long nowNanos) {
        while (!waiting.isEmpty() && budget > 0 && running.size() < config.maxNumSeqs()) {
            RequestState req = waiting.peekFirst();
            int hitTokens = kv.getComputedBlocks(req);
            int n = req.numTokens - hitTokens;
            int threshold = config.longPrefillTokenThreshold();
            if (threshold > 0 && n > threshold) n = threshold;
            if (!config.enableChunkedPrefill() && n > budget) break;
            n = Math.min(n, budget);
            if (!kv.allocateSlots(req, n, hitTokens)) break;
            waiting.pollFirst();
            running.add(req);
            req.status = RequestState.Status.RUNNING;
            req.numComputedTokens = hitTokens;
            req.numCachedTokens = hitTokens;
            if (req.scheduledNanos < 0) req.scheduledNanos = nowNanos;
            record(req, n);
            budget -= n;
        }
    }

    private int capped(int numNewTokens, int budget) {
        int threshold = config.longPrefillTokenThreshold();
        int n = threshold > 0 && numNewTokens > threshold ? threshold : numNewTokens;
        return Math.min(n, budget);
    }

    private void record(RequestState req, int n) {
        scheduled[numScheduled] = req;
        numScheduledTokens[numScheduled++] = n;
    }

    // _update_after_schedule: num_computed_tokens += num_scheduled_tokens, and the step's work for the cost model.
    private StepWork commit() {
        int tokens = 0;
        long context = 0;
        double pairs = 0;
        boolean decodeOnly = true;
        for (int k = 0; k < numScheduled; k++) {
            RequestState req = scheduled[k];
            int n = numScheduledTokens[k];
            tokens += n;
            context += req.numComputedTokens + n;
            pairs += n * (req.numComputedTokens + n / 2.0);
            decodeOnly &= n == 1;
            req.numComputedTokens += n;
        }
        return new StepWork(numScheduled, tokens, context, pairs, decodeOnly);
    }

    // _preempt_request: free blocks, reset progress, back to the head of the waiting queue.
    private void preempt(RequestState req) {
        kv.free(req);
        req.status = RequestState.Status.PREEMPTED;
        req.numComputedTokens = 0;
        req.numPreemptions++;
        preemptions++;
        waiting.addFirst(req);
    }

    /**
     * Applies the outputs of the step planned by the last {@link #schedule}: every request whose prompt is now fully
     * computed samples one token; stopped requests free their blocks and leave the running queue.
     */
    void finishStep(long endNanos, StepListener listener) {
        boolean anyFinished = false;
        for (int k = 0; k < numScheduled; k++) {
            RequestState req = scheduled[k];
            scheduled[k] = null;
            if (!req.isPrefillComplete()) continue;
            int tokenId = req.nextOutputTokenId(tokenizer);
            req.appendOutputToken(tokenId);
            generationTokens++;
            if (req.numOutputTokens == 1) {
                req.firstTokenNanos = endNanos;
                promptTokens += req.numPromptTokens();
            }
            listener.onToken(req, tokenId, endNanos);
            FinishReason reason = stopReason(req, tokenId);
            if (reason != null) {
                req.status = RequestState.Status.FINISHED;
                kv.free(req);
                anyFinished = true;
                listener.onFinished(req, reason, endNanos);
            }
        }
        numScheduled = 0;
        if (anyFinished) running.removeIf(r -> r.status == RequestState.Status.FINISHED);
    }

    // vllm/v1/core/sched/utils.py check_stop: length first, then EOS once min_tokens are out.
    private FinishReason stopReason(RequestState req, int tokenId) {
        if (req.numTokens >= config.maxModelLen() || req.numOutputTokens >= req.maxTokens) return FinishReason.LENGTH;
        if (req.numOutputTokens < req.minTokens) return null;
        if (!req.ignoreEos && tokenId == tokenizer.eosTokenId()) return FinishReason.STOP;
        return null;
    }

    /** Removes a waiting or running request and frees its blocks; false when it is not here (already finished). */
    boolean abort(RequestState req) {
        if (req.status == RequestState.Status.FINISHED) return false;
        boolean removed = req.status == RequestState.Status.RUNNING ? running.remove(req) : waiting.remove(req);
        if (!removed) return false;
        kv.free(req);
        req.status = RequestState.Status.FINISHED;
        return true;
    }

    /** The engine's gauges and counters now. */
    EngineSnapshot snapshot() {
        return new EngineSnapshot(running.size(), waiting.size(), kv.usage(), preemptions, promptTokens,
                generationTokens, kv.prefixCacheQueries(), kv.prefixCacheHits(), config.numGpuBlocks(),
                config.blockSize());
    }

    int numRunning() {
        return running.size();
    }

    /** The running queue in order (a copy, for tests and diagnostics). */
    List<RequestState> runningView() {
        return List.copyOf(running);
    }

    /** The waiting queue from its head (a copy, for tests and diagnostics). */
    List<RequestState> waitingView() {
        return List.copyOf(waiting);
    }

    KvCacheManager kvCacheManager() {
        return kv;
    }
}
