package dev.headroom.cli;

import dev.headroom.analysis.Objectives;
import dev.headroom.pipeline.LoadPoint;
import dev.headroom.pipeline.PointContext;
import dev.headroom.pipeline.PointEvents;
import dev.headroom.pipeline.SignalStop;
import dev.headroom.plan.PredictionBands;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.results.TuneJson;
import dev.headroom.server.SimLauncher;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ModelSpec;
import dev.headroom.spec.VllmVersion;
import dev.headroom.sweep.ServerLauncher;
import dev.headroom.sweep.ServerLaunchers;
import dev.headroom.sweep.SimSettings;
import dev.headroom.tune.LongestRequest;
import dev.headroom.tune.PredictionBand;
import dev.headroom.tune.SearchSpace;
import dev.headroom.tune.TuneObjective;
import dev.headroom.tune.TuneRun;
import dev.headroom.tune.TuneSettings;
import dev.headroom.workload.LoadPattern;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom tune}: the best vLLM config for a workload and SLO, searched on the simulator, confirmed on servers. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = {"Find the vLLM config that serves a workload best: search the serving settings on the simulator's",
                "virtual clock (configs the planner says cannot start are pruned first), rank them with each prediction's band,",
                "then start the winner and its contenders (--server, default the simulator) and choose by measurement.",
                "Chat is judged by the highest load meeting the SLO, summarize by output tokens/s (with --job-requests and",
                "--deadline: the job's deadline). Writes tune.json, the chosen config as a vllm serve YAML, and every point's folder."})
public final class TuneCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions options;

    @Option(names = "--workload", defaultValue = "chat", description = "The workload to tune for: chat, summarize, random, dataset:PATH (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--gpu", defaultValue = "t4", paramLabel = "GPU", description = "The GPU tuned for (default: ${DEFAULT-VALUE}).")
    String gpu;

    @Option(names = "--vllm-version", defaultValue = "0.11.0", paramLabel = "VERSION", description = "The vLLM release whose defaults and arithmetic apply (default: ${DEFAULT-VALUE}).")
    String vllmVersion;

    @Option(names = "--calibration", paramLabel = "FILE", description = "Roofline calibration the search predicts with (default: the documented defaults).")
    Path calibration;

    @Option(names = "--server-calibration", paramLabel = "FILE",
            description = "With --server sim: the calibration the simulated servers run with, standing in for the real GPU (default: --calibration).")
    Path serverCalibration;

    @Option(names = "--space", paramLabel = "GRID",
            description = {"Knob values to search, replacing the defaults of the knobs named, e.g. 'max_num_seqs=64,128;gpu_memory_utilization=0.9'.",
                    "Knobs: max_num_seqs, max_num_batched_tokens, gpu_memory_utilization, max_model_len, enable_prefix_caching,",
                    "enable_chunked_prefill, kv_cache_dtype."})
    String space;

    @Option(names = "--search", defaultValue = "auto", description = "auto, exhaustive or successive-halving (default: ${DEFAULT-VALUE}: exhaustive when it runs within 10 s).")
    String search;

    @Option(names = "--server", paramLabel = "KIND|COMMAND", defaultValue = "sim",
            description = "What confirms: sim (the simulator, started per config; the default), vllm, or a command with {config} and {port}.")
    String server;

    @Option(names = "--no-confirm", description = "Search only: start no server, choose by prediction.")
    boolean noConfirm;

    @Option(names = "--max-starts", defaultValue = "8", description = "The most servers confirmation starts (default: ${DEFAULT-VALUE}).")
    int maxStarts;

    @Option(names = "--band", paramLabel = "PERCENT", description = "Each prediction's band, ± percent (default: "
            + "headroom's published held-out error for the GPU, model size and metric; give your own after calibrating "
            + "on your runs).")
    Double bandPercent;

    @Option(names = "--startup-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "How long each started server may take to answer /health (default 10m).")
    Duration startupTimeout;

    @Option(names = "--objective", description = "latency or throughput (default: throughput for summarize, latency for the rest).")
    String objective;

    @Option(names = "--job-requests", paramLabel = "N", description = "With --deadline: a batch job of N requests that must finish in time.")
    Long jobRequests;

    @Option(names = "--deadline", paramLabel = "DURATION", converter = Durations.class, description = "When the --job-requests job must be done, e.g. 2h.")
    Duration deadline;

    @Option(names = "--scrape-interval", defaultValue = "500ms", converter = Durations.class,
            description = "How often a server's /metrics is sampled during a point (default: ${DEFAULT-VALUE}).")
    Duration scrapeInterval;

    @Override
    public Integer call() throws Exception {
        if (options.url != null) {
            throw new Errors.UserError("--url: tune starts a server per config it confirms (--server); a server already "
                    + "running has one config, which 'headroom sweep --url' measures");
        }
        if (options.trace != null || options.turns != null) {
            throw new Errors.UserError("tune takes single-turn workloads (chat, summarize, random, dataset:PATH); drop --trace and --turns");
        }
        if (bandPercent != null && !(bandPercent >= 0)) {
            throw new Errors.UserError("--band " + bandPercent + ": a band is a percent of the predicted figure, 0 or more");
        }
        if ((jobRequests == null) != (deadline == null)) {
            throw new Errors.UserError("--job-requests and --deadline go together: a job of N requests due by a deadline");
        }
        GpuSpec gpuSpec = GpuSpec.of(Gpu.parse(gpu));
        VllmVersion version = VllmVersion.parse(vllmVersion);
        String model = options.model != null ? options.model : SimLauncher.DEFAULT_MODEL;
        ModelSpec modelSpec = ModelSpec.resolve(model);
        RooflineCalibration searchCalibration = calibration == null ? RooflineCalibration.DEFAULTS : RooflineCalibration.load(calibration);
        LoadPoint base = options.loadPoint(workload, LoadPattern.closedLoop(1), options.slo());
        SearchSpace searched = searchSpace(base, gpuSpec, modelSpec);
        Objectives objectives = new Objectives(Objectives.parse(objective),
                jobRequests == null ? null : new Objectives.Job(jobRequests, deadline));
        ServerLauncher launcher = noConfirm ? null : launcher(gpuSpec, version, model, searchCalibration);
        TuneObjective tuneObjective = new TuneObjective(workload, objectives, options.slo(), 0.01);
        TuneSettings settings = new TuneSettings(base, tuneObjective, searched, model, gpuSpec, version,
                searchCalibration, TuneSettings.strategy(search),
                bandPercent == null ? PredictionBand.published(PredictionBands.published(), tuneObjective, gpuSpec, base)
                        : candidate -> bandPercent, launcher, maxStarts);
        Path dir = options.outDir("tune");
        PrintWriter err = spec.commandLine().getErr();
        TuneRun.Outcome outcome;
        try (SignalStop signal = SignalStop.install()) {
            PointContext ctx = new PointContext(dir, "tune", PointEvents.NONE, signal, scrapeInterval);
            outcome = TuneRun.run(settings, ctx, line -> {
                if (!options.noProgress) {
                    err.println("headroom: " + line);
                    err.flush();
                }
            });
        }
        print(dir, outcome.json());
        if (outcome.missing() != null) throw new Errors.UserError(outcome.missing(), Errors.FAILURE);
        return 0;
    }

    private SearchSpace searchSpace(LoadPoint base, GpuSpec gpuSpec, ModelSpec modelSpec) {
        int longest = LongestRequest.tokens(base, modelSpec);
        SearchSpace defaults = SearchSpace.defaults(gpuSpec, longest, modelSpec.maxPositionEmbeddings());
        SearchSpace searched = space == null ? defaults : defaults.overriddenBy(SearchSpace.parse(space));
        searched.requireHolds(longest);
        return searched;
    }

    private ServerLauncher launcher(GpuSpec gpuSpec, VllmVersion version, String model, RooflineCalibration searchCalibration) {
        RooflineCalibration onServer = serverCalibration == null ? searchCalibration : RooflineCalibration.load(serverCalibration);
        ServerLaunchers.requireProgram(server);
        return ServerLaunchers.of(server, new SimSettings(gpuSpec, VllmVersion.parse(vllmVersion), onServer, model), startupTimeout);
    }

    private void print(Path dir, TuneJson t) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.US, "Chosen by %s for %s on %s (%s, %s): %s%n", t.chosenBy(), t.workload(), t.gpu(),
                t.objective(), t.slo(), t.chosen().values());
        out.printf(Locale.US, "  predicted %.1f %s%s%n", t.chosen().predicted(), t.unit(),
                t.chosen().measured() == null ? "" : String.format(Locale.US, ", measured %.1f", t.chosen().measured()));
        if (t.confirmation() != null) {
            out.printf(Locale.US, "  %d server starts, %.2f GPU-minutes; a brute-force grid: %d starts, %d load points%n",
                    t.confirmation().starts(), t.confirmation().gpuMinutes(), t.bruteForce().starts(), t.bruteForce().loadPoints());
        }
        out.println("Tune results in " + dir + ": tune.json, tuned.yaml, search/, points/, servers/");
        out.flush();
    }
}
