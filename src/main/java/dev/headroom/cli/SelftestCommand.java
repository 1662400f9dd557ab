package dev.headroom.cli;

import dev.headroom.selftest.ClientOverhead;
import dev.headroom.report.Browser;
import dev.headroom.selftest.Fidelity;
import dev.headroom.selftest.HeldOutErrors;
import dev.headroom.selftest.Layout;
import dev.headroom.selftest.LongContext;
import dev.headroom.selftest.OfflineThroughput;
import dev.headroom.selftest.PredictionErrorFile;
import dev.headroom.selftest.SimServerCapacity;
import dev.headroom.selftest.TuneBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code headroom selftest client|sim|offline|fidelity|tune|longctx|layout}: headroom's own benchmarks, printing the figures
 * the issues set, and the layout check of written reports.
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = {"Measure headroom itself on this machine: client, sim, offline, fidelity, tune, longctx or layout.",
                "  client   the load client's CPU µs per streamed chunk and its timing error (100, 256, 1000 streams)",
                "  sim      the simulated server with 2,000 concurrent streams: engine lateness and delivery delay",
                "  offline  the offline simulator's speed: 100,000 requests on a virtual clock",
                "  fidelity predictions against the public corpora: KV tokens and TPOT per case, then the step model's held-out error table",
                "  tune     tune on the demo's T4 chat: the search's configs, load points, time and starts beside a brute-force grid's",
                "  longctx  long prompts (1K-128K tokens): prompt fitting, client CPU per request, upload time, TTFT error",
                "  layout   DIR: every .html page under DIR in headless Chromium at 1280 px; fails on a table cut off,",
                "           clipped text or overlapping chart labels, naming each (e.g. selftest layout headroom-demo)"})
public final class SelftestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", defaultValue = "client", paramLabel = "WHAT",
            description = "client (default), sim, offline, fidelity, tune, longctx or layout.")
    String what;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DIR", description = "layout: the folder of the pages to check.")
    Path dir;

    @Option(names = "--streams", defaultValue = "100,256,1000",
            description = "Concurrent stream levels, e.g. 100,256,1000 (default: ${DEFAULT-VALUE}).")
    String streams;

    @Option(names = "--schedule", defaultValue = "lockstep",
            description = {"client: how the loopback server emits: lockstep (default; every stream's chunk of a step",
                    "together, as vLLM's engine does) or per-stream (each stream on its own clock)."})
    String schedule;

    @Option(names = "--lengths", defaultValue = "1024,8192,32768,131072",
            description = "longctx: prompt lengths in tokens, ascending, three or more to judge (default: ${DEFAULT-VALUE}).")
    String lengths;

    @Option(names = "--step", defaultValue = "20ms", converter = Durations.class,
            description = {"client: the loopback server's step, a chunk per stream per step (default: ${DEFAULT-VALUE});",
                    "1000 streams at 5ms schedule 200,000 chunks/s."})
    Duration step;

    @Option(names = "--window", defaultValue = "3s", converter = Durations.class,
            description = "Measured window per level (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--write-bands", paramLabel = "FILE",
            description = {"fidelity: also write the held-out prediction-error bands as JSON to FILE",
                    "(bundled: plan/prediction-error.json under src/main/resources/dev/headroom)."})
    Path writeBands;

    @Option(names = "--write-coefficients", paramLabel = "FILE",
            description = {"fidelity: also write the step model fitted on the whole corpus, the engine's",
                    "choice of step cost and the fit's held-out error to FILE",
                    "(bundled: plan/step-coefficients.json under src/main/resources/dev/headroom)."})
    Path writeCoefficients;

    @Option(names = "--write-errors", paramLabel = "FILE",
            description = {"fidelity: also write every held-out prediction behind the error table as CSV to FILE",
                    "(point, metric, engine, published, predicted, error)."})
    Path writeErrors;

    @Override
    public Integer call() throws Exception {
        if ((writeBands != null || writeCoefficients != null || writeErrors != null) && !what.equals("fidelity")) {
            throw new Errors.UserError("--write-bands, --write-coefficients and --write-errors are options of selftest fidelity, not of"
                    + " selftest " + what);
        }
        if (dir != null && !what.equals("layout")) {
            throw new Errors.UserError("selftest " + what + " takes no folder (" + dir + "); only selftest layout DIR does");
        }
        switch (what) {
            case "client" -> { }
            case "sim" -> {
                return SimServerCapacity.run(System.out).passed() ? 0 : Errors.FAILURE;
            }
            case "offline" -> {
                OfflineThroughput.run(System.out, 100_000);
                return 0;
            }
            case "fidelity" -> {
                Fidelity.Report report = Fidelity.run(System.out);
                if (writeBands != null) {
                    PredictionErrorFile.write(writeBands, report.steps(), report.outcomes());
                    System.out.println("prediction-error bands written to " + writeBands);
                }
                if (writeCoefficients != null) {
                    PredictionErrorFile.writeText(writeCoefficients, report.steps().coefficients().json());
                    System.out.println("step-model coefficients written to " + writeCoefficients);
                }
                if (writeErrors != null) {
                    HeldOutErrors.write(writeErrors, report.steps());
                    System.out.println("held-out predictions written to " + writeErrors);
                }
                return Fidelity.meetsTargets(report.summaries()) ? 0 : Errors.FAILURE;
            }
            case "tune" -> {
                return TuneBenchmark.run(System.out) ? 0 : Errors.FAILURE;
            }
            case "longctx" -> {
                LongContext.Verdict verdict = LongContext.run(System.out, promptLengths(), LongContext.DEFAULT_REQUESTS).verdict();
                return verdict == LongContext.Verdict.SLOW_DOWN ? Errors.FAILURE : 0;
            }
            case "layout" -> {
                return layout();
            }
            default -> throw new Errors.UserError("selftest '" + what + "' is not known; use client, sim, offline, fidelity, tune, longctx or layout");
        }
        int[] levels = NumberLists.integers("--streams", streams).stream().mapToInt(Integer::intValue).toArray();
        for (int level : levels) {
            if (level < 1) throw new Errors.UserError("--streams levels must be at least 1, was " + level);
        }
        if (step.toMillis() < 1 || step.toNanos() % 1_000_000 != 0) {
            throw new Errors.UserError("--step '" + step.toMillis() + "ms' must be a whole number of milliseconds, at least 1ms");
        }
        ClientOverhead.run(System.out, levels, window, switch (schedule) {
            case "lockstep" -> true;
            case "per-stream" -> false;
            default -> throw new Errors.UserError("--schedule '" + schedule + "' is not known; use lockstep or per-stream");
        }, (int) step.toMillis());
        return 0;
    }

    private int layout() throws Exception {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new Errors.UserError("selftest layout needs a folder of HTML pages, e.g. selftest layout headroom-demo; "
                    + (dir == null ? "none was given" : dir + " is not a folder"));
        }
        Browser browser = Browser.find().orElseThrow(() -> new Errors.UserError("selftest layout needs headless Chromium: "
                + "none of " + String.join(", ", Browser.NAMES) + " is on PATH; " + Browser.INSTALL));
        return Layout.run(spec.commandLine().getOut(), browser, dir).passed() ? 0 : Errors.FAILURE;
    }

    private int[] promptLengths() {
        int[] tokens = NumberLists.integers("--lengths", lengths).stream().mapToInt(Integer::intValue).toArray();
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 1 || i > 0 && tokens[i] <= tokens[i - 1]) {
                throw new Errors.UserError("--lengths '" + lengths + "' must be ascending token counts of at least 1, e.g. 1024,8192,131072");
            }
        }
        return tokens;
    }
}
