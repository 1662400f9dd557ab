package dev.headroom.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {

    @Test
    void theDefaultSpaceSearchesAnFp8KvCacheOnlyWhereTheGpuRunsFp8() {
        assertThat(SearchSpace.defaults(GpuSpec.of(Gpu.T4), 900, 32768).values().get(Knob.KV_CACHE_DTYPE)).containsExactly("auto");
        assertThat(SearchSpace.defaults(GpuSpec.of(Gpu.H100), 900, 32768).values().get(Knob.KV_CACHE_DTYPE))
                .containsExactly("auto", "fp8");
    }

    @Test
    void theDefaultMaxModelLenHoldsTheLongestRequestAndStaysWithinTheModel() {
        SearchSpace s = SearchSpace.defaults(GpuSpec.of(Gpu.T4), 1500, 32768);
        assertThat(s.values().get(Knob.MAX_MODEL_LEN)).containsExactly(2048, 4096);
        assertThat(SearchSpace.defaults(GpuSpec.of(Gpu.T4), 3000, 4096).values().get(Knob.MAX_MODEL_LEN)).containsExactly(4096);
        s.requireHolds(1500);
    }

    @Test
    void aParsedSpaceReplacesOnlyTheKnobsItNames() {
        SearchSpace s = SearchSpace.defaults(GpuSpec.of(Gpu.T4), 500, 32768)
                .overriddenBy(SearchSpace.parse("max_num_seqs=8,16; gpu-memory-utilization=0.7"));
        assertThat(s.values().get(Knob.MAX_NUM_SEQS)).containsExactly(8, 16);
        assertThat(s.values().get(Knob.GPU_MEMORY_UTILIZATION)).containsExactly(0.7);
        assertThat(s.values().get(Knob.MAX_NUM_BATCHED_TOKENS)).containsExactly(2048, 8192);
    }

    @Test
    void everyCombinationIsOneConfigInKnobOrder() {
        SearchSpace s = SearchSpace.parse("enable_prefix_caching=true,false;max_num_seqs=8,16,32");
        List<Map<String, Object>> configs = s.configs();
        assertThat(s.size()).isEqualTo(6);
        assertThat(configs).hasSize(6);
        assertThat(configs.get(0)).containsExactly(Map.entry("max_num_seqs", 8), Map.entry("enable_prefix_caching", true));
        assertThat(configs.get(1)).containsEntry("enable_prefix_caching", false);
    }

    @Test
    void badInputNamesSpaceTheValueAndWhatIsAccepted() {
        assertThatThrownBy(() -> SearchSpace.parse("max_num_sequences=8")).hasMessageContaining("--space: 'max_num_sequences'")
                .hasMessageContaining("max_num_seqs");
        assertThatThrownBy(() -> SearchSpace.parse("gpu_memory_utilization=1.5")).hasMessage(
                "--space: gpu_memory_utilization=1.5 is not a fraction in (0, 1]");
        assertThatThrownBy(() -> SearchSpace.parse("enable_prefix_caching=yes")).hasMessageContaining("true or false");
        assertThatThrownBy(() -> SearchSpace.parse("max_num_seqs")).hasMessageContaining("is not KNOB=V1,V2");
        assertThatThrownBy(() -> SearchSpace.parse("max_model_len=1024").requireHolds(1500))
                .hasMessageContaining("max_model_len=1024 is below the workload's longest request (1,500 tokens");
    }
}
