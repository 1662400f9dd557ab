package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.plan.StepBasis;
import dev.headroom.plan.StepPrior;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepCorpusTest {

    @Test
    void everyPointHasItsSourceAQuoteAndAPublishedMetric() {
        List<StepCorpus> points = StepCorpus.points();
        assertThat(points).hasSizeGreaterThanOrEqualTo(27);
        for (StepCorpus p : points) {
            assertThat(p.source()).as(p.id()).startsWith("https://");
            assertThat(p.quote()).as(p.id()).isNotBlank();
            assertThat(p.published()).as(p.id()).isNotEmpty();
            assertThat(p.setup().model().name()).as(p.id()).isNotBlank();
        }
        assertThat(points.stream().map(StepCorpus::id).distinct()).hasSameSizeAs(points);
    }

    /** A row is read by column name: the statistic, the loop, the percentiles and the derived request rate. */
    @Test
    void aRowIsReadByItsColumns() {
        String row = "x-c4|mistral-7b-instruct-v0.3|rtx4090|0.11.0||random|256|100||4|inf|300|mean|63||157||||||"
                + "|210|https://example.org|note|4 ¦ 2.09 ¦ 210 ¦ 63 ¦ 53 ¦ 157";
        StepCorpus p = StepCorpus.parse("x.csv", row);
        assertThat(p.concurrency()).isEqualTo(4);
        assertThat(p.requestRate()).isInfinite();
        assertThat(p.numPrompts()).isEqualTo(300);
        assertThat(p.stat()).isEqualTo(StepCorpus.Stat.MEAN);
        assertThat(p.published()).containsEntry(StepCorpus.Metric.TTFT, 63.0)
                .containsEntry(StepCorpus.Metric.TTFT_P99, 157.0).doesNotContainKey(StepCorpus.Metric.E2E);
        assertThat(p.published().get(StepCorpus.Metric.THROUGHPUT)).as("210 tok/s over 100 tokens").isEqualTo(2.1);
        assertThat(p.skipReason()).isEmpty();
    }

    /**
     * A TTFT no fresh prefill reaches (the source's prompts hit the prefix cache) is kept out, and so are the E2E
     * latency and the throughput that hold it; the step time does not hold it and stays.
     */
    @Test
    void aPointServedFromThePrefixCacheKeepsItsStepTimeOnly() {
        StepCorpus p = point("tt394-q4b-4090-4096-128");
        assertThat(p.published()).containsKeys(StepCorpus.Metric.TTFT, StepCorpus.Metric.E2E, StepCorpus.Metric.THROUGHPUT);
        assertThat(p.servedFromPrefixCache()).isTrue();
        assertThat(p.measured(StepCorpus.Metric.TTFT)).isEmpty();
        assertThat(p.measured(StepCorpus.Metric.E2E)).as("76.6 ms of its 1455 ms E2E is a cached prefill").isEmpty();
        assertThat(p.measured(StepCorpus.Metric.THROUGHPUT)).isEmpty();
        assertThat(p.measured(StepCorpus.Metric.TPOT)).hasValue(10.9);
        assertThat(point("tt394-q4b-4090-1024-128").measured(StepCorpus.Metric.E2E)).hasValue(1369.1);
    }

    /** A source that prints only the P99 of TTFT (no mean) has it checked against the prefill and kept. */
    @Test
    void aTtftPercentileWithoutAMeanIsKept() {
        StepCorpus p = point("silybench-q8b-h100-bf16-prefill-c16");
        assertThat(p.ttftMs()).isEmpty();
        assertThat(p.ttftPhysicallyPossible()).isTrue();
        assertThat(p.measured(StepCorpus.Metric.TTFT_P99)).hasValue(260.963);
        assertThat(p.measured(StepCorpus.Metric.E2E_P99)).hasValue(1361.18);
    }

    /**
     * A flood (rate inf, no max concurrency) is every prompt at once: a closed loop of its prompt count, each prompt
     * sent once; an open loop at a finite rate stays one.
     */
    @Test
    void aFloodIsAClosedLoopOfItsPromptsSentOnce() {
        StepCorpus flood = point("gpustack-q14b-h100-r4k");
        assertThat(flood.concurrency()).isEqualTo(500);
        assertThat(flood.skipReason()).isEmpty();
        assertThat(SimulatedPoint.of(flood).requests()).isEqualTo(500);
        assertThat(point("kvcached-q06b-h100-rate16").skipReason()).hasValue("open loop (no max concurrency)");
    }

    private static StepCorpus point(String id) {
        return StepCorpus.points().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aRowWithTheWrongColumnCountNamesTheFileAndTheColumns() {
        assertThatThrownBy(() -> StepCorpus.parse("bad.csv", "a|b|c"))
                .hasMessageContaining("bad.csv").hasMessageContaining("expected 26").hasMessageContaining("ttft_p90_ms");
    }

    /** Open loops and variable-length datasets are left out of the fit, each with its reason. */
    @Test
    void openLoopsAndVariableLengthsAreSkippedWithAReason() {
        String open = "o|qwen3-4b|rtx4090|0.11.0||random|128|128|||2.5|100|mean|30|||||||||||https://e.org|n|q";
        String shared = "s|qwen3-4b|rtx4090|0.11.0||sharegpt|200|180||8|inf||p50|30|||||||||||https://e.org|n|q";
        assertThat(StepCorpus.parse("o.csv", open).skipReason()).hasValueSatisfying(r -> assertThat(r).contains("open loop"));
        assertThat(StepCorpus.parse("s.csv", shared).skipReason()).hasValueSatisfying(r -> assertThat(r).contains("sharegpt"));
    }

    /**
     * A source's own prompts of one fixed length (dataset {@code fixed}) are reproduced like vLLM's random dataset at
     * fixed lengths; a range ratio is still only vLLM's random dataset's.
     */
    @Test
    void aSourcesOwnFixedLengthPromptsAreReproduced() {
        String fixed = "f|qwen2.5-7b-instruct|a100-80gb|0.6.3|--max-model-len 32768|fixed|6144|2048||1|inf|1|mean||||||"
                + "25378.6|||||https://e.org|n|q";
        StepCorpus p = StepCorpus.parse("f.csv", fixed);
        assertThat(p.skipReason()).isEmpty();
        assertThat(p.rangeRatio()).isZero();
        assertThatThrownBy(() -> StepCorpus.parse("f.csv", fixed.replace("|2048||", "|2048|0.1|")))
                .hasMessageContaining("range_ratio 0.1 on dataset fixed");
    }

    /**
     * The Qwen team's speed benchmark: one offline request per point (batch size 1, 2048 tokens out) on vLLM 0.6.3,
     * its E2E the 2048 tokens over the published speed; the planner starts all twelve at max_model_len 32768, a 30720-token
     * prompt included, and the simulator sends the one request.
     */
    @Test
    void theQwenSpeedBenchmarkIsOneRequestPerPoint() {
        List<StepCorpus> speed = StepCorpus.points().stream().filter(p -> p.id().startsWith("qwen25-speed-")).toList();
        assertThat(speed).hasSize(12);
        for (StepCorpus p : speed) {
            assertThat(p.skipReason()).as(p.id()).isEmpty();
            assertThat(p.concurrency()).isEqualTo(1);
            assertThat(SimulatedPoint.of(p).requests()).as(p.id()).isEqualTo(1);
        }
        StepCorpus longest = point("qwen25-speed-7b-a100-in30720");
        assertThat(longest.inputTokens() + longest.outputTokens()).isEqualTo(32768);
        assertThat(longest.measured(StepCorpus.Metric.E2E).getAsDouble()).as("2048 tokens at 70.33 tok/s")
                .isCloseTo(2048 / 70.33 * 1000, org.assertj.core.data.Offset.offset(0.1));
    }

    /**
     * vLLM's CI latency test: one offline generate() of 8 prompts of 32 tokens, 128 out each, on vLLM 0.6.3 (V0):
     * a flood of 8 sent once, which the planner starts at the checkpoint's full context on an A100 and an H200 and
     * whose prompts all fit one prefill step.
     */
    @Test
    void vllmsCiLatencyTestIsOneWaveOfEight() {
        List<StepCorpus> latency = StepCorpus.points().stream().filter(p -> p.id().startsWith("vllmci-")).toList();
        assertThat(latency).extracting(p -> p.gpu().id()).containsExactlyInAnyOrder("h200", "a100-80gb");
        for (StepCorpus p : latency) {
            assertThat(p.skipReason()).as(p.id()).isEmpty();
            assertThat(p.concurrency()).isEqualTo(8);
            assertThat(SimulatedPoint.of(p).requests()).as(p.id()).isEqualTo(8);
            assertThat(p.setup().serve().maxNumBatchedTokens()).as(p.id() + ": 8 x 32 prompt tokens in one step")
                    .isGreaterThanOrEqualTo(8 * 32);
            assertThat(p.published()).as(p.id()).containsOnlyKeys(StepCorpus.Metric.E2E);
        }
    }

    /**
     * vLLM's --random-range-ratio is read from its column, empty meaning fixed lengths; a ratio outside [0, 1) or on
     * a dataset other than random names the row and what is accepted.
     */
    @Test
    void aRangeRatioIsReadOnlyOnARandomRow() {
        String drawn = "r|qwen3-4b|rtx4090|0.11.0||random|2000|200|0.15|8|inf|150|p50|30|||||||||||https://e.org|n|q";
        StepCorpus p = StepCorpus.parse("r.csv", drawn);
        assertThat(p.rangeRatio()).isEqualTo(0.15);
        assertThat(p.skipReason()).isEmpty();
        assertThat(point("wmx-l4-c1").rangeRatio()).isZero();
        assertThatThrownBy(() -> StepCorpus.parse("r.csv", drawn.replace("|0.15|", "|1.5|")))
                .hasMessageContaining("r.csv").hasMessageContaining("row r").hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> StepCorpus.parse("r.csv", drawn.replace("|random|", "|sharegpt|")))
                .hasMessageContaining("range_ratio 0.15 on dataset sharegpt");
    }

    /**
     * The quantized rows run quantized: silybench's FP8 run serves the bf16 checkpoint with 8-bit weights
     * (--quantization fp8) and the vLLM blog's FP8 row an FP8 KV cache, each beside its bf16 twin of the same source.
     */
    @Test
    void theQuantizedRowsAreServedQuantized() {
        assertThat(point("silybench-q8b-h100-fp8-chat-c1").setup().model().quantization().bits()).isEqualTo(8);
        assertThat(point("silybench-q8b-h100-bf16-chat-c1").setup().model().quantization().bits()).isEqualTo(16);
        assertThat(point("silybench-q8b-h100-fp8-chat-c1").skipReason()).isEmpty();
        assertThat(point("vllmblog-fp8kv-llama31-8b-h100-c8-fp8").setup().serve().kvCacheDtype()).isEqualTo("fp8");
        assertThat(point("vllmblog-fp8kv-llama31-8b-h100-c8").rangeRatio()).isEqualTo(0.15);
    }

    /** Every file of the folder is listed in index.txt (a file left out of the index would be silently unread). */
    @Test
    void everyCorpusFileIsIndexed() throws Exception {
        java.nio.file.Path folder = java.nio.file.Path.of("src/main/resources/dev/headroom/selftest/step-corpus");
        List<String> indexed = java.nio.file.Files.readAllLines(folder.resolve("index.txt")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        try (var files = java.nio.file.Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".csv")))
                    .containsExactlyInAnyOrderElementsOf(indexed);
        }
    }

    /**
     * The quote holds the published TTFT the row carries, to the row's precision (a reviewer reads the same figure;
     * a row may round a quoted 56.85749723576009 to 56.8575), in milliseconds or, where the source publishes
     * seconds, in seconds (a quoted 0.05053590587340295 s is the row's 50.5359 ms).
     */
    @Test
    void theQuoteCarriesThePublishedTtft() {
        for (StepCorpus p : StepCorpus.points()) {
            p.ttftMs().ifPresent(v -> assertThat(quotedNumbers(p.quote())).as(p.id())
                    .anyMatch(q -> Math.abs(q - v) <= halfUlpOfPrinted(v) || Math.abs(q * 1000 - v) <= halfUlpOfPrinted(v)));
        }
    }

    /**
     * The RTX 5090 trade-off study: closed loops of 1 to 64 streams, each level 200 prompts sent once, prompts of
     * 448 to 576 tokens run at their mean (507.425, recomputed from the study's seed, a 507-token prompt) and 256
     * tokens out; Qwen3-8B
     * in BF16 and its AWQ checkpoint, which the planner starts at the study's flags and loads at 16 and 4 bits.
     */
    @Test
    void theRtx5090StudyIsClosedLoopsOfTwoHundredPromptsInBf16AndAwq() {
        List<StepCorpus> study = StepCorpus.points().stream().filter(p -> p.id().startsWith("bqt5090-")).toList();
        assertThat(study).hasSize(8).allMatch(p -> p.gpu().id().equals("rtx5090"));
        assertThat(study).extracting(StepCorpus::concurrency).containsOnly(1, 4, 16, 64);
        for (StepCorpus p : study) {
            assertThat(p.skipReason()).as(p.id()).isEmpty();
            assertThat(p.inputTokens()).as("507.425 rounded to a whole token").isEqualTo(507);
            assertThat(p.outputTokens()).isEqualTo(256);
            SimulatedPoint sim = SimulatedPoint.of(p);
            assertThat(sim.requests()).as(p.id()).isEqualTo(200);
            assertThat(sim.prompts()).as(p.id()).allMatch(q -> q.inputTokens() == 507 && q.outputTokens() == 256);
        }
        assertThat(point("bqt5090-q8b-awq-c1").setup().model().quantization().bits()).isEqualTo(4);
        assertThat(point("bqt5090-q8b-bf16-c1").setup().model().quantization().bits()).isEqualTo(16);
        assertThat(point("bqt5090-q8b-bf16-c64").published()).containsKeys(StepCorpus.Metric.TTFT_P99, StepCorpus.Metric.E2E_P90);
    }

    private static List<Double> quotedNumbers(String quote) {
        return java.util.regex.Pattern.compile("\\d+(?:\\.\\d+)?").matcher(quote.replace(",", "")).results()
                .map(r -> Double.parseDouble(r.group())).toList();
    }

    /** Half a unit of the last decimal the row prints {@code v} with. */
    private static double halfUlpOfPrinted(double v) {
        String s = java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        int decimals = s.contains(".") ? s.length() - s.indexOf('.') - 1 : 0;
        return 0.5 * Math.pow(10, -decimals) + 1e-9;
    }

    /** At c=1 nothing else prefills beside the stream: TPOT is one decode step, TTFT has the front end once. */
    @Test
    void singleStreamTpotIsOneDecodeStepAndTtftOnePrefillPlusTheFrontEnd() {
        StepCorpus c1 = StepCorpus.points().stream().filter(p -> p.id().equals("wmx-l4-c1")).findFirst().orElseThrow();
        StepCorpus.Features f = c1.features();
        assertThat(f.tpot()[StepBasis.PER_STEP.ordinal()]).isEqualTo(1e-3);
        assertThat(f.tpot()[StepBasis.PER_SEQ.ordinal()]).isEqualTo(1e-6);
        assertThat(f.tpot()[StepBasis.FRONT_END.ordinal()]).isZero();
        assertThat(f.ttft()[StepBasis.FRONT_END.ordinal()]).isEqualTo(1e-3);
        assertThat(f.ttft()[StepBasis.PER_STEP.ordinal()]).as("256 tokens in one chunk of 2048").isEqualTo(1e-3);
    }

    /** Under load the other streams' prefills ride in this stream's decode steps and lengthen its TPOT. */
    @Test
    void concurrentPrefillsLengthenTpot() {
        List<StepCorpus> points = StepCorpus.points();
        StepCorpus c1 = points.stream().filter(p -> p.id().equals("wmx-l4-c1")).findFirst().orElseThrow();
        StepCorpus c32 = points.stream().filter(p -> p.id().equals("wmx-l4-c32")).findFirst().orElseThrow();
        double[] physics = StepPrior.PHYSICS.values();
        double single = StepBasis.seconds(c1.features().tpot(), physics);
        double loaded = StepBasis.seconds(c32.features().tpot(), physics);
        assertThat(loaded).isGreaterThan(1.2 * single);
        assertThat(c32.features().tpot()[StepBasis.PER_SEQ.ordinal()]).as("32 requests in every step")
                .isCloseTo(32e-6, org.assertj.core.api.Assertions.within(1e-12));
    }

    /** A TTFT below the prompt's prefill arithmetic at peak FLOP/s cannot be a fresh prefill and is kept out. */
    @Test
    void aTtftFasterThanThePeakArithmeticIsKeptOut() {
        StepCorpus cached = StepCorpus.points().stream().filter(p -> p.id().equals("tt394-q4b-4090-4096-128"))
                .findFirst().orElseThrow();
        assertThat(cached.ttftMs()).hasValue(76.6);
        assertThat(cached.ttftPhysicallyPossible()).isFalse();
        assertThat(cached.measured(StepCorpus.Metric.TTFT)).isEmpty();
        assertThat(StepCorpus.rows(List.of(cached))).hasSize(1);
    }
}
