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
import dev.headroom.workload.Arrivals;
import dev.headroom.workload.Prompt;
import dev.headroom.workload.Workload;
import java.io.PrintWriter;
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
        description = "Measure one load point against an OpenAI-compatible server (--url) and time every streamed token.")
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions options;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (options.url == null) throw new Errors.UserError("--url is required: the base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8000");
        Api api = Api.parse(options.api);
        Workload workload = Workload.parse(options.workload, options.inputLengths(), options.outputLengths());
        Slo slo = options.slo == null ? null : Slo.parse(options.slo);
        Map<String, Object> extraBody = options.extraBody == null ? Map.of() : RequestBodies.parseExtraBody(options.extraBody);
        Map<String, String> headers = options.headers();
        String apiKey = System.getenv(options.apiKeyEnv);
        try (Target target = connect(api, apiKey, headers)) {
            if (!target.tokenizer().name().equals("server")) {
                err.println("headroom: warning: " + options.url + " has no /tokenize; prompt lengths are counted with "
                        + target.tokenizer().name() + " and may differ from the server's count");
            }
            RunSettings settings = options.settings(api, target.info().model(), extraBody, requestIdPrefix());
            List<Prompt> prompts = workload.prompts(promptCount(settings), options.seed, target.tokenizer());
            return measure(target, settings, workload, prompts, slo, out, err);
        }
    }

    private Target connect(Api api, String apiKey, Map<String, String> headers) {
        try {
            return Target.connect(options.url, apiKey, headers, options.model, api);
        } catch (ServerInfo.UnreachableException e) {
            throw new Errors.UserError(e.getMessage(), Errors.USAGE);
        }
    }

    private int measure(Target target, RunSettings settings, Workload workload, List<Prompt> prompts, Slo slo,
                        PrintWriter out, PrintWriter err) throws Exception {
        Path dir = options.outDir();
        List<RequestRecord> records = Collections.synchronizedList(new ArrayList<>());
        LoadRunner runner = new LoadRunner(target.client(), settings);
        CountDownLatch written = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            runner.stop("interrupted by a signal");
            awaitQuietly(written);
        }, "headroom-run-shutdown");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try (RequestLog log = RequestLog.open(dir.resolve("requests.jsonl"));
             Progress progress = Progress.start(options.noProgress, expectedRequests(settings))) {
            PrometheusExposition before = ServerMetrics.scrape(options.url);
            LoadRunner.Outcome outcome = runner.run(prompts, r -> {
                records.add(r);
                log.append(r);
                progress.step();
            });
            log.flush();
            progress.finish();
            Summary summary = Summary.compute(List.copyOf(records), Math.max(1, outcome.durationNanos()), slo);
            Map<String, Object> server = ServerMetrics.delta(before, ServerMetrics.scrape(options.url));
            RunFiles.write(dir, summary, outcome, server, settings, options, target, workload);
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

        static void write(Path dir, Summary summary, LoadRunner.Outcome outcome, Map<String, Object> serverMetrics,
                          RunSettings settings, RunOptions options, Target target, Workload workload) throws java.io.IOException {
            Map<String, Object> json = new LinkedHashMap<>(summary.toMap());
            json.putAll(serverMetrics);
            json.putAll(outcome.health().toMap());
            json.put("tokenizer", target.tokenizer().name());
            json.put("stopped_early", outcome.stopReason());
            SummaryJson.write(dir.resolve("summary.json"), json);
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("tool", "headroom");
            run.put("version", Headroom.version());
            run.put("command", "run");
            run.put("inputs", options.resolved(settings, workload));
            run.put("tokenizer", target.tokenizer().name());
            run.put("server", target.info().toMap(target.client().endpoint().url()));
            dev.headroom.report.RunYaml.write(dir.resolve("run.yaml"), run);
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
