package dev.headroom.selftest;

import dev.headroom.analysis.Objectives;
import dev.headroom.load.Api;
import dev.headroom.pipeline.LoadPoint;
import dev.headroom.pipeline.PointContext;
import dev.headroom.pipeline.PointEvents;
import dev.headroom.pipeline.SignalStop;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.results.TuneJson;
import dev.headroom.server.SimLauncher;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ModelSpec;
import dev.headroom.spec.VllmVersion;
import dev.headroom.sweep.ServerLaunchers;
import dev.headroom.sweep.SimSettings;
import dev.headroom.tune.LongestRequest;
import dev.headroom.plan.PredictionBands;
import dev.headroom.tune.PredictionBand;
import dev.headroom.tune.SearchSpace;
import dev.headroom.tune.TuneObjective;
import dev.headroom.tune.TuneRun;
import dev.headroom.tune.TuneSettings;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Lengths;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * {@code headroom selftest tune}: {@code tune} on the demo's T4 chat workload (prompts around 256 tokens, answers
 * around 48), its default space, confirmed against simulated servers; prints the search's size, time and load points
 * and the confirmation's starts and GPU-minutes beside what a brute-force grid of the same space would take.
 */
public final class TuneBenchmark {

    /** The budget: the offline search within this many seconds. */
    static final double SEARCH_BUDGET_SECONDS = 30;
    /** The budget: at most this many server starts. */
    static final int START_BUDGET = 8;

    private TuneBenchmark() {}

    /** Runs the benchmark in a fresh temporary folder; true when it kept both budgets. */
    public static boolean run(PrintStream out) throws IOException {
        Path dir = Files.createTempDirectory("headroom-selftest-tune");
        LoadPoint base = new LoadPoint(Api.CHAT, "chat", null, Lengths.normal(48, 24, 16, 160), LoadPattern.closedLoop(1),
                100, null, 0, 0, true, Map.of(), Duration.ofMinutes(10), 1, null);
        GpuSpec t4 = GpuSpec.of(Gpu.T4);
        String model = SimLauncher.DEFAULT_MODEL;
        ModelSpec spec = ModelSpec.resolve(model);
        SearchSpace space = SearchSpace.defaults(t4, LongestRequest.tokens(base, spec), spec.maxPositionEmbeddings());
        SimSettings sim = new SimSettings(t4, VllmVersion.DEFAULT, RooflineCalibration.DEFAULTS, model);
        TuneObjective objective = new TuneObjective("chat", Objectives.DEFAULTS, null, 0.01);
        TuneSettings settings = new TuneSettings(base, objective, space, model, t4, VllmVersion.DEFAULT,
                RooflineCalibration.DEFAULTS, TuneSettings.strategy("auto"),
                PredictionBand.published(PredictionBands.published(), objective, t4, base),
                ServerLaunchers.of("sim", sim, null), START_BUDGET);
        TuneJson t;
        try (SignalStop signal = SignalStop.none()) {
            t = TuneRun.run(settings, new PointContext(dir, "selftest tune", PointEvents.NONE, signal,
                    PointContext.DEFAULT_SCRAPE_INTERVAL), line -> out.println("  " + line)).json();
        }
        out.println();
        out.printf(Locale.US, "%-26s %8s %12s %10s %8s %12s%n", "", "configs", "load points", "time", "starts", "GPU-minutes");
        out.printf(Locale.US, "%-26s %8d %12d %9.1fs %8d %12.2f%n", "tune (" + t.strategy() + ")", t.spaceSize() - t.refused(),
                t.searchPoints() + t.confirmation().loadPoints(), t.searchSeconds(), t.confirmation().starts(),
                t.confirmation().gpuMinutes());
        out.printf(Locale.US, "%-26s %8d %12d %10s %8d %12s%n", "brute-force grid", t.bruteForce().starts(),
                t.bruteForce().loadPoints(), "-", t.bruteForce().starts(),
                t.bruteForce().gpuMinutes() == null ? "not known" : String.format(Locale.US, "%.1f", t.bruteForce().gpuMinutes()));
        out.printf(Locale.US, "chosen by %s: %s (%s %s measured, %s predicted); results in %s%n", t.chosenBy(),
                t.chosen().values(), num(t.chosen().measured()), t.unit(), num(t.chosen().predicted()), dir);
        boolean kept = t.searchSeconds() <= SEARCH_BUDGET_SECONDS && t.confirmation().starts() <= START_BUDGET;
        out.printf(Locale.US, "%s: search %.1f s (budget %.0f s), %d starts (budget %d)%n", kept ? "PASS" : "FAIL",
                t.searchSeconds(), SEARCH_BUDGET_SECONDS, t.confirmation().starts(), START_BUDGET);
        return kept;
    }

    private static String num(Double v) {
        return v == null ? "not measured" : String.format(Locale.US, "%.1f", v);
    }
}
