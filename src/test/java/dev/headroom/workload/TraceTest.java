package dev.headroom.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceTest {

    private static final TokenCounter CL100K = TokenCounter.cl100k();

    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(TraceTest.class.getResource("/dev/headroom/workload/traces/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void mooncakeReplaysLengthsAndScaledTimes() {
        Trace trace = Trace.read(fixture("mooncake.jsonl"));
        assertThat(trace.format()).isEqualTo(Trace.Format.MOONCAKE);
        Trace.Replay replay = trace.replay(0, 0.5, 1, CL100K);
        assertThat(replay.offsetsNanos()).containsExactly(0L, 250_000_000L, 500_000_000L, 750_000_000L, 1_000_000_000L,
                1_250_000_000L, 1_500_000_000L, 1_500_000_000L, 2_000_000_000L, 2_250_000_000L);
        assertThat(replay.prompts()).extracting(Prompt::inputTokens)
                .containsExactly(1600, 1700, 1200, 2100, 1100, 1600, 900, 2100, 800, 1000);
        assertThat(replay.prompts()).allMatch(p -> p.outputTokens() == 20 && CL100K.count(null, p.user()) == p.inputTokens());
        assertThat(replay.meanRatePerSecond()).isCloseTo(10 / 2.25, within(1e-9));
    }

    @Test
    void sharedHashIdsBecomeSharedTextBlocks() {
        List<Prompt> prompts = Trace.read(fixture("mooncake.jsonl")).replay(0, 1, 1, CL100K).prompts();
        String block0 = TracePrompts.block(0, 1, CL100K);
        String block1 = TracePrompts.block(1, 1, CL100K);
        assertThat(CL100K.count(null, block0)).isEqualTo(Trace.MOONCAKE_BLOCK_TOKENS);
        String twoBlocks = block0 + " " + block1;
        assertThat(prompts.get(0).user()).startsWith(twoBlocks);
        assertThat(prompts.get(1).user()).startsWith(twoBlocks);
        assertThat(prompts.get(3).user()).doesNotStartWith(block0.substring(0, 40));
        // Requests 0 and 5 share blocks 0, 1, 2 but their own tails differ.
        assertThat(prompts.get(5).user()).startsWith(twoBlocks + " " + TracePrompts.block(2, 1, CL100K));
        assertThat(prompts.get(5).user()).isNotEqualTo(prompts.get(0).user());
    }

    @Test
    void theExpectedHitRateCountsSharedFullBlocks() {
        Trace trace = Trace.read(fixture("mooncake.jsonl"));
        // Reused blocks per request: 0, 2, 2, 0, 2, 3, 0, 4, 1, 1 (of 512 tokens) over 14 100 prompt tokens.
        assertThat(trace.expectedHitRate(0, 16)).isCloseTo(15 * 512 / 14_100.0, within(1e-12));
        assertThat(trace.expectedHitRate(3, 16)).isCloseTo(4 * 512 / 4_500.0, within(1e-12));
    }

    @Test
    void azureAndBurstGptTimesAreRelativeToTheFirstRequest() {
        Trace.Replay azure = Trace.read(fixture("azure.csv")).replay(0, 1, 1, CL100K);
        assertThat(azure.offsetsNanos()).containsExactly(0L, 4_314_579_000L, 4_463_410_000L);
        assertThat(azure.prompts()).extracting(Prompt::inputTokens).containsExactly(374, 396, 879);
        assertThat(azure.prompts()).extracting(Prompt::outputTokens).containsExactly(44, 109, 28);
        Trace burst = Trace.read(fixture("burstgpt.csv"));
        assertThat(burst.format()).isEqualTo(Trace.Format.BURSTGPT);
        // The failed request (0 response tokens) is skipped.
        Trace.Replay replay = burst.replay(0, 2, 1, CL100K);
        assertThat(replay.offsetsNanos()).containsExactly(0L, 227_000_000_000L);
        assertThat(replay.prompts()).extracting(Prompt::inputTokens).containsExactly(472, 417);
        assertThat(burst.expectedHitRate(0, 16)).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"timestamp\": 0, \"input_length\": 10}|line 2: expected \"timestamp\" (ms, >= 0), \"input_length\" and \"output_length\"",
        "{\"timestamp\": 0, \"input_length\": 600, \"output_length\": 5, \"hash_ids\": [1, 2, 3]}|line 2: expected at most 2 hash_ids",
        "{\"timestamp\": 0, \"input_length\": 600, \"output_length\": 5, \"hash_ids\": [1, \"x\"]}|line 2: expected \"hash_ids\" to be a list of integers",
        "not json|line 2: expected a JSON object",
    })
    void mooncakeErrorsNameFileLineAndExpectation(String badLine, String message) throws IOException {
        Path file = dir.resolve("t.jsonl");
        Files.writeString(file, "{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 2}\n" + badLine + "\n");
        assertThatThrownBy(() -> Trace.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + " " + message.substring(0, message.indexOf(':') + 1))
                .hasMessageContaining(message.substring(message.indexOf(':') + 2));
    }

    @Test
    void aQuotedCsvCellMayHoldACommaAsRfc4180Says() throws IOException {
        Path burst = dir.resolve("quoted.csv");
        Files.writeString(burst, "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n"
                + "1,\"GPT-4, 0613\",120,30,150,Conversation log\n3,ChatGPT,80,20,100,API log\n");
        Trace trace = Trace.read(burst);
        assertThat(trace.entries()).extracting(TraceEntry::inputTokens).containsExactly(120, 80);
        assertThat(trace.entries()).extracting(TraceEntry::outputTokens).containsExactly(30, 20);
    }

    @Test
    void csvErrorsNameFileLineAndExpectation() throws IOException {
        Path azure = dir.resolve("a.csv");
        Files.writeString(azure, "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,10,2\nyesterday,10,2\n");
        assertThatThrownBy(() -> Trace.read(azure)).hasMessage(azure
                + " line 3: expected TIMESTAMP like 2023-11-16 18:15:46.6805900, got 'yesterday'");
        Path burst = dir.resolve("b.csv");
        Files.writeString(burst, "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n1,ChatGPT,ten,2,12,API log\n");
        assertThatThrownBy(() -> Trace.read(burst)).hasMessage(burst
                + " line 2: expected Request tokens to be a whole number of tokens, got 'ten'");
        Path other = dir.resolve("c.csv");
        Files.writeString(other, "time,prompt,completion\n");
        assertThatThrownBy(() -> Trace.read(other)).hasMessageStartingWith(other + " line 1: expected a Mooncake JSONL object, or a CSV header");
        assertThatThrownBy(() -> Trace.read(fixture("azure.csv")).replay(0, 0, 1, CL100K))
                .hasMessageStartingWith("--time-scale must be a positive number");
    }
}
