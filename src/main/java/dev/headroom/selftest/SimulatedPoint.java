package dev.headroom.selftest;

import dev.headroom.engine.EngineConfig;
import dev.headroom.engine.OfflineRunner;
import dev.headroom.engine.PromptFormat;
import dev.headroom.engine.SimTokenizer;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.plan.MemoryPlan;
import dev.headroom.plan.Planner;
import dev.headroom.plan.StepCostModel;
import dev.headroom.selftest.StepCorpus.Metric;
import dev.headroom.spec.ServingSetup;
import dev.headroom.workload.Lengths;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Prompt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A corpus point as headroom predicts it: the offline engine on the virtual clock, the point's flags through the
 * planner, a closed loop at the point's concurrency (every stream starting at once, as {@code vllm bench serve
 * --max-concurrency c --request-rate inf} does), distinct random prompts of exactly the point's lengths (or of
 * lengths drawn as vLLM's benchmark draws them with the point's {@code --random-range-ratio}) and {@code ignore_eos}. The metrics are computed from the requests as the source's benchmark computes them, in the
 * point's statistic (mean or p50).
 *
 * @param requests the point's published prompt count (a flood's prompts are sent once, all at the start, as the
 *                 source sent them); where the source does not publish it, {@link #UNPUBLISHED_WAVES} waves of its
 *                 concurrency (a steady state)
 */
record SimulatedPoint(StepCorpus point, ServingSetup setup, EngineConfig config, List<Prompt> prompts, int requests) {

    static final int UNPUBLISHED_WAVES = 10;
    private static final long SEED = 42;

    /** The engine and prompts of {@code p}; the planner's refusal when vLLM would not start its flags. */
    static SimulatedPoint of(StepCorpus p) {
        ServingSetup setup = p.setup();
        MemoryPlan plan = Planner.plan(setup);
        if (!plan.fits()) throw new IllegalStateException("step corpus " + p.id() + ": vLLM would not start: " + plan.error());
        int c = p.concurrency();
        int n = p.numPrompts() > 0 ? p.numPrompts() : Math.max(20, UNPUBLISHED_WAVES * c);
        List<Prompt> prompts = p.rangeRatio() == 0 ? SimTokenizer.randomPrompts(n, p.inputTokens(), p.outputTokens(), SEED)
                : drawnLengths(p, n);
        return new SimulatedPoint(p, setup, EngineConfig.from(setup, plan), prompts, n);
    }

    /**
     * {@code n} random prompts whose input and output lengths are drawn independently and uniformly from
     * [floor(len·(1−r)), ceil(len·(1+r))], as vLLM's random dataset draws them for {@code --random-range-ratio r}
     * (vllm/benchmarks/datasets.py, RandomDataset.get_sampling_params, v0.19.1: {@code rng.integers(low, high + 1)}
     * for each). vLLM takes the tokenizer's special tokens off the input length before drawing and the server adds
     * them back, so a drawn prompt here may differ from vLLM's by that many tokens (one BOS for Llama, none for Qwen).
     */
    private static List<Prompt> drawnLengths(StepCorpus p, int n) {
        SplittableRandom random = new SplittableRandom(SEED);
        Lengths input = Lengths.uniform(p.inputTokens(), p.rangeRatio());
        Lengths output = Lengths.uniform(p.outputTokens(), p.rangeRatio());
        List<Prompt> prompts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            prompts.add(SimTokenizer.randomPrompts(1, input.sample(random), output.sample(random), SEED + i).get(0));
        }
        return prompts;
    }

    /** Every metric the point publishes, predicted with {@code cost} as the engine's step time. */
    Map<Metric, Double> predict(StepCostModel cost) {
        OfflineRunner.Result r = OfflineRunner.run(config, cost, prompts, LoadPattern.closedLoop(point.concurrency()),
                null, new OfflineRunner.Options(PromptFormat.COMPLETIONS, true, 0));
        List<RequestRecord> ok = r.records().stream().filter(RequestRecord::ok).toList();
        double[] ttft = ok.stream().mapToDouble(q -> q.ttftNanos() / 1e6).sorted().toArray();
        double[] e2e = ok.stream().mapToDouble(q -> q.e2elNanos() / 1e6).sorted().toArray();
        double[] tpot = ok.stream().filter(q -> q.outputTokens() > 1)
                .mapToDouble(q -> (q.e2elNanos() - q.ttftNanos()) / 1e6 / (q.outputTokens() - 1)).sorted().toArray();
        List<Double> gaps = new ArrayList<>();
        for (RequestRecord q : ok) {
            long[] t = q.chunkNanos();
            for (int i = 1; i < t.length; i++) gaps.add((t[i] - t[i - 1]) / 1e6);
        }
        double[] itl = gaps.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<Metric, Double> m = new EnumMap<>(Metric.class);
        m.put(Metric.TTFT, stat(ttft));
        m.put(Metric.TTFT_P90, percentile(ttft, 90));
        m.put(Metric.TTFT_P99, percentile(ttft, 99));
        m.put(Metric.TPOT, stat(tpot));
        m.put(Metric.ITL, stat(itl));
        m.put(Metric.E2E, stat(e2e));
        m.put(Metric.E2E_P90, percentile(e2e, 90));
        m.put(Metric.E2E_P99, percentile(e2e, 99));
        m.put(Metric.THROUGHPUT, ok.size() / (r.durationNanos() / 1e9));
        return m;
    }

    private double stat(double[] sorted) {
        return point.stat() == StepCorpus.Stat.P50 ? percentile(sorted, 50) : Arrays.stream(sorted).average().orElse(Double.NaN);
    }

    /** numpy's linear interpolation (vLLM's benchmark uses {@code np.percentile}); NaN for no values. */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        double pos = (sorted.length - 1) * q / 100;
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
