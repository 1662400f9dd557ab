package dev.headroom.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.spec.Gpu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GpuPoolTest {

    @Test
    void eachClassIsACatalogGpuAndTheLabelItsNodesCarry() {
        var pools = GpuPool.parseAll("t4=cloud.google.com/gke-accelerator=nvidia-tesla-t4, a100-40gb=nvidia.com/gpu.product=A100-SXM4-40GB");

        assertThat(pools).containsExactly(new GpuPool(Gpu.T4, "cloud.google.com/gke-accelerator", "nvidia-tesla-t4"),
                new GpuPool(Gpu.parse("a100-40gb"), "nvidia.com/gpu.product", "A100-SXM4-40GB"));
        assertThat(pools.get(1).name()).isEqualTo("a100-40gb");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "t4                                          | expected CLASS=LABEL=VALUE",
            "tpu=cloud.google.com/gke-tpu=v5             | 'tpu' is not a GPU headroom plans for",
            "t4=bad key=x                                | 'bad key' is not a Kubernetes label key",
            "t4=k=has space                              | 'has space' is not a Kubernetes label value",
            "t4=a=b,t4=c=d                               | names t4 twice"})
    void aBadEntryIsOneLineNamingIt(String option, String message) {
        assertThatThrownBy(() -> GpuPool.parseAll(option)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--gpu-class").hasMessageContaining(message);
    }

    @Test
    void studyNamesAreLabelValues() {
        assertThat(FleetSpec.studyName("My Study_2026")).isEqualTo("my-study-2026");
        assertThat(FleetSpec.studyName("___")).isEqualTo("study");
        assertThat(FleetSpec.studyName("x".repeat(60))).hasSize(40);
    }
}
