package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlossaryTest {

    @Test
    void namesBecomeTheirPlainWordsAndCommandsStayAsWritten() {
        assertThat(Glossary.plain("as num_requests_running_mean rose, with kv_cache_usage_max 0.06 and `p95_e2el_ms` (capacity.csv)"))
                .isEqualTo("as mean running requests rose, with peak KV-cache usage 0.06 and p95 E2E latency (the sweep's results table)");
        assertThat(Glossary.plain("config `gpu_memory_utilization=0.25,max_model_len=4096` at c=16"))
                .isEqualTo("config GPU memory fraction 0.25, context-length limit 4096 at c=16");
        assertThat(Glossary.plain("run `headroom analyze runs/x_y`")).isEqualTo("run `headroom analyze runs/x_y`");
    }

    @Test
    void aServerErrorReadsAsOneSentenceNamingWhatToChange() {
        assertThat(ServerErrors.plain("out_of_memory", "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.02 GiB"))
                .isEqualTo("The GPU ran out of memory while the server started; lower the GPU memory fraction or the context-length limit.");
        assertThat(ServerErrors.plain("", "ValueError: To serve at least one request with the models's max seq len (32768), "
                + "(0.88 GiB KV cache is needed, which is larger than the available KV cache memory (0.22 GiB). Based on the "
                + "available memory, the estimated maximum model length is 8416."))
                .isEqualTo("The KV cache cannot hold one request of the full context length; lower the context-length limit "
                        + "(vLLM estimates 8,416 tokens would fit) or raise the GPU memory fraction.");
    }
}
