package dev.headroom.engine;

import dev.headroom.metrics.Numpy;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.plan.CalibrationPoint;
import dev.headroom.plan.MemoryPlan;
import dev.headroom.plan.Planner;
import dev.headroom.plan.Roofline;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.plan.RunModel;
import dev.headroom.spec.ServingSetup;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Prompt;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A calibration run as the offline engine predicts it, for {@code calibrate}'s fits ({@link RunModel}): a closed
 * loop at the run's concurrency, every stream starting at once, of distinct random prompts of the run's mean lengths
 * ({@code ignore_eos}), as many requests as the run completed (where not known {@value #WAVES} waves of it, at least
 * 20), at most {@value #MAX_REQUESTS}: the waves of a short run shape its medians; its median
 * TPOT and its median TTFT as the client sees it, the API server's queue included. The steps are the roofline's
 * under the calibration, as the engine runs every calibration file. Deterministic (one seed); each run and
 * calibration is simulated once.
 */
public final class OfflineMedians implements RunModel {

    private static final int WAVES = 8;
    private static final long SEED = 42;
    /** Enough for a median: the fits simulate every run a few dozen times. */
    private static final int MAX_REQUESTS = 1024;

    private record Shape(int input, int output, int concurrency, int requests) {}

    private final ServingSetup setup;
    private final EngineConfig config;
    private final Map<Shape, List<Prompt>> prompts = new HashMap<>();
    private final Map<Shape, Map<RooflineCalibration, Medians>> simulated = new HashMap<>();

    /** @throws IllegalArgumentException when vLLM would not start {@code setup} */
    public OfflineMedians(ServingSetup setup) {
        MemoryPlan plan = Planner.plan(setup);
        if (!plan.fits()) throw new IllegalArgumentException("calibrate: vLLM would not start: " + plan.error());
        this.setup = setup;
        this.config = EngineConfig.from(setup, plan);
    }

    @Override
    public Medians medians(CalibrationPoint run, RooflineCalibration calibration) {
        Shape shape = new Shape(Math.max(1, (int) Math.round(run.inputTokens())),
                Math.max(2, (int) Math.round(run.outputTokens())), run.concurrency(),
                Math.min(run.requests() > 0 ? run.requests() : Math.max(20, WAVES * run.concurrency()), MAX_REQUESTS));
        return simulated.computeIfAbsent(shape, s -> new HashMap<>()).computeIfAbsent(calibration, c -> simulate(shape, c));
    }

    private Medians simulate(Shape shape, RooflineCalibration calibration) {
        List<Prompt> sent = prompts.computeIfAbsent(shape,
                s -> SimTokenizer.randomPrompts(s.requests(), s.input(), s.output(), SEED));
        // Not StepModels.forEngine: a calibration file always runs the roofline, and the fit moves its constants.
        OfflineRunner.Result r = OfflineRunner.run(config, Roofline.from(setup, calibration), sent,
                LoadPattern.closedLoop(shape.concurrency()), null, new OfflineRunner.Options(PromptFormat.COMPLETIONS, true, 0));
        List<RequestRecord> ok = r.records().stream().filter(RequestRecord::ok).toList();
        double[] tpot = ok.stream().filter(q -> q.outputTokens() > 1)
                .mapToDouble(q -> (q.e2elNanos() - q.ttftNanos()) / 1e6 / (q.outputTokens() - 1)).toArray();
        return new Medians(Numpy.median(tpot), Numpy.median(ok.stream().mapToDouble(q -> q.ttftNanos() / 1e6).toArray()));
    }
}
