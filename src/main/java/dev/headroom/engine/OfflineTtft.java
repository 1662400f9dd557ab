package dev.headroom.engine;

import dev.headroom.metrics.Numpy;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.plan.CalibrationPoint;
import dev.headroom.plan.FrontEndFit;
import dev.headroom.plan.MemoryPlan;
import dev.headroom.plan.Planner;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.plan.StepModels;
import dev.headroom.spec.ServingSetup;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Prompt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A calibration run as the offline engine predicts it, for {@code calibrate}'s fit of the API server's costs from
 * TTFT against load ({@link FrontEndFit.TtftModel}): a closed loop at the run's concurrency, every stream starting
 * at once, of distinct random prompts of the run's mean lengths ({@code ignore_eos}), {@value #WAVES} waves of it
 * (at least 20 requests, at most {@value #MAX_REQUESTS}); its median TTFT as the client sees it, the API server's
 * queue included. Deterministic (one seed).
 */
public final class OfflineTtft implements FrontEndFit.TtftModel {

    private static final int WAVES = 8;
    private static final long SEED = 42;
    /** Enough for a median: the fit simulates every run a few dozen times. */
    private static final int MAX_REQUESTS = 1024;

    private final ServingSetup setup;
    private final EngineConfig config;
    private final Map<List<Integer>, List<Prompt>> prompts = new HashMap<>();

    /** @throws IllegalArgumentException when vLLM would not start {@code setup} */
    public OfflineTtft(ServingSetup setup) {
        MemoryPlan plan = Planner.plan(setup);
        if (!plan.fits()) throw new IllegalArgumentException("calibrate: vLLM would not start: " + plan.error());
        this.setup = setup;
        this.config = EngineConfig.from(setup, plan);
    }

    @Override
    public double medianTtftMs(CalibrationPoint run, RooflineCalibration calibration) {
        int input = Math.max(1, (int) Math.round(run.inputTokens()));
        int output = Math.max(2, (int) Math.round(run.outputTokens()));
        int n = Math.max(20, Math.min(WAVES * run.concurrency(), MAX_REQUESTS));
        List<Prompt> sent = prompts.computeIfAbsent(List.of(input, output, n), k -> SimTokenizer.randomPrompts(n, input, output, SEED));
        OfflineRunner.Result r = OfflineRunner.run(config, StepModels.forEngine(setup, calibration), sent,
                LoadPattern.closedLoop(run.concurrency()), null, new OfflineRunner.Options(PromptFormat.COMPLETIONS, true, 0));
        return Numpy.median(r.records().stream().filter(RequestRecord::ok).mapToDouble(q -> q.ttftNanos() / 1e6).toArray());
    }
}
