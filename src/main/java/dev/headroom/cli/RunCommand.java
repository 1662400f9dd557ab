package dev.headroom.cli;

import dev.headroom.metrics.GpuMetrics;
import dev.headroom.pipeline.EmbeddedSimulator;
import dev.headroom.pipeline.LoadPoint;
import dev.headroom.pipeline.PointContext;
import dev.headroom.pipeline.PointError;
import dev.headroom.pipeline.PointEvents;
import dev.headroom.pipeline.PointResult;
import dev.headroom.pipeline.PointTarget;
import dev.headroom.pipeline.RunPoint;
import dev.headroom.pipeline.SignalStop;
import dev.headroom.pipeline.ToolError;
import dev.headroom.report.ServingBenchmarkTable;
import dev.headroom.server.SimServer;
import dev.headroom.spec.ServingSetup;
import dev.headroom.workload.LoadPattern;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom run}: one load point against an OpenAI-compatible server; writes requests.jsonl, summary.json, run.yaml. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Measure one load point against an OpenAI-compatible server (--url) and time every streamed token.",
                "Without --url the target is the embedded simulator: `vllm serve Qwen/Qwen2.5-1.5B-Instruct` on a",
                "16 GB T4 with vLLM's own defaults (gpu_memory_utilization 0.9, the model's full context, the batch limits",
                "vLLM's API server picks for the GPU)",
                "unless --model, --gpu and the vLLM serving flags say otherwise. --offline predicts the same on a virtual clock."})
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions options;

    @Mixin
    SimulatedTarget simulated;

    @Option(names = "--workload", defaultValue = "chat", description = "chat, summarize, random or dataset:PATH (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--concurrency", description = "Requests in flight: the closed-loop level (default 1), or the cap of an open loop.")
    Integer concurrency;

    @Option(names = "--rate", description = "Open loop: arrivals per second (gamma gaps, vLLM's schedule).")
    Double rate;

    @Option(names = "--offline", description = {"Predict instead of measure: run the workload through the simulated vLLM engine",
            "on a virtual clock (no server, no waiting); same files as a measured run."})
    boolean offline;

    @Override
    public Integer call() throws Exception {
        Path dir = options.outDir("run");
        LoadPoint point = options.loadPoint(workload, pattern(), options.slo());
        if (offline && options.url != null) throw new Errors.UserError("--offline simulates the server; it takes no --url");
        GpuMetrics gpu = options.gpuMetrics(options.url == null);
        if (options.url != null && simulated.anyGiven()) {
            throw new Errors.UserError("--gpu, --calibration, --config and the vLLM serving flags describe a simulated "
                    + "target; a server at --url runs with its own settings (drop them, or drop --url)");
        }
        try (SignalStop signal = SignalStop.install(); Progress progress = Progress.start(options.noProgress || offline,
                point.expectedRequests())) {
            PointContext ctx = new PointContext(dir, offline ? "run --offline" : "run", events(progress), signal,
                    PointContext.DEFAULT_SCRAPE_INTERVAL, gpu);
            PointResult result = run(point, ctx);
            RunPoint.writeReports(dir);
            progress.finish();
            return report(point, result, dir);
        } catch (PointError e) {
            throw new Errors.UserError(e.getMessage(), e.kind() == PointError.Kind.UNREACHABLE ? Errors.USAGE : Errors.FAILURE);
        } catch (IllegalArgumentException | Errors.UserError badInput) {
            throw badInput;
        } catch (IOException | RuntimeException e) {
            throw new Errors.UserError("headroom failed during the run (a tool error, not the server's doing): "
                    + ToolError.cause(e) + "; what was written so far is in " + dir, Errors.FAILURE);
        }
    }

    private LoadPattern pattern() {
        if (concurrency != null && concurrency < 1) throw new IllegalArgumentException("--concurrency must be at least 1, was " + concurrency);
        // A trace's rate is its own (RunOptions sets it); only the cap comes from here.
        if (options.trace != null && concurrency == null) return LoadPattern.openLoop(1, 1, 0);
        return rate == null ? LoadPattern.closedLoop(concurrency == null ? 1 : concurrency)
                : LoadPattern.openLoop(rate, options.burstiness, concurrency == null ? 0 : concurrency);
    }

    private PointResult run(LoadPoint point, PointContext ctx) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (options.url != null) return RunPoint.run(point, options.measured(options.url, options.model, null, null), ctx);
        ServingSetup setup = simulated.setup(options.model);
        if (offline) {
            PointResult predicted = RunPoint.run(point, new PointTarget.Predicted(setup, simulated.calibration(),
                    SimulatedTarget.describe(setup, "offline simulation")), ctx);
            err.println(SimulatedTarget.headline(setup, "offline simulation (virtual clock)"));
            err.flush();
            return predicted;
        }
        Files.createDirectories(ctx.dir());
        Path log = ctx.dir().resolve("server.log");
        try (PrintStream serverLog = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
             SimServer sim = EmbeddedSimulator.start(setup, options.model, simulated.calibration(), serverLog)) {
            err.println(SimulatedTarget.headline(setup, "embedded simulator (no --url given)") + "; its log is server.log");
            err.flush();
            return RunPoint.run(point, options.measured(sim.baseUrl(), null,
                    SimulatedTarget.describe(setup, "embedded simulator"), log), ctx);
        }
    }

    private PointEvents events(Progress progress) {
        PrintWriter err = spec.commandLine().getErr();
        return new PointEvents() {
            @Override
            public void warn(String message) {
                err.println("headroom: warning: " + message);
            }

            @Override
            public void requestDone() {
                progress.step();
            }
        };
    }

    private int report(LoadPoint point, PointResult result, Path dir) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(ServingBenchmarkTable.render(result.summary(), point.concurrencyOrNull(), point.rateOrNull()));
        SummaryLines.print(out, result.summaryJson());
        out.println(result.predicted() ? "Results in " + dir + " (predicted: " + result.engineSteps()
                + " engine steps on a virtual clock)" : "Results in " + dir);
        out.flush();
        if (result.stopReason() != null) {
            spec.commandLine().getErr().println("headroom: stopped early: " + result.stopReason()
                    + "; partial results written to " + dir);
            return Errors.FAILURE;
        }
        if (result.summary().noneSucceeded()) {
            spec.commandLine().getErr().println("headroom: no request succeeded (failures by kind: "
                    + result.summary().failedByKind() + "); every request and its error is in " + dir.resolve("requests.jsonl"));
            return Errors.FAILURE;
        }
        return 0;
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
