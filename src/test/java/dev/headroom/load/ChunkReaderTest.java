package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ChunkReaderTest {

    private static ChunkReader read(String json) throws IOException {
        ChunkReader r = new ChunkReader();
        r.read(json.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    @Property(tries = 200)
    void usageCountsAreReadWhereverTheyStand(@ForAll @IntRange(min = 0, max = 1_000_000) int prompt,
                                             @ForAll @IntRange(min = 0, max = 1_000_000) int completion,
                                             @ForAll boolean usageFirst) throws IOException {
        String usage = "\"usage\":{\"prompt_tokens\":" + prompt + ",\"total_tokens\":" + (prompt + completion)
                + ",\"completion_tokens\":" + completion + ",\"prompt_tokens_details\":{\"cached_tokens\":3}}";
        String json = usageFirst ? "{" + usage + ",\"id\":\"x\",\"choices\":[]}" : "{\"id\":\"x\",\"choices\":[]," + usage + "}";
        ChunkReader r = read(json);
        assertThat(r.promptTokens).isEqualTo(prompt);
        assertThat(r.completionTokens).isEqualTo(completion);
        assertThat(r.cachedTokens).isEqualTo(3);
        assertThat(r.tokenBearing).isFalse();
    }

    @Test
    void cachedTokensAreAbsentWhenTheDetailsAreNullOrMissing() throws IOException {
        assertThat(read("{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,"
                + "\"prompt_tokens_details\":null}}").cachedTokens).isEqualTo(-1);
        assertThat(read("{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}").cachedTokens)
                .isEqualTo(-1);
    }

    @Test
    void llamaCppsTimingsGiveThePromptEvaluationAndTheCachedTokens() throws IOException {
        // llama-server 80fb11a's usage chunk, as it streamed it (tools/server: server_slot_stats::to_json).
        ChunkReader r = read("{\"choices\":[],\"created\":1796527468,\"id\":\"chatcmpl-rOzz\",\"model\":\"tiny\","
                + "\"system_fingerprint\":\"b1-80fb11a\",\"object\":\"chat.completion.chunk\",\"usage\":{\"completion_tokens\":3,"
                + "\"prompt_tokens\":30,\"total_tokens\":33},\"timings\":{\"cache_n\":12,\"prompt_n\":18,"
                + "\"prompt_ms\":3763.215,\"prompt_per_token_ms\":125.4405,\"prompt_per_second\":7.97,\"predicted_n\":3,"
                + "\"predicted_ms\":5633.839,\"predicted_per_token_ms\":2816.9195,\"predicted_per_second\":0.355}}");
        assertThat(r.engine).isEqualTo(dev.headroom.metrics.EngineTiming.ofSlot(3763.215, 5633.839));
        assertThat(r.engine.queueMs()).as("llama.cpp does not time the wait for a slot").isNaN();
        assertThat(r.cachedTokens).as("cache_n where the usage has no details").isEqualTo(12);
        ChunkReader plain = read("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}],\"timings\":{\"prompt_ms\":5.5,"
                + "\"predicted_ms\":1.0,\"cache_n\":0}}");
        assertThat(plain.engine).as("the fast path leaves a token chunk with timings to the full parse").isNotNull();
        assertThat(plain.hasContent).isTrue();
    }

    @Test
    void theServersPerRequestMetricsAreReadFromTheUsageChunk() throws IOException {
        // vLLM --enable-per-request-metrics (docs/features/per_request_metrics.md): metrics ride on the final usage chunk.
        ChunkReader r = read("{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":128},"
                + "\"metrics\":{\"time_to_first_token_ms\":85.2,\"generation_time_ms\":1240.5,\"queue_time_ms\":12.3,"
                + "\"mean_itl_ms\":null,\"tokens_per_second\":103.2,\"speculative_decoding\":{\"mean_acceptance_length\":2.1}}}");
        assertThat(r.engine).isEqualTo(new dev.headroom.metrics.EngineTiming(12.3, 85.2, 1240.5, Double.NaN));
        assertThat(r.completionTokens).isEqualTo(128);
        assertThat(read("{\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1},\"metrics\":null}").engine).isNull();
        assertThat(read("{\"choices\":[{\"index\":0,\"text\":\"x\"}]}").engine).isNull();
    }

    @Test
    void theFastPathLeavesAMetricsObjectToTheFullParse() {
        ChunkReader r = new ChunkReader();
        byte[] chunk = "{\"choices\":[{\"index\":0,\"text\":\"x\"}],\"metrics\":{\"queue_time_ms\":1.0}}".getBytes(StandardCharsets.UTF_8);
        assertThat(new ChunkScanner().scan(chunk, 0, chunk.length, r)).isFalse();
        byte[] plain = "{\"choices\":[{\"index\":0,\"text\":\"x\"}],\"metrics\":null}".getBytes(StandardCharsets.UTF_8);
        assertThat(new ChunkScanner().scan(plain, 0, plain.length, r)).isTrue();
    }

    @Test
    void keptTextIsTheFirstChoicesContentInOrderForChatAndCompletions() throws IOException {
        StringBuilder text = new StringBuilder();
        ChunkReader r = new ChunkReader();
        r.keepText(text);
        r.read("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}".getBytes(StandardCharsets.UTF_8));
        r.read("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}".getBytes(StandardCharsets.UTF_8));
        r.read("{\"choices\":[{\"index\":0,\"text\":\"lo \\\"you\\\"\"}]}".getBytes(StandardCharsets.UTF_8));
        assertThat(text).hasToString("Hello \"you\"");
        assertThat(r.hasContent).isTrue();
    }

    @Test
    void roleOnlyChatDeltaIsTokenBearingWithoutContent() throws IOException {
        ChunkReader r = read("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
        assertThat(r.tokenBearing).isTrue();
        assertThat(r.hasContent).isFalse();
        assertThat(r.promptTokens).isEqualTo(-1);
    }

    @Test
    void contentAndTextAreDetected() throws IOException {
        assertThat(read("{\"choices\":[{\"delta\":{\"content\":\" hi\"}}]}").hasContent).isTrue();
        assertThat(read("{\"choices\":[{\"delta\":{\"content\":null}}]}").hasContent).isFalse();
        assertThat(read("{\"choices\":[{\"text\":\"\",\"logprobs\":null}]}").tokenBearing).isTrue();
        assertThat(read("{\"choices\":[{\"text\":\"x\"}],\"headroom_sent_ns\":42}").serverSentNanos).isEqualTo(42);
    }

    @Test
    void bothVllmErrorShapesAreErrors() throws IOException {
        ChunkReader wrapped = read("{\"error\":{\"message\":\"boom\",\"type\":\"InternalServerError\",\"code\":500}}");
        assertThat(wrapped.errorMessage).isEqualTo("boom");
        assertThat(wrapped.errorCode).isEqualTo(500);
        assertThat(read("{\"object\":\"error\",\"message\":\"old\",\"code\":400}").errorMessage).isEqualTo("old");
        assertThat(read("{\"choices\":[{\"text\":\"a\"}],\"error\":null}").errorMessage).isNull();
    }

    @Test
    void garbageIsRejected() {
        assertThatThrownBy(() -> read("{\"choices\": [")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("[1,2]")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("{} {}")).isInstanceOf(IOException.class);
    }
}
