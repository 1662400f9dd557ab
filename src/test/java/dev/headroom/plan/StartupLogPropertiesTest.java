package dev.headroom.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class StartupLogPropertiesTest {

    private static final String HEAD = "INFO 01-01 00:00:00 [core.py:96] Initializing a V1 LLM engine (v0.20.2) with "
            + "config: model='Qwen/Qwen2.5-0.5B-Instruct', dtype=torch.bfloat16, max_seq_len=4096\n";

    @Property
    void kvLinesAreReadWithVllmsFormatting(@ForAll @LongRange(min = 1, max = 50_000_000) long tokens,
                                           @ForAll @IntRange(min = 0, max = 200_000) int centiGib) {
        String log = HEAD + String.format(Locale.ROOT, "(EngineCore pid=1) INFO [gpu_worker.py:356] Available KV cache "
                + "memory: %.2f GiB%n", centiGib / 100.0) + String.format(Locale.US, "(EngineCore pid=1) INFO "
                + "[kv_cache_utils.py:1307] GPU KV cache size: %,d tokens%n", tokens);
        StartupLog parsed = StartupLog.parse(log);
        assertThat(parsed.kvTokens()).isEqualTo(tokens);
        assertThat(parsed.kvCacheGib()).isEqualTo(centiGib / 100.0);
        assertThat(parsed.version().toString()).isEqualTo("0.20.2");
    }

    @Property
    void v0BlocksBecomeTokens(@ForAll @IntRange(min = 0, max = 10_000_000) int blocks) {
        StartupLog parsed = StartupLog.parse(HEAD.replace("a V1 LLM", "an LLM").replace("0.20.2", "0.5.4")
                + "INFO 01-01 00:00:01 gpu_executor.py:83] # GPU blocks: " + blocks + ", # CPU blocks: 2048\n");
        assertThat(parsed.kvTokens()).isEqualTo(blocks * 16L);
    }
}
