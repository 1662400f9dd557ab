package dev.headroom.pipeline;

import dev.headroom.engine.EngineConfig;
import dev.headroom.engine.EngineSnapshot;
import dev.headroom.engine.OfflineRunner;
import dev.headroom.engine.OfflineSessions;
import dev.headroom.engine.PromptFormat;
import dev.headroom.engine.SimTokenizer;
import dev.headroom.load.Api;
import dev.headroom.metrics.EnergyBound;
import dev.headroom.metrics.EngineSplit;
import dev.headroom.metrics.ReuseMetrics;
import dev.headroom.metrics.RunValidity;
import dev.headroom.metrics.Summary;
import dev.headroom.metrics.Telemetry;
import dev.headroom.metrics.TelemetrySample;
import dev.headroom.plan.MemoryPlan;
import dev.headroom.plan.Planner;
import dev.headroom.plan.PredictionBands;
import dev.headroom.plan.StepCostModel;
import dev.headroom.plan.StepModels;
import dev.headroom.results.PredictionBlock;
import dev.headroom.results.RequestLog;
import dev.headroom.results.TelemetryCsv;
import dev.headroom.spec.ModelSpec;
import dev.headroom.workload.Prompt;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A load point predicted by the simulated engine on a virtual clock, written as a measured point is. */
final class PredictedPoint {

    private static final String TOKENIZER = "simulator";

    /** The simulator's published held-out errors, read once. */
    private static final PredictionBands BANDS = PredictionBands.published();

    private PredictedPoint() {}

    static PointResult run(LoadPoint point, PointTarget.Predicted t, PointContext ctx) throws IOException {
        MemoryPlan plan = Planner.plan(t.setup());
        if (!plan.fits()) throw new PointError(PointError.Kind.REFUSED, "vLLM would not start this setup: " + plan.error());
        EngineConfig config = EngineConfig.from(t.setup(), plan);
        PromptFormat format = point.api() == Api.CHAT ? PromptFormat.CHAT : PromptFormat.COMPLETIONS;
        PreparedLoad load = PreparedLoad.of(point, format.counter(new SimTokenizer(config.vocabSize())), config.blockSize());
        OfflineRunner.Options options = new OfflineRunner.Options(format, point.exactOutput(), point.warmup(),
                closedLoopDurationNanos(point, load), ctx.scrapeInterval().toNanos());
        StepCostModel cost = StepModels.forEngine(t.setup(), t.calibration());
        OfflineRunner.Result result = load.isSessions()
                ? OfflineSessions.run(config, cost, load.warmup(), load.sessions(), load.pattern(), load.offsetsNanos(), options)
                : OfflineRunner.run(config, cost, concat(load.warmup(), load.prompts()), load.pattern(), load.offsetsNanos(), options);
        Files.createDirectories(ctx.dir());
        try (RequestLog log = RequestLog.open(ctx.dir().resolve("requests.jsonl"))) {
            result.records().forEach(log::append);
        }
        result.records().forEach(r -> ctx.events().requestDone());
        Summary summary = Summary.compute(result.records(), Math.max(1, result.durationNanos()), point.slo());
        Telemetry telemetry = telemetry(result.samples());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model_id", t.setup().model().name()); // vLLM bench serve's result key: the served model
        json.putAll(summaryJson(summary, result, telemetry));
        json.putAll(EnergyBound.toMap(t.setup().gpu().gpu().boardPowerW(), t.setup().serve().tensorParallelSize(),
                summary.durationSeconds(), summary.totalOutputTokens()));
        json.putAll(ReuseMetrics.toMap(result.records()));
        json.putAll(EngineSplit.toMap(result.records()));
        json.putAll(RunValidity.of(result.records(), point.asked(null, null)).toMap());
        load.putPrefixKeys(json);
        json.put(PredictionBlock.KEY, prediction(point, t.setup().gpu().gpu().id(), t.setup().model(),
                t.setup().serve().tensorParallelSize(), json));
        RunFolder.writeSummary(ctx.dir(), json);
        if (!telemetry.isEmpty()) TelemetryCsv.write(ctx.dir().resolve("telemetry.csv"), telemetry);
        RunFolder.writeRunYaml(ctx.dir(), ctx.command(), RunFolder.inputs(point, null, t.setup().model().name(),
                "sim-", Map.of(), null), TOKENIZER, null, t.description());
        return new PointResult(summary, json, null, result.steps());
    }

    /**
     * summary.json's prediction block of a run the simulator gave: the published errors of its regime (GPU, model
     * size, requests in flight) and the ranges of its figures.
     */
    static Map<String, Object> prediction(LoadPoint point, String gpuId, ModelSpec model, int tensorParallel,
                                          Map<String, Object> json) {
        int concurrency = point.pattern().isOpenLoop()
                ? ((Number) json.getOrDefault("max_concurrent_requests", 1)).intValue() : point.pattern().concurrency();
        PredictionBands.Run run = new PredictionBands.Run(gpuId, model.parameterCount() / 1e9, concurrency,
                mean(json, "mean_input_tokens"), mean(json, "mean_output_tokens"), model.quantization(), tensorParallel);
        return PredictionBlock.of(BANDS, run, json);
    }

    private static double mean(Map<String, Object> json, String key) {
        return json.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static List<Prompt> concat(List<Prompt> first, List<Prompt> then) {
        List<Prompt> all = new ArrayList<>(first.size() + then.size());
        all.addAll(first);
        all.addAll(then);
        return all;
    }

    private static long closedLoopDurationNanos(LoadPoint point, PreparedLoad load) {
        return point.duration() != null && !load.pattern().isOpenLoop() ? point.duration().toNanos() : 0;
    }

    /** The engine's samples as a /metrics scrape of the simulated server would have given them. */
    static Telemetry telemetry(List<OfflineRunner.Sample> samples) {
        List<TelemetrySample> out = new ArrayList<>(samples.size());
        for (OfflineRunner.Sample s : samples) {
            EngineSnapshot e = s.snapshot();
            out.add(new TelemetrySample(s.atNanos() / 1e9, e.kvCacheUsage(), e.running(), e.waiting(), e.preemptions(),
                    e.prefixCacheHits(), e.prefixCacheQueries()));
        }
        return new Telemetry(out);
    }

    private static Map<String, Object> summaryJson(Summary summary, OfflineRunner.Result result, Telemetry telemetry) {
        Map<String, Object> json = new LinkedHashMap<>(summary.toMap());
        EngineSnapshot end = result.snapshot();
        EngineSnapshot start = result.samples().isEmpty() ? end : result.samples().get(0).snapshot();
        // The engine's own counters over the measured window, under the keys a /metrics scrape of a real server gives.
        json.put("server_prompt_tokens", end.promptTokens() - start.promptTokens());
        json.put("server_generation_tokens", end.generationTokens() - start.generationTokens());
        json.put("server_prefix_cache_queries", end.prefixCacheQueries() - start.prefixCacheQueries());
        json.put("server_prefix_cache_hits", end.prefixCacheHits() - start.prefixCacheHits());
        json.put("server_num_gpu_blocks", end.numGpuBlocks());
        json.putAll(telemetry.summary(-1));
        json.put("engine_steps", result.steps());
        json.put("tokenizer", TOKENIZER);
        json.put("stopped_early", null);
        json.put("predicted", true);
        return json;
    }
}
