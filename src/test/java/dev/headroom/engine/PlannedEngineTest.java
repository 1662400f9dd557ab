package dev.headroom.engine;

import dev.headroom.plan.StepWork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.metrics.RequestRecord;
import dev.headroom.plan.MemoryPlan;
import dev.headroom.plan.Planner;
import dev.headroom.plan.Roofline;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.VllmVersion;
import dev.headroom.workload.LoadPattern;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine built from the planner: preemptions appear exactly where the planned KV cache runs out. */
class PlannedEngineTest {

    private static ServingSetup setup(String model, Gpu gpu, Integer maxModelLen) {
        ServeFlags flags = new ServeFlags(model, null, maxModelLen, null, null, null, null, null, null, null, null,
                null, null);
        return ServingSetup.resolve(flags, GpuSpec.of(gpu), VllmVersion.DEFAULT);
    }

    @Test
    void sweepOnASmallGpuPreemptsOnlyBeyondThePlannedKvCapacity() {
        ServingSetup setup = setup("qwen2.5-7b-instruct", Gpu.L4, 4096);
        MemoryPlan plan = Planner.plan(setup);
        EngineConfig config = EngineConfig.from(setup, plan);
        int in = 1024;
        int out = 1024;
        long fitting = plan.usableGpuBlocks() / Math.ceilDiv(in + out, config.blockSize());
        assertThat(fitting).as("the planner leaves room for some but not hundreds of requests").isBetween(4L, 100L);
        Roofline roofline = Roofline.from(setup);

        EngineSnapshot under = run(config, roofline, (int) fitting / 2, in, out);
        EngineSnapshot over = run(config, roofline, (int) fitting * 2, in, out);

        assertThat(under.preemptions()).isZero();
        assertThat(over.preemptions()).isPositive();
    }

    private static EngineSnapshot run(EngineConfig config, Roofline roofline, int concurrency, int in, int out) {
        OfflineRunner.Result result = OfflineRunner.run(config, roofline,
                TestWorkloads.random(concurrency * 2, in, out, 3), LoadPattern.closedLoop(concurrency), null,
                new OfflineRunner.Options(PromptFormat.COMPLETIONS, true, 0));
        List<RequestRecord> records = result.records();
        assertThat(records).hasSize(concurrency * 2).allMatch(r -> r.ok() && r.outputTokens() == out
                && r.chunkNanos().length == out && r.promptTokens() == in);
        return result.snapshot();
    }

    @Test
    void rooflineFromSetupUsesThePlannersModelAndGpu() {
        Roofline r = Roofline.from(setup("qwen2.5-0.5b-instruct", Gpu.L4, 8192));
        assertThat(r.inputs().weightBytes()).isCloseTo(0.988e9, within(0.03e9));
        assertThat(r.inputs().kvBytesPerToken()).isEqualTo(12_288);
        assertThat(r.inputs().memoryBandwidthBytesPerSec()).isEqualTo(300e9);
        // vLLM 0.11 schedules synchronously: the GPU step (about 1 GB of traffic at the fitted share of 300 GB/s and
        // 24 layers of the floor at the L4's 2,040 MHz; 5.1 ms published on 0.23, async) plus 1.35 ms of CPU.
        double gpuMs = 0.9997e9 / (300e9 * RooflineCalibration.DEFAULTS.mbu()) * 1e3
                + 24 * RooflineCalibration.DEFAULTS.layerFloorCycles() / 2040e6 * 1e3;
        assertThat(r.stepNanos(new StepWork(1, 1, 320, 320, true)) / 1e6).isCloseTo(gpuMs + 1.35, within(0.02));
    }

    @Test
    void configFromAPlanThatDoesNotFitCarriesVllmsError() {
        ServingSetup setup = setup("llama-3.1-8b-instruct", Gpu.L4, null);
        MemoryPlan plan = Planner.plan(setup);
        assertThat(plan.fits()).isFalse();
        assertThatThrownBy(() -> EngineConfig.from(setup, plan)).hasMessage(plan.error());
    }
}
