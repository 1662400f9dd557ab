package dev.headroom.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.sweep.Launch.StartFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Classifying a server's start-up failure from real-shaped vLLM logs, and reading back its KV cache figures. */
class StartupClassifierTest {

    static List<String> fixture(String name) throws IOException {
        try (InputStream in = StartupClassifierTest.class.getResourceAsStream("logs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            vllm-v1-cuda-oom.log        | OUT_OF_MEMORY      | torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 146.00 MiB.
            vllm-v1-kv-too-small.log    | KV_CACHE_TOO_SMALL | ValueError: To serve at least one request with the models's max seq len (131072), (16.00 GiB KV cache is needed
            vllm-no-cache-memory.log    | OUT_OF_MEMORY      | ValueError: No available memory for the cache blocks.
            vllm-bad-flag.log           | BAD_CONFIG         | vllm serve: error: unrecognized arguments: --max-num-seq 64
            vllm-pydantic.log           | BAD_CONFIG         | Value error, User-specified max_model_len (65536) is greater than the derived max_model_len
            """)
    void quotesVllmsOwnLineWithoutItsLogPrefix(String log, StartFailure cause, String quotedStart) throws IOException {
        StartupClassifier.Finding finding = StartupClassifier.classify(fixture(log)).orElseThrow();
        assertThat(finding.cause()).isEqualTo(cause);
        assertThat(finding.message()).startsWith(quotedStart).doesNotContain("pid=").doesNotContain("[core.py");
    }

    @Test
    void aHealthyLogShowsNoFailure() throws IOException {
        assertThat(StartupClassifier.classify(fixture("vllm-v1-started.log"))).isEmpty();
        assertThat(StartupClassifier.lastWords(fixture("vllm-v1-started.log"))).contains("INFO:     Application startup complete.");
    }

    @Test
    void readsV1KvCacheSizeAndMaximumConcurrency() throws IOException {
        VllmStartupLog figures = VllmStartupLog.parse(fixture("vllm-v1-started.log"), 16);
        assertThat(figures.kvCacheTokens()).hasValue(447_088);
        assertThat(figures.maxConcurrency()).hasValue(13.64);
    }

    @Test
    void readsV0BlockCountTimesBlockSize() throws IOException {
        VllmStartupLog figures = VllmStartupLog.parse(fixture("vllm-v0-started.log"), 16);
        assertThat(figures.kvCacheTokens()).hasValue(14_815L * 16);
        assertThat(figures.maxConcurrency()).hasValue(462.97);
        assertThat(VllmStartupLog.parse(List.of("INFO # GPU blocks: 2049, # CPU blocks: 2048"), 32).kvCacheTokens())
                .hasValue(2049L * 32);
    }

    @Test
    void namesThePlannersPredictedErrorKind() {
        assertThat(StartupClassifier.kindOf("No available memory for the cache blocks. Try increasing")).contains(StartFailure.OUT_OF_MEMORY);
        assertThat(StartupClassifier.kindOf("max_num_batched_tokens (64) must be greater than or equal to max_num_seqs (128)."))
                .isEmpty();
        assertThat(StartupClassifier.kindOf(null)).isEmpty();
    }
}
