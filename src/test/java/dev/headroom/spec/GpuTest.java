package dev.headroom.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GpuTest {

    @Test
    void parsesCommandLineNames() {
        assertThat(Gpu.parse("h100")).isEqualTo(Gpu.H100);
        assertThat(Gpu.parse("A100-80GB")).isEqualTo(Gpu.A100_80GB);
        assertThat(Gpu.parse("a100_40gb")).isEqualTo(Gpu.A100_40GB);
        assertThat(Gpu.parse("a100-80gb-pcie")).isEqualTo(Gpu.A100_80GB_PCIE);
        assertThat(Gpu.values()).extracting(Gpu::id).containsExactly("t4", "l4", "a10g", "rtx3090", "rtx4090",
                "a100-40gb", "a100-80gb", "a100-80gb-pcie", "h100", "h200", "l40s", "rtx5090");
    }

    @Test
    void unknownGpuListsTheKnownOnes() {
        assertThatThrownBy(() -> Gpu.parse("v100"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--gpu: unknown GPU 'v100'; known: " + Gpu.names());
    }

    @Test
    void onlyAmpereAndNewerHaveBf16() {
        assertThat(Gpu.T4.supportsBf16()).isFalse();
        assertThat(Gpu.T4.computeCapability()).isEqualTo("7.5");
        assertThat(Gpu.L4.supportsBf16()).isTrue();
    }

    @Test
    void memoryIsWhatCudaReportsNotTheMarketingFigure() {
        assertThat(Gpu.T4.memoryGib()).isBetween(14.57, 14.75);
        assertThat(Gpu.H100.memoryGib()).isBetween(79.11, 79.19);
        assertThat(Gpu.L4.memoryGib()).isBetween(22.04, 22.05);
    }

    @Test
    void nearestPicksByMemoryAndTakesEightyGigabytesForAnH100() {
        assertThat(Gpu.nearest(14.6)).isEqualTo(Gpu.T4);
        assertThat(Gpu.nearest(79.2)).isEqualTo(Gpu.H100);
        assertThat(Gpu.nearest(Gpu.A100_80GB_PCIE.memoryGib())).isEqualTo(Gpu.H100);
        assertThat(Gpu.nearest(39.0)).isEqualTo(Gpu.A100_40GB);
    }

    @Test
    void overrideMemoryMustBePositive() {
        assertThat(new GpuSpec(Gpu.L4, 20).totalMemoryBytes()).isEqualTo(20L << 30);
        assertThatThrownBy(() -> new GpuSpec(Gpu.L4, 0)).hasMessageStartingWith("--gpu-memory-gib");
    }
}
