package dev.headroom.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelSpecTest {

    /** Published parameter counts (model cards; reference §8). */
    @ParameterizedTest
    @CsvSource({"qwen2.5-0.5b-instruct, 0.494e9", "qwen2.5-1.5b-instruct, 1.544e9", "qwen2.5-7b-instruct, 7.616e9",
            "llama-3.1-8b-instruct, 8.030e9", "mistral-7b-instruct-v0.3, 7.248e9", "qwen3-8b, 8.19e9"})
    void parameterCountsMatchPublishedSizes(String name, double published) {
        assertThat((double) ModelSpec.resolve(name).parameterCount()).isCloseTo(published, within(published * 0.005));
    }

    @Test
    void llamaWeightsMatchVllmsModelLoadingLine() {
        // "Model loading took 14.9888 GiB" for Llama-3.1-8B in bf16 (reference §1.1): parameters plus the
        // rotary cos/sin cache of 131072 positions × 128 dims.
        long bytes = ModelSpec.resolve("llama-3.1-8b-instruct").weightBytes(Dtype.BFLOAT16, 1);
        assertThat(Units.gib(bytes)).isCloseTo(14.9888, within(0.00005));
    }

    @Test
    void aStepStreamsTheLmHeadButOnlyIndexesAnUntiedInputEmbedding() {
        // Llama-3.1-8B is untied: the input table (128256 x 4096 bf16, padded vocab 128256) and the rotary cache
        // (131072 x 128) are indexed, not read whole; Qwen2.5-0.5B ties its table to the LM head, read whole.
        ModelSpec llama = ModelSpec.resolve("llama-3.1-8b-instruct");
        double table = 128256.0 * 4096 * 2;
        double rope = 131072.0 * 128 * 2;
        assertThat(llama.streamedWeightBytes(Dtype.BFLOAT16, 1))
                .isCloseTo(llama.weightBytes(Dtype.BFLOAT16, 1) - table - rope, within(1.0));
        assertThat(llama.streamedWeightBytes(Dtype.BFLOAT16, 2))
                .isCloseTo(llama.weightBytes(Dtype.BFLOAT16, 2) - table / 2 - rope, within(1.0));
        ModelSpec tied = ModelSpec.resolve("qwen2.5-0.5b-instruct");
        assertThat(tied.weightBytes(Dtype.BFLOAT16, 1) - tied.streamedWeightBytes(Dtype.BFLOAT16, 1))
                .as("only the rotary cache (32768 x 64) is left out of a tied model").isCloseTo(32768.0 * 64 * 2, within(1.0));
        assertThat(llama.embeddingRowBytes(Dtype.BFLOAT16)).isEqualTo(4096 * 2);
    }

    @Test
    void tensorParallelismSplitsWeightsAndKvHeads() {
        ModelSpec llama = ModelSpec.resolve("llama-3.1-8b-instruct");
        long one = llama.weightBytes(Dtype.BFLOAT16, 1);
        long two = llama.weightBytes(Dtype.BFLOAT16, 2);
        assertThat((double) two).isCloseTo(one / 2.0, within(one * 0.01));
        assertThat(llama.kvHeadsPerGpu(2)).isEqualTo(4);
        assertThat(llama.kvHeadsPerGpu(16)).as("KV heads are replicated, never below one").isEqualTo(1);
    }

    @Test
    void resolvesByCatalogNameHfIdOrPath(@TempDir Path dir) throws IOException {
        assertThat(ModelSpec.resolve("Qwen/Qwen2.5-1.5B-Instruct").hiddenSize()).isEqualTo(1536);
        assertThat(ModelSpec.resolve("QWEN2.5-1.5B-INSTRUCT").numKeyValueHeads()).isEqualTo(2);
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"model_type": "llama", "hidden_size": 2048, "num_attention_heads": 16, "num_hidden_layers": 4,
                 "intermediate_size": 5632, "vocab_size": 32000, "max_position_embeddings": 2048,
                 "torch_dtype": "float16"}""");
        ModelSpec fromFile = ModelSpec.resolve(config.toString());
        assertThat(fromFile.numKeyValueHeads()).as("absent num_key_value_heads means MHA").isEqualTo(16);
        assertThat(fromFile.headDim()).isEqualTo(128);
        assertThat(ModelSpec.resolve(dir.toString()).hiddenSize()).as("a directory holding config.json").isEqualTo(2048);
    }

    @Test
    void qwen2HasQkvBiasAndTiedEmbeddings() {
        ModelSpec q = ModelSpec.resolve("qwen2.5-0.5b-instruct");
        assertThat(q.qkvBias()).isTrue();
        assertThat(q.tieWordEmbeddings()).isTrue();
        assertThat(q.slidingWindow()).as("use_sliding_window is false").isZero();
    }

    @Test
    void unknownModelNamesTheCatalog() {
        assertThatThrownBy(() -> ModelSpec.resolve("gpt-5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--model: 'gpt-5' is neither a catalog model (")
                .hasMessageContaining("llama-3.1-8b-instruct");
    }

    @Test
    void awqAndGptqCheckpointsWeighAboutAQuarter(@TempDir Path dir) throws IOException {
        ModelSpec bf16 = ModelSpec.resolve("qwen2.5-7b-instruct");
        ModelSpec awq = withQuantization(dir, "awq", "{\"quant_method\": \"awq\", \"bits\": 4, \"group_size\": 128}");
        ModelSpec gptq = withQuantization(dir, "gptq", "{\"quant_method\": \"gptq\", \"bits\": 4, \"group_size\": 128}");
        ModelSpec fp8 = withQuantization(dir, "fp8", "{\"quant_method\": \"fp8\"}");
        double full = bf16.weightBytes(Dtype.FLOAT16, 1);
        double embeddings = 2.0 * bf16.paddedVocabSize() * bf16.hiddenSize() * 2;
        double linear = full - embeddings;
        // 4-bit weights plus fp16 scales and packed zeros per 128-row group: 0.5 + 2.5/128 bytes per weight.
        assertThat(awq.weightBytes(Dtype.FLOAT16, 1) - embeddings).isCloseTo(linear / 2 * (0.5 + 2.5 / 128), within(linear * 0.01));
        assertThat(gptq.weightBytes(Dtype.FLOAT16, 1)).isGreaterThan(awq.weightBytes(Dtype.FLOAT16, 1));
        assertThat(fp8.weightBytes(Dtype.BFLOAT16, 1) - embeddings).isCloseTo(linear / 2, within(linear * 0.01));
    }

    private static ModelSpec withQuantization(Path dir, String name, String quantization) throws IOException {
        String base = new String(ModelSpec.class.getResourceAsStream("/dev/headroom/spec/models/qwen2.5-7b-instruct.json").readAllBytes());
        String config = base.replaceFirst("\\{", "{\"quantization_config\": " + quantization + ",");
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, config);
        return ModelSpec.resolve(file.toString());
    }

    @Test
    void yarnRopeScalingMultipliesTheContext(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"model_type": "qwen2", "hidden_size": 896, "num_attention_heads": 14, "num_key_value_heads": 2,
                 "num_hidden_layers": 24, "intermediate_size": 4864, "vocab_size": 151936,
                 "max_position_embeddings": 32768, "rope_scaling": {"type": "yarn", "factor": 4.0}}""");
        assertThat(ModelSpec.resolve(config.toString()).maxPositionEmbeddings()).isEqualTo(131072);
    }

    @Test
    void mixtureOfExpertsIsRefusedRatherThanMiscounted(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"model_type": "mixtral", "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 8,
                 "num_hidden_layers": 32, "intermediate_size": 14336, "vocab_size": 32000,
                 "max_position_embeddings": 32768, "num_local_experts": 8}""");
        assertThatThrownBy(() -> ModelSpec.resolve(config.toString()))
                .hasMessage("--model: '" + config + "' is a mixture-of-experts model (num_local_experts); that is outside "
                        + "what headroom's model covers (dense decoders only), so it does not guess");
    }

    @Test
    void hybridSlidingWindowModelsAreRefused(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"model_type": "gemma3_text", "hidden_size": 2560, "num_attention_heads": 8, "num_key_value_heads": 4,
                 "num_hidden_layers": 2, "intermediate_size": 10240, "vocab_size": 262208, "head_dim": 256,
                 "max_position_embeddings": 131072, "sliding_window": 1024,
                 "layer_types": ["sliding_attention", "full_attention"]}""");
        assertThatThrownBy(() -> ModelSpec.resolve(config.toString())).hasMessageContaining("mixes sliding-window");
    }

    @Test
    void mlaConfigsHaveOneLatentHead(@TempDir Path dir) throws IOException {
        Path config = ModelConfigFixtures.deepseekV2Mla(dir);
        ModelSpec m = ModelSpec.resolve(config.toString());
        assertThat(m.isMla()).isTrue();
        assertThat(m.headDim()).isEqualTo(576);
        assertThat(m.kvHeadsPerGpu(4)).isEqualTo(1);
    }
}
