package dev.headroom.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServeConfigTest {

    private static final ModelSpec LLAMA = ModelSpec.resolve("llama-3.1-8b-instruct");
    private static final ModelSpec QWEN = ModelSpec.resolve("qwen2.5-1.5b-instruct");

    private static ServeConfig defaults(ModelSpec model, Gpu gpu, String version) {
        return ServeConfig.resolve(ServeFlags.NONE, model, GpuSpec.of(gpu), VllmVersion.parse(version));
    }

    /** EngineArgs.get_batch_defaults for the OpenAI server: big non-A100 GPUs get 8192 / 1024. */
    @ParameterizedTest
    @CsvSource({"h100, 0.11.0, 8192, 1024", "h200, 0.9.2, 8192, 1024", "a100-80gb, 0.11.0, 2048, 256",
            "l4, 0.11.0, 2048, 256", "t4, 0.10.1, 2048, 256", "h100, 0.8.5, 8192, 256", "a10g, 0.8.5, 2048, 256"})
    void v1BatchDefaultsFollowTheGpuClass(String gpu, String version, int batchedTokens, int seqs) {
        ServeConfig s = defaults(LLAMA, Gpu.parse(gpu), version);
        assertThat(s.maxNumBatchedTokens()).isEqualTo(batchedTokens);
        assertThat(s.maxNumSeqs()).isEqualTo(seqs);
        assertThat(s.enableChunkedPrefill()).isTrue();
        assertThat(s.enablePrefixCaching()).isTrue();
        assertThat(s.gpuMemoryUtilization()).isEqualTo(0.9);
        assertThat(s.blockSize()).isEqualTo(16);
    }

    /** arg_utils.py: a defaulted budget is at most max_num_seqs x max_model_len (binds for a tiny context). */
    @Test
    void aDefaultedBudgetNeverExceedsWhatMaxNumSeqsFullRequestsCouldUse() {
        ServeFlags tiny = new ServeFlags(null, null, 4, 2, null, null, null, null, null, null, null, null, null);
        ServeConfig s = ServeConfig.resolve(tiny, QWEN, GpuSpec.of(Gpu.L4), VllmVersion.parse("0.11.0"));
        assertThat(s.maxNumBatchedTokens()).isEqualTo(8);
        assertThat(s.maxNumSeqs()).isEqualTo(2);
    }

    /** vllm serve MODEL with no flag: 0.9, the config's full context (Qwen2.5-1.5B: 32768), 2048 / 256 on a T4. */
    @Test
    void noFlagTakesTheFullContextAndUtilization09() {
        ServeConfig s = defaults(QWEN, Gpu.T4, "0.11.0");
        assertThat(s.maxModelLen()).isEqualTo(32768);
        assertThat(s.gpuMemoryUtilization()).isEqualTo(0.9);
        assertThat(s.maxNumSeqs()).isEqualTo(256);
        assertThat(s.maxNumBatchedTokens()).isEqualTo(2048);
    }

    @Test
    void memoryOverrideDecidesTheBigGpuDefaults() {
        ServeConfig s = ServeConfig.resolve(ServeFlags.NONE, LLAMA, new GpuSpec(Gpu.L40S, 75), VllmVersion.DEFAULT);
        assertThat(s.maxNumBatchedTokens()).isEqualTo(8192);
    }

    @Test
    void v0TurnsChunkedPrefillOnOnlyForLongContexts() {
        ServeConfig shortCtx = defaults(QWEN, Gpu.L4, "0.6.3");
        assertThat(shortCtx.maxModelLen()).isEqualTo(32768);
        assertThat(shortCtx.enableChunkedPrefill()).isFalse();
        assertThat(shortCtx.maxNumBatchedTokens()).as("max(max_model_len, 2048)").isEqualTo(32768);
        assertThat(shortCtx.enablePrefixCaching()).isFalse();
        ServeConfig longCtx = defaults(LLAMA, Gpu.L4, "0.6.3");
        assertThat(longCtx.enableChunkedPrefill()).isTrue();
        assertThat(longCtx.maxNumBatchedTokens()).isEqualTo(2048);
    }

    @Test
    void bf16FallsBackToFp16OnT4FromVersion09() {
        assertThat(defaults(QWEN, Gpu.T4, "0.11.0").dtype()).isEqualTo(Dtype.FLOAT16);
        assertThat(defaults(QWEN, Gpu.T4, "0.11.0").fellBackToFp16(QWEN)).isTrue();
        assertThat(defaults(QWEN, Gpu.T4, "0.8.5").dtype()).isEqualTo(Dtype.BFLOAT16);
        assertThat(defaults(QWEN, Gpu.L4, "0.11.0").dtype()).isEqualTo(Dtype.BFLOAT16);
    }

    @Test
    void fp8KvCacheHalvesBytes() {
        ServeFlags fp8 = new ServeFlags(null, null, null, null, null, null, null, null, "fp8", null, null, null, null);
        assertThat(ServeConfig.resolve(fp8, LLAMA, GpuSpec.of(Gpu.H100), VllmVersion.DEFAULT).kvCacheDtypeBytes()).isEqualTo(1);
        assertThat(defaults(LLAMA, Gpu.H100, "0.11.0").kvCacheDtypeBytes()).isEqualTo(2);
    }

    @Test
    void yamlUsesVllmsKeysEitherSpellingAndCommandLineWins(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("serve.yaml");
        Files.writeString(yaml, """
                model: qwen2.5-1.5b-instruct
                host: "127.0.0.1"
                port: 8000
                gpu_memory_utilization: 0.85
                max-model-len: 8K
                max-num-seqs: 64
                enable-prefix-caching: false
                enforce-eager: true
                kv-cache-dtype: fp8
                """);
        ServeFlags file = ServeFlags.fromYaml(yaml);
        assertThat(file.model()).isEqualTo("qwen2.5-1.5b-instruct");
        assertThat(file.gpuMemoryUtilization()).isEqualTo(0.85);
        assertThat(file.maxModelLen()).isEqualTo(8192);
        assertThat(file.enablePrefixCaching()).isFalse();
        assertThat(file.enforceEager()).isTrue();
        ServeFlags cli = new ServeFlags(null, null, null, 32, null, null, null, null, null, null, null, null, null);
        ServeFlags merged = file.overriddenBy(cli);
        assertThat(merged.maxNumSeqs()).isEqualTo(32);
        assertThat(merged.maxModelLen()).isEqualTo(8192);
    }

    @Test
    void yamlRejectsUnknownKeysAndBadValuesNamingTheKey(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> ServeFlags.fromYaml(write(dir, "max-num-seq: 12")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--config: unknown key 'max-num-seq'");
        assertThatThrownBy(() -> ServeFlags.fromYaml(write(dir, "max-num-seqs: many")))
                .hasMessage("--config: key 'max-num-seqs' has bad value 'many'; expected an integer");
        assertThatThrownBy(() -> ServeFlags.fromYaml(write(dir, "gpu-memory-utilization: 1.5")))
                .hasMessage("--gpu-memory-utilization: bad value '1.5'; expected a fraction in (0, 1]");
        assertThatThrownBy(() -> ServeFlags.fromYaml(write(dir, "block-size: 24")))
                .hasMessageStartingWith("--block-size: bad value '24'");
        assertThatThrownBy(() -> ServeFlags.fromYaml(write(dir, "kv-cache-dtype: int4")))
                .hasMessageStartingWith("--kv-cache-dtype: bad value 'int4'");
        assertThatThrownBy(() -> ServeFlags.fromYaml(write(dir, "- a\n- b")))
                .hasMessageEndingWith("must be a mapping of vLLM flags");
        assertThatThrownBy(() -> ServeFlags.fromYaml(write(dir, "a: [b")))
                .hasMessageStartingWith("--config: cannot read");
    }

    private static Path write(Path dir, String text) throws IOException {
        Path f = Files.createTempFile(dir, "serve", ".yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void tokenCountsFollowVllmsHumanReadableInts() {
        assertThat(ServeFlags.parseTokens("--max-model-len", "32768")).isEqualTo(32768);
        assertThat(ServeFlags.parseTokens("--max-model-len", "32k")).isEqualTo(32000);
        assertThat(ServeFlags.parseTokens("--max-model-len", "32K")).isEqualTo(32768);
        assertThat(ServeFlags.parseTokens("--max-model-len", "1.5k")).isEqualTo(1500);
        assertThatThrownBy(() -> ServeFlags.parseTokens("--max-model-len", "lots"))
                .hasMessage("--max-model-len: 'lots' is not a token count; use e.g. 32768, 32k or 32K");
    }

    @Property
    void binaryAndDecimalSuffixesScale(@ForAll @IntRange(min = 1, max = 2000) int n) {
        assertThat(ServeFlags.parseTokens("--max-model-len", n + "K")).isEqualTo(n * 1024);
        assertThat(ServeFlags.parseTokens("--max-model-len", n + "k")).isEqualTo(n * 1000);
        assertThat(ServeFlags.parseTokens("--max-model-len", Integer.toString(n))).isEqualTo(n);
    }

    @Property(tries = 200)
    void yamlRoundTripsAnyValidFlags(@ForAll @IntRange(min = 1, max = 99) int utilPercent,
                                     @ForAll @IntRange(min = 1, max = 1 << 20) int maxModelLen,
                                     @ForAll @IntRange(min = 1, max = 4096) int maxNumSeqs,
                                     @ForAll boolean prefixCaching, @ForAll boolean underscores) throws IOException {
        String sep = underscores ? "_" : "-";
        String yaml = "gpu" + sep + "memory" + sep + "utilization: " + utilPercent / 100.0 + "\n"
                + "max" + sep + "model" + sep + "len: " + maxModelLen + "\n"
                + "max" + sep + "num" + sep + "seqs: " + maxNumSeqs + "\n"
                + (prefixCaching ? "enable-prefix-caching: true\n" : "no-enable-prefix-caching: true\n");
        Path file = Files.createTempFile("serve", ".yaml");
        try {
            Files.writeString(file, yaml);
            ServeFlags f = ServeFlags.fromYaml(file);
            assertThat(f.gpuMemoryUtilization()).isEqualTo(utilPercent / 100.0);
            assertThat(f.maxModelLen()).isEqualTo(maxModelLen);
            assertThat(f.maxNumSeqs()).isEqualTo(maxNumSeqs);
            assertThat(f.enablePrefixCaching()).isEqualTo(prefixCaching);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void versionsParseAndOrder() {
        assertThat(VllmVersion.parse("0.10.1.post1")).isEqualTo(new VllmVersion(0, 10, 1));
        assertThat(VllmVersion.parse("v0.8.5").isV1()).isTrue();
        assertThat(VllmVersion.parse("0.7.3").isV1()).isFalse();
        assertThat(VllmVersion.parse("0.10")).isEqualTo(new VllmVersion(0, 10, 0));
        assertThatThrownBy(() -> VllmVersion.parse("latest")).hasMessageStartingWith("--vllm-version: 'latest'");
    }
}
