package dev.headroom.cli;

import dev.headroom.engine.EngineConfig;
import dev.headroom.engine.EngineSnapshot;
import dev.headroom.engine.OfflineRunner;
import dev.headroom.engine.PromptFormat;
import dev.headroom.engine.SimTokenizer;
import dev.headroom.load.Api;
import dev.headroom.load.RunSettings;
import dev.headroom.metrics.Slo;
import dev.headroom.metrics.Summary;
import dev.headroom.plan.MemoryPlan;
import dev.headroom.plan.Planner;
import dev.headroom.plan.Roofline;
import dev.headroom.report.RequestLog;
import dev.headroom.report.RunYaml;
import dev.headroom.report.ServingBenchmarkTable;
import dev.headroom.report.SummaryJson;
import dev.headroom.spec.ServingSetup;
import dev.headroom.workload.Arrivals;
import dev.headroom.workload.Prompt;
import dev.headroom.workload.TokenCounter;
import dev.headroom.workload.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code run --offline}: the workload through the simulated engine on a virtual clock, written as a measured run is. */
final class OfflineRun {

    private OfflineRun() {}

    static int run(RunOptions options, SimulatedTarget simulated, Path dir, PrintWriter out, PrintWriter err) throws IOException {
        ServingSetup setup = simulated.setup(options.model);
        MemoryPlan plan = Planner.plan(setup);
        if (!plan.fits()) throw new Errors.UserError("vLLM would not start this setup: " + plan.error(), Errors.FAILURE);
        EngineConfig config = EngineConfig.from(setup, plan);
        Api api = Api.parse(options.api);
        PromptFormat format = api == Api.CHAT ? PromptFormat.CHAT : PromptFormat.COMPLETIONS;
        Workload workload = Workload.parse(options.workload, options.inputLengths(), options.outputLengths());
        Slo slo = options.slo == null ? null : Slo.parse(options.slo);
        RunSettings settings = options.settings(api, setup.model().name(), Map.of(), "offline-");
        int measured = measuredCount(settings);
        List<Prompt> prompts = prompts(workload, settings, measured, counter(format, new SimTokenizer(config.vocabSize())));
        long[] arrivals = settings.pattern().isOpenLoop()
                ? Arrivals.offsetsNanos(measured, settings.pattern().ratePerSecond(), settings.pattern().burstiness(), settings.seed())
                : null;
        err.println(SimulatedTarget.headline(setup, "offline simulation (virtual clock)"));
        OfflineRunner.Result result = OfflineRunner.run(config, Roofline.from(setup, simulated.calibration()), prompts,
                settings.pattern(), arrivals, new OfflineRunner.Options(format, settings.exactOutput(), settings.warmup()));
        Files.createDirectories(dir);
        try (RequestLog log = RequestLog.open(dir.resolve("requests.jsonl"))) {
            result.records().forEach(log::append);
        }
        Summary summary = Summary.compute(result.records(), Math.max(1, result.durationNanos()), slo);
        write(dir, summary, result, setup, options, settings, workload);
        out.print(ServingBenchmarkTable.render(summary, settings.pattern().isCapped() ? settings.pattern().concurrency() : null,
                settings.pattern().isOpenLoop() ? settings.pattern().ratePerSecond() : null));
        out.println("Results in " + dir + " (predicted: " + result.steps() + " engine steps on a virtual clock)");
        out.flush();
        return 0;
    }

    private static int measuredCount(RunSettings s) {
        if (s.requests() > 0) return s.requests();
        if (s.pattern().isOpenLoop()) return Arrivals.countForDuration(s.duration().toNanos(), s.pattern().ratePerSecond());
        throw new Errors.UserError("--offline with a closed loop needs --requests (a --duration needs --rate)");
    }

    /** The warmup copies of the first prompt (as vLLM's --num-warmups), then the measured prompts. */
    private static List<Prompt> prompts(Workload workload, RunSettings s, int measured, TokenCounter counter) {
        List<Prompt> measuredPrompts = workload.prompts(measured, s.seed(), counter);
        List<Prompt> all = new ArrayList<>(s.warmup() + measured);
        for (int i = 0; i < s.warmup(); i++) all.add(measuredPrompts.get(0));
        all.addAll(measuredPrompts);
        return all;
    }

    /** Prompt lengths as the simulated server counts them, so the offline run sees the same prompts as a live one. */
    private static TokenCounter counter(PromptFormat format, SimTokenizer tokenizer) {
        return new TokenCounter() {
            @Override
            public int count(String system, String user) {
                return format.tokenize(tokenizer, new Prompt(system, user, 0, 1)).length;
            }

            @Override
            public String name() {
                return "simulator";
            }
        };
    }

    private static void write(Path dir, Summary summary, OfflineRunner.Result result, ServingSetup setup,
                              RunOptions options, RunSettings settings, Workload workload) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>(summary.toMap());
        EngineSnapshot engine = result.snapshot();
        // The engine's own counters under the keys a /metrics scrape of a real server gives (warmup included).
        json.put("server_preemptions", engine.preemptions());
        json.put("server_prompt_tokens", engine.promptTokens());
        json.put("server_generation_tokens", engine.generationTokens());
        json.put("server_prefix_cache_queries", engine.prefixCacheQueries());
        json.put("server_prefix_cache_hits", engine.prefixCacheHits());
        json.put("server_prefix_cache_hit_rate",
                engine.prefixCacheQueries() == 0 ? 0.0 : (double) engine.prefixCacheHits() / engine.prefixCacheQueries());
        json.put("server_num_gpu_blocks", engine.numGpuBlocks());
        json.put("engine_steps", result.steps());
        json.put("tokenizer", "simulator");
        json.put("predicted", true);
        SummaryJson.write(dir.resolve("summary.json"), json);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", "headroom");
        run.put("version", Headroom.version());
        run.put("command", "run --offline");
        run.put("inputs", options.resolved(null, settings, workload));
        run.put("tokenizer", "simulator");
        run.put("simulated_target", SimulatedTarget.describe(setup, "offline simulation"));
        RunYaml.write(dir.resolve("run.yaml"), run);
    }
}
