package dev.headroom.sweep;

import dev.headroom.pipeline.PointTarget;
import dev.headroom.pipeline.SimulatedSetup;
import dev.headroom.plan.MemoryPlan;
import dev.headroom.plan.Planner;
import dev.headroom.spec.ServingSetup;
import dev.headroom.sweep.ConfigOutcome.Status;
import dev.headroom.sweep.Launch.StartFailure;
import java.io.IOException;
import java.util.List;

/**
 * A config of {@code sweep --offline}: the planner decides whether vLLM would start it. One it would refuse is
 * {@code failed_to_start} with the message vLLM would log, classified as a launched server's log is; the others
 * run the load grid on the simulator's virtual clock with the config's setup. Nothing reports KV figures, so the
 * reported columns stay empty.
 */
public final class PredictedConfig implements ConfigSweep.ConfigRun {

    private final LoadGrid loads;
    private final SimSettings sim;

    public PredictedConfig(LoadGrid loads, SimSettings sim) {
        this.loads = loads;
        this.sim = sim;
    }

    @Override
    public ConfigOutcome run(ServeVariant variant, PlanCheck plan) throws IOException {
        ServingSetup setup;
        try {
            setup = PlanCheck.setup(variant, sim, false);
        } catch (IllegalArgumentException bad) {
            // As SimServerLauncher: vLLM rejects a bad flag before anything else, in headroom's words naming the key.
            return failed(variant, plan, new StartupClassifier.Finding(StartFailure.BAD_CONFIG, bad.getMessage()));
        }
        MemoryPlan memory = Planner.plan(setup);
        if (!memory.fits()) return failed(variant, plan, vllmRefusal(memory.error()));
        PointTarget.Predicted target = new PointTarget.Predicted(setup, sim.calibration(),
                SimulatedSetup.describe(setup, "offline simulation"));
        loads.runOn(variant.label(), LoadGrid.configColumns(plan.serverValues()), target, () -> true);
        return new ConfigOutcome(variant.label(), plan, Status.RAN, null, null, null, null);
    }

    /**
     * vLLM's start-up error as its log shows it: a {@code ValueError} in the API server or the engine core
     * (server/StartupLog; vllm/v1/core/kv_cache_utils.py, vllm/config.py), classified like a real log line.
     */
    static StartupClassifier.Finding vllmRefusal(String plannerError) {
        String line = "ValueError: " + plannerError;
        return StartupClassifier.classify(List.of(line))
                .orElseGet(() -> new StartupClassifier.Finding(StartFailure.EXITED, line));
    }

    private static ConfigOutcome failed(ServeVariant variant, PlanCheck plan, StartupClassifier.Finding why) {
        return new ConfigOutcome(variant.label(), plan, Status.FAILED_TO_START, why.cause(), why.message(), null, null);
    }
}
