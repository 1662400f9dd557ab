package dev.headroom.plan;

import static dev.headroom.plan.PlanFixtures.flags;
import static dev.headroom.plan.PlanFixtures.setup;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.ModelConfigFixtures;
import dev.headroom.spec.ModelSpec;
import dev.headroom.spec.ServeConfig;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.VllmVersion;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KvCacheLayoutTest {

    /** Page size per layer, block 16, bf16 (reference §8: 8 / 16 / 32 / 64 KiB). */
    @ParameterizedTest
    @CsvSource({"qwen2.5-0.5b-instruct, 8192", "qwen2.5-1.5b-instruct, 16384", "qwen2.5-7b-instruct, 32768",
            "llama-3.1-8b-instruct, 65536", "mistral-7b-instruct-v0.3, 65536"})
    void pageSizeIsTwoTimesBlockTimesKvHeadsTimesHeadDimTimesDtype(String model, long pageBytes) {
        assertThat(KvCacheLayout.of(setup(model, Gpu.H100, "0.11.0", null, 8192)).pageSizeBytes()).isEqualTo(pageBytes);
    }

    @Test
    void fp8AndTensorParallelismHalveThePage() {
        ServingSetup fp8 = setup("llama-3.1-8b-instruct", Gpu.H100, "0.11.0", flags(null, 8192, null, null, "fp8", null));
        ServingSetup tp2 = setup("llama-3.1-8b-instruct", Gpu.H100, "0.11.0", flags(null, 8192, null, null, null, 2));
        assertThat(KvCacheLayout.of(fp8).pageSizeBytes()).isEqualTo(32768);
        assertThat(KvCacheLayout.of(tp2).pageSizeBytes()).isEqualTo(32768);
    }

    @Test
    void blocksAreTheFloorOfAvailableOverPageOverLayers() {
        KvCacheLayout llama = new KvCacheLayout(32, 16, 65536, 0);
        long twoMib = 2L << 20;
        assertThat(llama.numBlocks(1000 * twoMib + twoMib - 1)).isEqualTo(1000);
        assertThat(llama.numBlocks(twoMib - 1)).isZero();
        assertThat(llama.numBlocks(-5)).isZero();
        assertThat(llama.bytesPerRequest(32768, 2048)).isEqualTo(4L << 30);
    }

    @Test
    void estimatedMaxLengthIsWholeBlocksThatFit() {
        // Reference §1.3: 4.00 GiB needed for 32768 tokens, 2.51 GiB available, estimated 20544 (= 1284 blocks).
        KvCacheLayout llama = new KvCacheLayout(32, 16, 65536, 0);
        long available = 1284 * (2L << 20) + 1_000_000;
        assertThat(llama.estimatedMaxModelLen(available, 32768, 2048)).isEqualTo(20544);
        assertThat(llama.estimatedMaxModelLen(1000, 32768, 2048)).isZero();
    }

    @Test
    void slidingWindowCapsWhatOneRequestHolds() {
        KvCacheLayout mistral = new KvCacheLayout(32, 16, 65536, 4096);
        // cdiv(min(4096 - 1 + 2048, 32768), 16) + 1 = 385 blocks.
        assertThat(mistral.blocksPerRequest(32768, 2048)).isEqualTo(385);
        assertThat(mistral.blocksPerRequest(1000, 2048)).isEqualTo(64);
    }

    @Test
    void mlaPagesHoldOneLatentVectorWithoutTheFactorTwo(@TempDir Path dir) throws IOException {
        Path config = ModelConfigFixtures.deepseekV2Mla(dir);
        ModelSpec m = ModelSpec.resolve(config.toString());
        GpuSpec gpu = GpuSpec.of(Gpu.H100);
        ServeConfig s = ServeConfig.resolve(ServeFlags.NONE, m, gpu, VllmVersion.DEFAULT);
        // MLAAttentionSpec: 16 tokens × 576 × 2 bytes.
        assertThat(KvCacheLayout.of(new ServingSetup(m, gpu, s)).pageSizeBytes()).isEqualTo(16 * 576 * 2);
    }
}
