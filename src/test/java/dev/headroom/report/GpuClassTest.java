package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.spec.Gpu;
import org.junit.jupiter.api.Test;

class GpuClassTest {

    /** A playbook can name and price every GPU the catalog can simulate (the RTX 5090 once had no class). */
    @Test
    void everyCatalogGpuHasAPricedClass() {
        for (Gpu gpu : Gpu.values()) {
            GpuClass c = GpuClass.of(gpu.id());
            assertThat(c.id()).isEqualTo(gpu.id());
            assertThat(c.memoryGb()).as(gpu.id()).isPositive();
            assertThat(c.priced()).as(gpu.id()).isTrue();
        }
        assertThat(GpuClass.of("NVIDIA GeForce RTX 5090").label()).isEqualTo("RTX5090 32 GB");
        assertThat(GpuClass.of("NVIDIA A100 80GB PCIe").label()).isEqualTo("A100-PCIE 80 GB");
    }

    @Test
    void aGpuOutsideTheCatalogIsNamedAndUnpriced() {
        GpuClass c = GpuClass.of("MI300X");
        assertThat(c.label()).isEqualTo("MI300X");
        assertThat(c.priced()).isFalse();
    }
}
