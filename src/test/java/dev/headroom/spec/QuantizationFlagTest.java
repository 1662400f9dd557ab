package dev.headroom.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuantizationFlagTest {

    private static ServingSetup resolve(String model, String q) {
        ServeFlags f = new ServeFlags(model, null, 4096, null, null, null, null, null, null, null, null, null, null, q);
        return ServingSetup.resolve(f, GpuSpec.of(Gpu.L4), VllmVersion.parse("0.11.0"));
    }

    @Test
    void fp8OnAnUnquantizedCheckpointHalvesTheLinearWeights() {
        long bf16 = resolve("llama-3.1-8b-instruct", null).model().weightBytes(Dtype.BFLOAT16, 1);
        long fp8 = resolve("llama-3.1-8b-instruct", "fp8").model().weightBytes(Dtype.BFLOAT16, 1);
        assertThat(fp8).isLessThan(bf16 * 6 / 10).isGreaterThan(bf16 / 2);
    }

    @Test
    void bitsandbytesStoresFourBitsAndAnAbsmaxPerBlock() {
        ModelSpec m = resolve("llama-3.1-8b-instruct", "bitsandbytes").model();
        assertThat(m.quantization().method()).isEqualTo("bitsandbytes");
        assertThat(m.quantization().linearBytes(4096, 4096, 2)).isEqualTo(4096 * 4096 / 2.0 + 4 * 4096 * 4096 / 64.0);
    }

    @Test
    void methodsThatNeedACheckpointConfigAreRefusedAsVllmDoes() {
        assertThatThrownBy(() -> resolve("llama-3.1-8b-instruct", "awq"))
                .hasMessageStartingWith("Cannot find the config file for awq");
        assertThatThrownBy(() -> resolve("llama-3.1-8b-instruct", "nonsense"))
                .hasMessageContaining("--quantization").hasMessageContaining("nonsense");
    }

    @Test
    void marlinOverridesTheCheckpointFamilyAndAMismatchIsVllmsError() {
        Quantization awq = new Quantization("awq", 4, 128);
        assertThat(Quantization.fromFlag("awq_marlin", awq)).isEqualTo(awq);
        assertThat(Quantization.fromFlag("compressed-tensors", awq)).isEqualTo(awq);
        assertThatThrownBy(() -> Quantization.fromFlag("gptq", awq)).hasMessage("Quantization method specified in the "
                + "model config (awq) does not match the quantization method specified in the `quantization` argument (gptq).");
    }
}
