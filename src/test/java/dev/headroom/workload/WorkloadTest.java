package dev.headroom.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.selftest.ScheduleServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkloadTest {

    private static final TokenCounter CL100K = TokenCounter.cl100k();

    /** The schedule server's tokenizer, a different one from cl100k: fitting must follow whichever it is given. */
    private static final TokenCounter WORDS = new TokenCounter() {
        public int count(String system, String user) {
            return ScheduleServer.countTokens(system == null ? user : system + "\n\n" + user);
        }

        public String name() {
            return "server";
        }
    };

    @ParameterizedTest
    @ValueSource(ints = {1, 32, 200, 1024})
    void randomPromptsHitTheTargetWithEitherTokenizer(int target) {
        for (TokenCounter counter : List.of(CL100K, WORDS)) {
            List<Prompt> prompts = new RandomWorkload(Lengths.fixed(target), Lengths.fixed(50)).prompts(20, 1, counter);
            assertThat(prompts).hasSize(20).allSatisfy(p -> {
                assertThat(counter.count(p.system(), p.user())).isEqualTo(target);
                assertThat(p.inputTokens()).isEqualTo(target);
                assertThat(p.outputTokens()).isEqualTo(50);
            });
            // Distinct prompts, so a prefix cache cannot serve them (one-word prompts may repeat by chance).
            if (target >= 32) assertThat(new HashSet<>(prompts.stream().map(Prompt::user).toList())).hasSize(20);
        }
    }

    @Test
    void chatPromptsShareTheSystemPromptAndHitTheTotal() {
        List<Prompt> prompts = new ChatWorkload(Lengths.fixed(256), Lengths.fixed(128)).prompts(30, 5, CL100K);
        assertThat(prompts).allSatisfy(p -> {
            assertThat(p.system()).isEqualTo(ChatWorkload.SYSTEM);
            assertThat(CL100K.count(p.system(), p.user())).isEqualTo(256);
            assertThat(p.user()).contains("\n\nContext:");
        });
        assertThat(prompts.stream().map(p -> p.user().substring(0, p.user().indexOf('\n'))).distinct().count()).isGreaterThan(5);
    }

    @Test
    void promptsAreReproducibleForASeed() {
        Workload w = Workload.parse("random", Lengths.fixed(64), Lengths.fixed(8));
        assertThat(w.prompts(5, 9, CL100K)).isEqualTo(w.prompts(5, 9, CL100K));
        assertThat(w.prompts(5, 9, CL100K)).isNotEqualTo(w.prompts(5, 10, CL100K));
    }

    @Test
    void rangeRatioDrawsUniformlyInVllmsBounds() {
        Lengths l = new Lengths(100, 0.5, 0, 1, Integer.MAX_VALUE);
        SplittableRandom random = new SplittableRandom(1);
        int min = Integer.MAX_VALUE;
        int max = 0;
        double sum = 0;
        for (int i = 0; i < 20_000; i++) {
            int v = l.sample(random);
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        assertThat(min).isEqualTo(50);
        assertThat(max).isEqualTo(150);
        assertThat(sum / 20_000).isBetween(99.0, 101.0);
    }

    @Test
    void normalLengthsStayInTheirBounds() {
        Lengths l = new Lengths(100, 0, 40, 60, 130);
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 5_000; i++) assertThat(l.sample(random)).isBetween(60, 130);
    }

    /** Seeded draws of a distribution: mean, sample stddev, median, p90, p99, least and largest. */
    private static double[] stats(Lengths l, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = l.sample(random);
        java.util.Arrays.sort(v);
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        double var = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (n - 1);
        return new double[] {mean, Math.sqrt(var), v[n / 2], v[(int) (0.9 * n)], v[(int) (0.99 * n)], v[0], v[n - 1]};
    }

    @Test
    void chatDefaultsSpreadPromptsAndAnswersAsANormalAroundTheirMeans() {
        // Normal(256, 128) clamped to 64..1024: 6.7% of draws sit at 64, so the mean rises a little and the spread
        // narrows; median 256, p90 = 256 + 1.2816 * 128 = 420, p99 = 256 + 2.3263 * 128 = 554.
        double[] in = stats(ChatWorkload.DEFAULT_INPUT, 100_000, 7);
        assertThat(in[0]).isBetween(258.0, 263.0);
        assertThat(in[1]).isBetween(118.0, 124.0);
        assertThat(in[2]).isBetween(254.0, 258.0);
        assertThat(in[3]).isBetween(416.0, 424.0);
        assertThat(in[4]).isBetween(547.0, 561.0);
        assertThat(in[5]).isEqualTo(64);
        assertThat(in[6]).isLessThanOrEqualTo(1024);
        // Normal(128, 64) clamped to 16..512: p90 = 128 + 1.2816 * 64 = 210.
        double[] out = stats(ChatWorkload.DEFAULT_OUTPUT, 100_000, 8);
        assertThat(out[2]).isBetween(126.0, 130.0);
        assertThat(out[3]).isBetween(207.0, 213.0);
        assertThat(out[5]).isEqualTo(16);
        assertThat(out[6]).isLessThanOrEqualTo(512);
    }

    @Test
    void chatWithoutLengthsSendsPromptsAndAnswersOfVariedLength() {
        List<Prompt> prompts = Workload.parse("chat", null, null).prompts(400, 11, CL100K);
        int[] in = prompts.stream().mapToInt(Prompt::inputTokens).sorted().toArray();
        int[] out = prompts.stream().mapToInt(Prompt::outputTokens).sorted().toArray();
        // Not one fixed length: the 99th percentile is far from the median, for prompts and answers alike.
        assertThat(in[396] - in[200]).isGreaterThan(200);
        assertThat(out[396] - out[200]).isGreaterThan(100);
        assertThat(in[0]).isGreaterThanOrEqualTo(64);
    }

    @Test
    void explicitLengthsStayFixedUnlessGivenASpread() {
        List<Prompt> fixed = Workload.parse("chat", Lengths.fixed(300), Lengths.fixed(96)).prompts(50, 3, CL100K);
        assertThat(fixed).allSatisfy(p -> {
            assertThat(p.inputTokens()).isEqualTo(300);
            assertThat(p.outputTokens()).isEqualTo(96);
        });
    }

    @Test
    void summarizeDefaultDrawsSummariesUniformlyFrom256To512() {
        double[] out = stats(SummarizeWorkload.DEFAULT_OUTPUT, 100_000, 9);
        assertThat(out[0]).isBetween(382.0, 386.0);
        assertThat(out[5]).isEqualTo(256);
        assertThat(out[6]).isEqualTo(512);
        // Uniform over 257 values: stddev = sqrt((257^2 - 1) / 12) = 74.2.
        assertThat(out[1]).isBetween(73.5, 75.0);
    }

    @Test
    void summarizeUsesTheBundledCorpusWithOutputsFrom256To512() {
        List<Prompt> prompts = Workload.parse("summarize", null, null).prompts(40, 3, CL100K);
        assertThat(prompts).allSatisfy(p -> {
            assertThat(p.user()).startsWith("Summarize the following document.");
            assertThat(p.inputTokens()).isBetween(300, 3200);
            assertThat(p.outputTokens()).isBetween(256, 512);
        });
        assertThat(prompts.stream().map(Prompt::user).distinct().count()).isEqualTo(prompts.size());
    }

    @Test
    void summarizeRequestsShareTheInstructionButNotTheDocument() {
        // The same corpus document sent twice: a prefix cache may reuse only what comes before the reference line.
        List<Prompt> prompts = Workload.parse("summarize", null, null).prompts(2 * SummarizeWorkload.documents().size(), 5, CL100K);
        Prompt first = prompts.get(0);
        Prompt again = prompts.get(SummarizeWorkload.documents().size());
        String instruction = "Summarize the following document.\n\nReference: DOC-";
        assertThat(first.user()).startsWith(instruction);
        int shared = 0;
        while (first.user().charAt(shared) == again.user().charAt(shared)) shared++;
        assertThat(shared).isLessThan(instruction.length() + 8);
        String document = first.user().substring(first.user().indexOf("\n\n", instruction.length()) + 2);
        assertThat(again.user()).endsWith(document);
    }

    @Test
    void jsonlDatasetTakesPromptsAndOutputLengths(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("d.jsonl");
        Files.writeString(file, "{\"prompt\":\"first prompt here\",\"output_tokens\":7}\n\n{\"prompt\":\"second one\"}\n");
        List<Prompt> prompts = Workload.parse("dataset:" + file, null, null).prompts(4, 0, CL100K);
        assertThat(prompts).hasSize(4);
        assertThat(prompts).extracting(Prompt::outputTokens).containsOnly(7, DatasetWorkload.DEFAULT_OUTPUT_TOKENS);
        assertThat(prompts).extracting(Prompt::user).containsOnly("first prompt here", "second one");
    }

    @Test
    void shareGptDatasetFiltersAsVllmDoes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sharegpt.json");
        String good = "{\"conversations\":[{\"from\":\"human\",\"value\":\"Explain how a compiler turns source code into machine code.\"},"
                + "{\"from\":\"gpt\",\"value\":\"It parses the text, checks it, and emits instructions step by step.\"}]}";
        String tooShort = "{\"conversations\":[{\"from\":\"human\",\"value\":\"hi\"},{\"from\":\"gpt\",\"value\":\"hello there friend\"}]}";
        String oneTurn = "{\"conversations\":[{\"from\":\"human\",\"value\":\"alone\"}]}";
        Files.writeString(file, "[" + good + "," + tooShort + "," + oneTurn + "]");
        List<Prompt> prompts = Workload.parse("dataset:" + file, null, null).prompts(3, 0, CL100K);
        assertThat(prompts).hasSize(3).allSatisfy(p -> {
            assertThat(p.user()).startsWith("Explain how a compiler");
            assertThat(p.outputTokens()).isEqualTo(CL100K.count(null, "It parses the text, checks it, and emits instructions step by step."));
        });
    }

    @Test
    void badWorkloadsAreOneClearLine(@TempDir Path dir) {
        assertThatThrownBy(() -> Workload.parse("poetry", null, null)).hasMessage("--workload 'poetry' is not known; use chat, summarize, random or dataset:PATH");
        assertThatThrownBy(() -> Workload.parse("dataset:", null, null)).hasMessageContaining("needs a file path");
        assertThatThrownBy(() -> Workload.parse("dataset:" + dir.resolve("none.jsonl"), null, null).prompts(1, 0, CL100K))
                .hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> new Lengths(10, 1.5, 0, 1, 10)).hasMessageContaining("--range-ratio");
    }
}
