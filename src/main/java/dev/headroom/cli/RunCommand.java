package dev.headroom.cli;

import dev.headroom.load.Api;
import dev.headroom.load.LoadRunner;
import dev.headroom.load.RequestBodies;
import dev.headroom.load.RunSettings;
import dev.headroom.load.ServerInfo;
import dev.headroom.load.Target;
import dev.headroom.metrics.PrometheusExposition;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.metrics.ServerMetrics;
import dev.headroom.metrics.Slo;
import dev.headroom.metrics.Summary;
import dev.headroom.report.RequestLog;
import dev.headroom.report.ServingBenchmarkTable;
import dev.headroom.report.SummaryJson;
import dev.headroom.server.SimLauncher;
import dev.headroom.server.SimServer;
import dev.headroom.spec.ServingSetup;
import dev.headroom.workload.Arrivals;
import dev.headroom.workload.Prompt;
import dev.headroom.workload.Workload;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom run}: one load point against an OpenAI-compatible server; writes requests.jsonl, summary.json, run.yaml. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Measure one load point against an OpenAI-compatible server (--url) and time every streamed token.",
                "Without --url the target is the embedded simulator: a simulated vLLM serving the playbook's chat recipe",
                "(Qwen2.5-1.5B-Instruct on a 16 GB T4, gpu_memory_utilization 0.8, max_model_len 4096, max_num_seqs 128)",
                "unless --model, --gpu and the vLLM serving flags say otherwise. --offline predicts the same on a virtual clock."})
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions options;

    @Mixin
    SimulatedTarget simulated;

    @Option(names = "--offline", description = {"Predict instead of measure: run the workload through the simulated vLLM engine",
            "on a virtual clock (no server, no waiting); same files as a measured run."})
    boolean offline;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path dir = options.outDir();
        if (offline) {
            if (options.url != null) throw new Errors.UserError("--offline simulates the server; it takes no --url");
            return OfflineRun.run(options, simulated, dir, spec.commandLine().getOut(), err);
        }
        if (options.url != null) {
            if (simulated.anyGiven()) {
                throw new Errors.UserError("--gpu, --calibration, --config and the vLLM serving flags describe a simulated "
                        + "target; a server at --url runs with its own settings (drop them, or drop --url)");
            }
            return measure(options.url, options.model, dir, null);
        }
        ServingSetup setup = simulated.setup(options.model);
        Files.createDirectories(dir);
        try (PrintStream serverLog = new PrintStream(Files.newOutputStream(dir.resolve("server.log")), true, StandardCharsets.UTF_8);
             SimServer sim = startEmbedded(setup, serverLog)) {
            err.println(SimulatedTarget.headline(setup, "embedded simulator (no --url given)") + "; its log is server.log");
            err.flush();
            return measure(sim.baseUrl(), null, dir, SimulatedTarget.describe(setup, "embedded simulator"));
        }
    }

    private SimServer startEmbedded(ServingSetup setup, PrintStream serverLog) throws java.io.IOException {
        String model = options.model != null ? options.model : SimLauncher.DEFAULT_MODEL;
        try {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("model", model);
            args.put("max_model_len", setup.serve().maxModelLen());
            args.put("gpu_memory_utilization", setup.serve().gpuMemoryUtilization());
            args.put("max_num_seqs", setup.serve().maxNumSeqs());
            return SimLauncher.start(setup, args, new SimLauncher.Listen("127.0.0.1", 0, model, null,
                    simulated.calibration(), serverLog, SimLauncher.VLLM_LOG_INTERVAL));
        } catch (SimLauncher.StartupFailure refused) {
            throw new Errors.UserError("the simulated server would not start: " + refused.getMessage(), Errors.FAILURE);
        }
    }

    private int measure(String url, String servedModel, Path dir, Map<String, Object> simulatedTarget) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Api api = Api.parse(options.api);
        Workload workload = Workload.parse(options.workload, options.inputLengths(), options.outputLengths());
        Slo slo = options.slo == null ? null : Slo.parse(options.slo);
        Map<String, Object> extraBody = options.extraBody == null ? Map.of() : RequestBodies.parseExtraBody(options.extraBody);
        Map<String, String> headers = options.headers();
        String apiKey = System.getenv(options.apiKeyEnv);
        try (Target target = connect(url, servedModel, api, apiKey, headers)) {
            if (!target.tokenizer().name().equals("server")) {
                err.println("headroom: warning: " + url + " has no /tokenize; prompt lengths are counted with "
                        + target.tokenizer().name() + " and may differ from the server's count");
            }
            RunSettings settings = options.settings(api, target.info().model(), extraBody, requestIdPrefix());
            List<Prompt> prompts = workload.prompts(promptCount(settings), options.seed, target.tokenizer());
            return measure(new Run(url, dir, target, settings, workload, prompts, slo, simulatedTarget), out, err);
        }
    }

    /** One measured run's resolved pieces. */
    private record Run(String url, Path dir, Target target, RunSettings settings, Workload workload, List<Prompt> prompts,
                       Slo slo, Map<String, Object> simulatedTarget) {}

    private Target connect(String url, String servedModel, Api api, String apiKey, Map<String, String> headers) {
        try {
            return Target.connect(url, apiKey, headers, servedModel, api);
        } catch (ServerInfo.UnreachableException e) {
            throw new Errors.UserError(e.getMessage(), Errors.USAGE);
        }
    }

    private int measure(Run run, PrintWriter out, PrintWriter err) throws Exception {
        Path dir = run.dir();
        RunSettings settings = run.settings();
        List<RequestRecord> records = Collections.synchronizedList(new ArrayList<>());
        LoadRunner runner = new LoadRunner(run.target().client(), settings);
        CountDownLatch written = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            runner.stop("interrupted by a signal");
            awaitQuietly(written);
        }, "headroom-run-shutdown");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try (RequestLog log = RequestLog.open(dir.resolve("requests.jsonl"));
             Progress progress = Progress.start(options.noProgress, expectedRequests(settings))) {
            PrometheusExposition before = ServerMetrics.scrape(run.url());
            LoadRunner.Outcome outcome = runner.run(run.prompts(), r -> {
                records.add(r);
                log.append(r);
                progress.step();
            });
            log.flush();
            progress.finish();
            Summary summary = Summary.compute(List.copyOf(records), Math.max(1, outcome.durationNanos()), run.slo());
            Map<String, Object> server = ServerMetrics.delta(before, ServerMetrics.scrape(run.url()));
            RunFiles.write(run, summary, outcome, server, options);
            out.print(ServingBenchmarkTable.render(summary, settings.pattern().isCapped() ? settings.pattern().concurrency() : null,
                    settings.pattern().isOpenLoop() ? settings.pattern().ratePerSecond() : null));
            out.println("Results in " + dir);
            out.flush();
            if (summary.completed() > 0 && summary.usageReportedFraction() < 1) {
                err.printf("headroom: warning: %.0f%% of completed requests had no usage from the server; their output tokens "
                        + "are counted as content chunks%n", 100 * (1 - summary.usageReportedFraction()));
            }
            if (outcome.health().clientLimited()) err.println("headroom: warning: the client may have limited this run: " + outcome.health().reason());
            if (outcome.stopReason() != null) {
                err.println("headroom: stopped early: " + outcome.stopReason() + "; partial results written to " + dir);
                return Errors.FAILURE;
            }
            return 0;
        } finally {
            written.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting on a signal: the hook is already running and waits for the files above.
            }
        }
    }

    private int promptCount(RunSettings s) {
        if (s.requests() > 0) return s.requests();
        if (s.pattern().isOpenLoop()) return Arrivals.countForDuration(s.duration().toNanos(), s.pattern().ratePerSecond());
        return RunOptions.DURATION_PROMPT_POOL;
    }

    private static Integer expectedRequests(RunSettings s) {
        if (s.requests() > 0) return s.requests();
        return s.pattern().isOpenLoop() ? Arrivals.countForDuration(s.duration().toNanos(), s.pattern().ratePerSecond()) : null;
    }

    private static String requestIdPrefix() {
        // vLLM bench serve: "bench-<8 hex>-<i>"; headroom marks its own.
        return String.format("headroom-%08x-", ThreadLocalRandom.current().nextInt());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Files of a run besides requests.jsonl: summary.json and run.yaml. */
    static final class RunFiles {
        private RunFiles() {}

        static void write(Run r, Summary summary, LoadRunner.Outcome outcome, Map<String, Object> serverMetrics,
                          RunOptions options) throws java.io.IOException {
            Map<String, Object> json = new LinkedHashMap<>(summary.toMap());
            json.putAll(serverMetrics);
            json.putAll(outcome.health().toMap());
            if (r.simulatedTarget() != null) json.put("client_cpu_includes_embedded_server", true);
            json.put("tokenizer", r.target().tokenizer().name());
            json.put("stopped_early", outcome.stopReason());
            SummaryJson.write(r.dir().resolve("summary.json"), json);
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("tool", "headroom");
            run.put("version", Headroom.version());
            run.put("command", "run");
            run.put("inputs", options.resolved(r.url(), r.settings(), r.workload()));
            run.put("tokenizer", r.target().tokenizer().name());
            run.put("server", r.target().info().toMap(r.target().client().endpoint().url()));
            if (r.simulatedTarget() != null) run.put("simulated_target", r.simulatedTarget());
            dev.headroom.report.RunYaml.write(r.dir().resolve("run.yaml"), run);
        }
    }

    /** A progress bar on a terminal; nothing in CI, with --no-progress, or when output is redirected. */
    interface Progress extends AutoCloseable {
        void step();

        /** Ends the bar before the table is printed; closing again is harmless. */
        default void finish() {
            close();
        }

        @Override
        void close();

        static Progress start(boolean disabled, Integer total) {
            if (disabled || System.console() == null || System.getenv("CI") != null) {
                return new Progress() {
                    public void step() { }

                    public void close() { }
                };
            }
            me.tongfei.progressbar.ProgressBar bar = new me.tongfei.progressbar.ProgressBarBuilder()
                    .setTaskName("requests").setInitialMax(total == null ? -1 : total).continuousUpdate().build();
            return new Progress() {
                private boolean closed;

                public void step() {
                    bar.step();
                }

                public synchronized void close() {
                    if (!closed) bar.close();
                    closed = true;
                }
            };
        }
    }
}
