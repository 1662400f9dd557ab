package dev.headroom.selftest;

import dev.headroom.engine.EngineConfig;
import dev.headroom.engine.OfflineRunner;
import dev.headroom.engine.PromptFormat;
import dev.headroom.engine.SimTokenizer;
import dev.headroom.plan.Planner;
import dev.headroom.plan.Roofline;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.VllmVersion;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Prompt;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How fast the offline runner simulates: a representative run (Llama-3.1-8B-Instruct on one H100 with vLLM's
 * defaults, closed loop at concurrency 256, random prompts of 256 tokens, 128 output tokens, ignore_eos) timed on
 * the calling thread, tokenization included, prompt generation excluded. Target: 100,000 requests in under 10 s.
 */
public final class OfflineThroughput {

    /**
     * The measurement.
     *
     * @param requests        requests simulated
     * @param steps           engine steps simulated
     * @param elapsedNanos    wall time of the run
     * @param cpuNanos        CPU time of the calling thread during the run (wall time on a busy machine overstates)
     * @param simulatedNanos  virtual time the run covered
     */
    public record Result(int requests, long steps, long elapsedNanos, long cpuNanos, long simulatedNanos) {
        public double requestsPerSecond() {
            return requests / (elapsedNanos / 1e9);
        }

        public double stepsPerSecond() {
            return steps / (elapsedNanos / 1e9);
        }
    }

    private OfflineThroughput() {}

    /** Runs {@code requests} requests and prints requests/s and steps/s to {@code out}. */
    public static Result run(PrintStream out, int requests) {
        if (requests < 1) throw new IllegalArgumentException("--requests must be at least 1, was " + requests);
        ServeFlags flags = new ServeFlags("llama-3.1-8b-instruct", null, 8192, null, null, null, null, null, null,
                null, null, null, null);
        ServingSetup setup = ServingSetup.resolve(flags, GpuSpec.of(Gpu.H100), VllmVersion.DEFAULT);
        EngineConfig config = EngineConfig.from(setup, Planner.plan(setup));
        List<Prompt> prompts = SimTokenizer.randomPrompts(requests, 256, 128, 42);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        OfflineRunner.Result r = OfflineRunner.run(config, Roofline.from(setup), prompts, LoadPattern.closedLoop(256),
                null, new OfflineRunner.Options(PromptFormat.COMPLETIONS, true, 0));
        Result result = new Result(requests, r.steps(), System.nanoTime() - start,
                threads.getCurrentThreadCpuTime() - cpuStart, r.durationNanos());
        out.printf(Locale.ROOT, "offline engine: %d requests, %d steps in %.2f s (%.2f s CPU): %.0f requests/s, "
                        + "%.0f steps/s (%.1f s simulated)%n", requests, result.steps(), result.elapsedNanos() / 1e9,
                result.cpuNanos() / 1e9, result.requestsPerSecond(), result.stepsPerSecond(),
                result.simulatedNanos() / 1e9);
        return result;
    }
}
