package dev.headroom.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.VllmVersion;
import org.junit.jupiter.api.Test;

class PruningTest {

    @Test
    void configsThePlannerRefusesArePrunedAndTheNearestRefusalKeepsItsReason() {
        SearchSpace space = SearchSpace.parse("gpu_memory_utilization=0.1,0.3,0.9;max_model_len=4096");
        Pruning p = Pruning.of(space, "llama-3.2-3b-instruct", GpuSpec.of(Gpu.T4), VllmVersion.DEFAULT);

        assertThat(p.candidates()).extracting(c -> c.values().get("gpu_memory_utilization")).containsExactly(0.9);
        assertThat(p.refused()).isEqualTo(2);
        // 0.3 leaves more of the budget for the KV cache than 0.1 does: it came closer to starting.
        assertThat(p.nearest().values()).containsEntry("gpu_memory_utilization", 0.3);
        assertThat(p.nearest().reason()).isNotBlank();
        assertThat(p.candidates().get(0).label()).isEqualTo("c002");
    }
}
