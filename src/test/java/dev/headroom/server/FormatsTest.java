package dev.headroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.engine.EngineSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Number formatting, buckets, vLLM's context-length rule and the stats line. */
class FormatsTest {

    @ParameterizedTest
    @CsvSource({"1,1.0", "0.001,0.001", "2560,2560.0", "0.205,0.205", "1.5e-05,1.5e-05", "0.0001,0.0001",
            "1e-07,1e-07", "0,0.0", "12.5,12.5"})
    void numbersPrintAsPythonRepr(double value, String expected) {
        assertThat(PromFormat.number(value)).isEqualTo(expected);
    }

    @Test
    void oneTwoFiveBucketsStopAtMaxModelLen() {
        // loggers.py docstring: build_1_2_5_buckets(100) == [1, 2, 5, 10, 20, 50, 100]
        assertThat(Histogram.oneTwoFive(100)).containsExactly(1, 2, 5, 10, 20, 50, 100);
        assertThat(Histogram.oneTwoFive(4096)).endsWith(1000, 2000);
    }

    @ParameterizedTest
    @CsvSource({"100,,4096,3996", "100,50,4096,50", "4000,96,4096,96"})
    void contextLengthAllowsWhatFits(int prompt, Long maxTokens, int maxModelLen, int expected) {
        assertThat(GenerationRequest.checkContextLength(prompt, maxTokens, maxModelLen)).isEqualTo(expected);
    }

    @Test
    void contextLengthRejectsWhatDoesNot() {
        assertThatThrownBy(() -> GenerationRequest.checkContextLength(4000, 97L, 4096))
                .hasMessage("This model's maximum context length is 4096 tokens. However, you requested 4097 tokens "
                        + "(4000 in the messages, 97 in the completion). Please reduce the length of the messages or "
                        + "completion.");
        assertThatThrownBy(() -> GenerationRequest.checkContextLength(4096, null, 4096))
                .hasMessageContaining("you requested 4096 tokens in the messages, Please reduce");
    }

    @Test
    void statsLineMatchesVllmAndGoesQuietWhenIdle() {
        AtomicReference<EngineSnapshot> now = new AtomicReference<>(new EngineSnapshot(0, 0, 0, 0, 0, 0, 0, 0, 100, 16));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        VllmLog log = new VllmLog(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                Clock.fixed(Instant.parse("2026-09-24T20:55:08Z"), ZoneOffset.UTC));
        StatsLogger stats = new StatsLogger(now::get, log, 0);

        now.set(new EngineSnapshot(3, 2, 0.125, 0, 260, 400, 200, 50, 100, 16));
        String line = stats.tick(10_000_000_000L);
        assertThat(line).isEqualTo("Engine 000: Avg prompt throughput: 26.0 tokens/s, Avg generation throughput: "
                + "40.0 tokens/s, Running: 3 reqs, Waiting: 2 reqs, GPU KV cache usage: 12.5%, Prefix cache hit rate: 25.0%");
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .matches("\\(APIServer pid=\\d+\\) INFO 09-24 20:55:08 \\[loggers.py:123] Engine 000: .*\\R");
        assertThat(stats.tick(20_000_000_000L)).as("one idle interval after activity still logs").isNotNull();
        assertThat(stats.tick(30_000_000_000L)).as("two idle intervals: quiet").isNull();
    }
}
