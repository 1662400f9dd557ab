package dev.headroom.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.VllmVersion;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Prompt;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepModelsTest {

    private static final ServingSetup L4 = ServingSetup.resolve(new ServeFlags("qwen2.5-0.5b-instruct", null, 8192, null,
            null, null, null, null, null, null, null, null, null), GpuSpec.of(Gpu.L4), VllmVersion.DEFAULT);

    private static StepCoefficients fit(boolean engineUsesFitted) {
        double[] shared = new double[StepBasis.ALL.size()];
        shared[StepBasis.PER_STEP.ordinal()] = 2;
        double[] ada = new double[StepBasis.ALL.size()];
        ada[StepBasis.PER_STEP.ordinal()] = 3;
        ada[StepBasis.FRONT_END.ordinal()] = 4;
        return new StepCoefficients(shared, Map.of(GpuClass.ADA, ada), 0.5, 0.5, 50, 130_560, 0.93, 30, engineUsesFitted, 5, 10);
    }

    /** The fitted model runs the engine only when it beat the roofline, with the GPU class's coefficients. */
    @Test
    void theFittedModelRunsTheEngineWhenItBeatTheRoofline() {
        StepCostModel cost = StepModels.forEngine(L4, RooflineCalibration.DEFAULTS, fit(true));
        assertThat(cost).isInstanceOf(BasisStepCost.class);
        assertThat(cost.stepNanos(new StepWork(1, 1, 10, 10, true))).as("3 ms per step: the Ada fit").isEqualTo(3_000_000);
        assertThat(cost.frontEnd().perRequestMs()).isEqualTo(4);
        assertThat(StepModels.forEngine(L4, RooflineCalibration.DEFAULTS, fit(false))).isInstanceOf(Roofline.class);
    }

    /** A user's own calibration keeps the roofline it calibrates. */
    @Test
    void aUsersCalibrationKeepsTheRoofline() {
        RooflineCalibration own = new RooflineCalibration(0.8, 0.5, 1.3, 50, 64, 10);
        assertThat(StepModels.forEngine(L4, own, fit(true))).isInstanceOf(Roofline.class);
    }

    /** A predicted run with the defaults shows the API server's fitted time outside the engine in its TTFT split. */
    @Test
    void aDefaultPredictedRunHasTimeOutsideTheEngine() {
        var frontEnd = StepCoefficients.BUNDLED.frontEnd();
        assertThat(frontEnd.perRequestMs()).as("the corpus fit keeps an API server cost").isPositive();
        var records = dev.headroom.engine.OfflineRunner.run(dev.headroom.engine.EngineConfig.from(L4, Planner.plan(L4)),
                StepModels.forEngine(L4, RooflineCalibration.DEFAULTS), List.of(new Prompt(null, "hello world", 2, 4)),
                LoadPattern.closedLoop(1), null, dev.headroom.engine.OfflineRunner.Options.defaults()).records();
        RequestRecord r = records.get(0);
        assertThat(r.engine().outsideEngineMs(r.ttftNanos() / 1e6))
                .isCloseTo(frontEnd.perRequestMs() + frontEnd.perPromptTokenUs() * r.promptTokens() / 1e3, within(0.01));
    }

    @Test
    void gpuClassesFollowComputeCapability() {
        assertThat(GpuClass.of(Gpu.T4)).isEqualTo(GpuClass.TURING);
        assertThat(GpuClass.of(Gpu.A100_80GB)).isEqualTo(GpuClass.AMPERE);
        assertThat(GpuClass.of(Gpu.RTX3090)).isEqualTo(GpuClass.AMPERE);
        assertThat(GpuClass.of(Gpu.L40S)).isEqualTo(GpuClass.ADA);
        assertThat(GpuClass.of(Gpu.H200)).isEqualTo(GpuClass.HOPPER);
    }
}
