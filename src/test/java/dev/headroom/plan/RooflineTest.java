package dev.headroom.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.plan.StepWork;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.VllmArgs;
import dev.headroom.spec.VllmVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RooflineTest {

    /** Qwen2.5-0.5B-Instruct BF16 on an L4 (vllm-internals.md §8, §9). */
    static RooflineInputs qwen05bOnL4(boolean enforceEager) {
        return new RooflineInputs(0.494e9 * 2, 12_288, 24, 896, 14, 64, 0.494e9, 151_936, true, 300e9, 121e12,
                2040e6, enforceEager, 256, 2048);
    }

    @Test
    void captureSizesFollowVllmCompilationConfig() {
        int[] sizes = Roofline.cudaGraphCaptureSizes(256, 2048);
        assertThat(sizes).startsWith(1, 2, 4, 8, 16, 24).containsSequence(240, 248, 256, 272).endsWith(480, 496, 512);
        assertThat(sizes).hasSize(3 + 31 + 17);
        assertThat(Roofline.cudaGraphCaptureSizes(16, 2048)).endsWith(24, 32);
        assertThat(Roofline.cudaGraphCaptureSizes(256, 100)).endsWith(96);
    }

    @Test
    void decodeBatchesArePaddedUnlessEager() {
        Roofline graphs = new Roofline(qwen05bOnL4(false), RooflineCalibration.DEFAULTS);
        Roofline eager = new Roofline(qwen05bOnL4(true), RooflineCalibration.DEFAULTS);
        StepWork decode5 = new StepWork(5, 5, 5 * 300, 5 * 300, true);
        StepWork mixed = new StepWork(5, 205, 1000, 20_000, false);
        assertThat(graphs.paddedTokens(decode5)).isEqualTo(8);
        assertThat(eager.paddedTokens(decode5)).isEqualTo(5);
        assertThat(graphs.paddedTokens(mixed)).isEqualTo(205);
        assertThat(graphs.paddedTokens(new StepWork(600, 600, 600, 600, true))).isEqualTo(600);
        assertThat(graphs.computeSeconds(decode5)).isGreaterThan(eager.computeSeconds(decode5));
    }

    /**
     * Worked example, Qwen2.5-0.5B on L4 under vLLM 0.23 (async scheduling), one stream at context 320 (256 in,
     * mid-way through 128 out): bytes = 0.988 GB weights + 320 × 12,288 B KV + 151,936 × 48 B sampler = 0.9997 GB;
     * at 300 GB/s × the fitted mbu (about 0.90) that is about 3.70 ms; plus 24 layers of the fitted floor (about
     * 110,000 cycles, 54 µs at the L4's 2,040 MHz) = about 5.0 ms; CPU (1.35 ms) is hidden. Published: TPOT 5.13 ms
     * ((E2E p50 679 - TTFT p50 27) / 127), ITL p50 5.1 ms: within 5% (the hand-solved 0.93 and 64 µs came from this
     * point and gave 5.12). Without async scheduling the CPU time adds.
     */
    @Test
    void singleStreamDecodeMatchesThePublishedL4Point() {
        Roofline r = new Roofline(qwen05bOnL4(false).withAsyncScheduling(true), RooflineCalibration.DEFAULTS);
        StepWork one = new StepWork(1, 1, 320, 320, true);
        double memoryMs = 0.9997e9 / (300e9 * RooflineCalibration.DEFAULTS.mbu()) * 1e3;
        assertThat(r.memorySeconds(one) * 1e3).isCloseTo(memoryMs, within(0.01));
        assertThat(r.computeSeconds(one)).isLessThan(r.memorySeconds(one) / 10);
        double gpuMs = memoryMs + 24 * RooflineCalibration.DEFAULTS.layerFloorCycles() / 2040e6 * 1e3;
        assertThat(r.stepNanos(one) / 1e6).isCloseTo(gpuMs, within(0.01)).isCloseTo(5.13, within(0.05 * 5.13));
        Roofline sync = new Roofline(qwen05bOnL4(false), RooflineCalibration.DEFAULTS);
        assertThat(sync.stepNanos(one) / 1e6).isCloseTo(gpuMs + 1.35, within(0.01));
    }

    /** The floor grows with depth: a 48-layer model of the same bytes pays twice the 24-layer floor. */
    @Test
    void floorGrowsWithLayers() {
        RooflineInputs shallow = qwen05bOnL4(false).withAsyncScheduling(true);
        RooflineInputs deep = new RooflineInputs(shallow.weightBytes(), shallow.kvBytesPerToken(), 48, 896, 14, 64,
                0.494e9, 151_936, true, 300e9, 121e12, 2040e6, false, 256, 2048, true, 0);
        StepWork one = new StepWork(1, 1, 0, 0, true);
        double extra = new Roofline(deep, RooflineCalibration.DEFAULTS).gpuSeconds(one)
                - new Roofline(shallow, RooflineCalibration.DEFAULTS).gpuSeconds(one);
        assertThat(extra * 1e6).isCloseTo(24 * RooflineCalibration.DEFAULTS.layerFloorCycles() / 2040, within(30.0));
    }

    /** The floor is cycles of the GPU's clock: at half the clock the same layers take twice as long. */
    @Test
    void floorIsCyclesOfTheClock() {
        RooflineInputs l4 = qwen05bOnL4(false).withAsyncScheduling(true);
        RooflineInputs slow = new RooflineInputs(l4.weightBytes(), l4.kvBytesPerToken(), 24, 896, 14, 64, 0.494e9,
                151_936, true, 300e9, 121e12, 1020e6, false, 256, 2048, true, 0);
        RooflineCalibration cal = RooflineCalibration.DEFAULTS.withMemory(0.93, 130_560);
        assertThat(new Roofline(l4, cal).layerFloorSeconds() * 1e6).isCloseTo(64, within(1e-9));
        assertThat(new Roofline(slow, cal).layerFloorSeconds() * 1e6).isCloseTo(128, within(1e-9));
        assertThat(Roofline.from(PlanFixtures.setup("qwen2.5-0.5b-instruct", Gpu.A100_80GB, "0.23.0", null, null), cal)
                .layerFloorSeconds() * 1e6).as("1,410 MHz").isCloseTo(130_560 / 1410.0, within(1e-9));
    }

    /** A 2,048-token prefill on the same GPU is compute-bound: 2·0.358e9·2048 + attention ≫ bytes. */
    @Test
    void largePrefillIsComputeBound() {
        Roofline r = new Roofline(qwen05bOnL4(false), RooflineCalibration.DEFAULTS);
        StepWork prefill = new StepWork(1, 2048, 2048, 2048 * 1024.0, false);
        assertThat(r.computeSeconds(prefill)).isGreaterThan(r.memorySeconds(prefill));
        double expectedFlops = 2 * qwen05bOnL4(false).perTokenMatmulParams() * 2048 + 2.0 * 151_936 * 896
                + 4.0 * 24 * 14 * 64 * 2048 * 1024.0;
        assertThat(r.computeSeconds(prefill))
                .isCloseTo(expectedFlops / (121e12 * RooflineCalibration.DEFAULTS.mfu()), within(1e-9));
    }

    @Test
    void calibrationFileOverridesNamedKeysAndRejectsUnknownOnes(@TempDir Path dir) throws IOException {
        Path yaml = Files.writeString(dir.resolve("cal.yaml"), "mbu: 0.7\nstep_overhead_ms: 2.5\n");
        RooflineCalibration cal = RooflineCalibration.load(yaml);
        assertThat(cal).isEqualTo(new RooflineCalibration(0.7, RooflineCalibration.DEFAULTS.mfu(), 2.5,
                RooflineCalibration.DEFAULTS.perSeqOverheadUs(), RooflineCalibration.DEFAULTS.layerFloorCycles(),
                RooflineCalibration.DEFAULTS.bandPercent()));
        Path json = Files.writeString(dir.resolve("cal.json"), "{\"mfu\": 0.4, \"per_seq_overhead_us\": 0}");
        assertThat(RooflineCalibration.load(json).mfu()).isEqualTo(0.4);
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "mbu: 0.7\nmbw: 0.5\n");
        assertThatThrownBy(() -> RooflineCalibration.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown key 'mbw'").hasMessageContaining("mbu, mfu");
        Path old = Files.writeString(dir.resolve("old.yaml"), "layer_floor_us: 64\n");
        assertThatThrownBy(() -> RooflineCalibration.load(old)).hasMessageContaining("layer_floor_us is no longer read")
                .hasMessageContaining("layer_floor_cycles");
        Path range = Files.writeString(dir.resolve("range.yaml"), "mfu: 1.5\n");
        assertThatThrownBy(() -> RooflineCalibration.load(range)).hasMessage("mfu must be in (0, 1], was 1.5");
    }

    /**
     * FP8 weights run their GEMMs on FP8 tensor cores (twice the 16-bit rate) from compute capability 8.9 and
     * weight-only (Marlin, 16-bit rate) below; INT8 w8a8 from 7.5; the LM head stays at the 16-bit rate.
     */
    @Test
    void eightBitGemmsRunAtTwiceTheSixteenBitRateWhereTheGpuHasTheCores() {
        assertThat(linear("--quantization fp8", Gpu.H100)).isEqualTo(2 * Gpu.H100.tensorFlopsPerSecond());
        assertThat(linear("--quantization fp8", Gpu.L4)).isEqualTo(2 * Gpu.L4.tensorFlopsPerSecond());
        assertThat(linear("--quantization fp8", Gpu.A100_80GB)).isEqualTo(Gpu.A100_80GB.tensorFlopsPerSecond());
        assertThat(linear("", Gpu.H100)).isEqualTo(Gpu.H100.tensorFlopsPerSecond());

        Roofline bf16 = Roofline.from(setup("", Gpu.H100));
        Roofline fp8 = Roofline.from(setup("--quantization fp8", Gpu.H100));
        StepWork prefill = new StepWork(1, 4096, 0, 4096.0 * 4097 / 2, false);
        assertThat(fp8.peakComputeSeconds(prefill)).as("the LM head and attention stay at the 16-bit rate")
                .isGreaterThan(bf16.peakComputeSeconds(prefill) / 2).isLessThan(0.6 * bf16.peakComputeSeconds(prefill));
    }

    private static double linear(String args, Gpu gpu) {
        return Roofline.from(setup(args, gpu)).inputs().linearFlopsPerSec();
    }

    private static ServingSetup setup(String args, Gpu gpu) {
        ServeFlags flags = VllmArgs.fromCommandLine(args).overriddenBy(new ServeFlags("qwen3-8b", null, null, null, null,
                null, null, null, null, null, null, null, null, null));
        return ServingSetup.resolve(flags, GpuSpec.of(gpu), VllmVersion.parse("0.30.0"));
    }
}
