package dev.headroom.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.plan.PredictionBands.Band;
import dev.headroom.plan.PredictionBands.Load;
import dev.headroom.plan.PredictionBands.Metric;
import dev.headroom.plan.PredictionBands.Run;
import dev.headroom.plan.PredictionBands.Size;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.Quantization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PredictionBandsTest {

    static PredictionBands fixture() throws IOException {
        try (InputStream in = PredictionBandsTest.class.getResourceAsStream("/dev/headroom/plan/prediction-error-fixture.json")) {
            return PredictionBands.read(in);
        }
    }

    private static Run run(String gpu, double params, int concurrency) {
        return new Run(gpu, params, concurrency, 512, 256, Quantization.NONE, 1);
    }

    @Test
    void fivePointsOfOneModelAreOneSourcesOffsetSoTheBandFallsBack() throws IOException {
        String text;
        try (InputStream in = PredictionBandsTest.class.getResourceAsStream("/dev/headroom/plan/prediction-error-fixture.json")) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String oneModel = text.replace("\"load\": \"multi\", \"points\": 6, \"models\": 3", "\"load\": \"multi\", \"points\": 6, \"models\": 1");
        assertThat(oneModel).isNotEqualTo(text);
        Band b = PredictionBands.read(new java.io.ByteArrayInputStream(oneModel.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .band(Metric.TPOT, run("l4", 7, 8)).orElseThrow();

        assertThat(b.cell().size()).isEqualTo(Size.ANY);
        assertThat(b.cell().load()).isEqualTo(Load.ANY);
        assertThat(b.fellBack()).isTrue();
    }

    @Test
    void theRunsOwnRegimeWinsWhenItHasFivePoints() throws IOException {
        Band b = fixture().band(Metric.TPOT, run("l4", 7, 8)).orElseThrow();

        assertThat(b.cell().size()).isEqualTo(Size.FROM_2_TO_10B);
        assertThat(b.cell().load()).isEqualTo(Load.MULTI);
        assertThat(b.cell().p90AbsPct()).isEqualTo(9.0);
        assertThat(b.fellBack()).isFalse();
    }

    @Test
    void aThinCellFallsBackToEverySizeThenEveryLoad() throws IOException {
        PredictionBands bands = fixture();

        // 2-10B single has 3 points: every size at single load (8 points) is next
        Band single = bands.band(Metric.TPOT, run("l4", 7, 1)).orElseThrow();
        assertThat(single.cell().size()).isEqualTo(Size.ANY);
        assertThat(single.cell().load()).isEqualTo(Load.SINGLE);
        assertThat(single.fellBack()).isTrue();
        // a >10B model under load has no cell of its own and no any-size multi cell: every size, every load
        Band large = bands.band(Metric.TPOT, run("l4", 14, 32)).orElseThrow();
        assertThat(large.cell().size()).isEqualTo(Size.ANY);
        assertThat(large.cell().load()).isEqualTo(Load.ANY);
    }

    @Test
    void withNoCellOfFivePointsTheFallbackWithTheMostPointsIsUsed() throws IOException {
        Band b = fixture().band(Metric.TTFT, run("l4", 0.6, 4)).orElseThrow();

        assertThat(b.cell().points()).isEqualTo(4);
        assertThat(b.cell().p90AbsPct()).isEqualTo(35.0);
        assertThat(b.fellBack()).isTrue();
    }

    @Test
    void aGpuOutsideTheCorpusTakesTheLeftOutGpuError() throws IOException {
        PredictionBands bands = fixture();
        Band b = bands.band(Metric.E2E, run("h100", 7, 8)).orElseThrow();

        assertThat(bands.gpuSeen(run("h100", 7, 8))).isFalse();
        assertThat(b.cell().gpuSeen()).isFalse();
        assertThat(b.cell().p90AbsPct()).isEqualTo(20.0);
        // the planner fits nothing per GPU: KV tokens keep their one error
        assertThat(bands.band(Metric.KV_TOKENS, run("h100", 7, 8)).orElseThrow().cell().p90AbsPct()).isEqualTo(4.0);
    }

    @Test
    void itlTakesTpotsBandWhenTheFileHasNone() throws IOException {
        PredictionBands bands = fixture();

        assertThat(bands.band(Metric.ITL, run("l4", 7, 8))).isEqualTo(bands.band(Metric.TPOT, run("l4", 7, 8)));
    }

    @Test
    void theRangeIsThePredictionPlusAndMinusItsP90Error() throws IOException {
        double[] range = fixture().band(Metric.TPOT, run("l4", 7, 8)).orElseThrow().range(20.0);

        assertThat(range[0]).isCloseTo(20.0 * 0.91, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(range[1]).isCloseTo(20.0 * 1.09, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aRunInsideTheCorpusHasNoCoverageNote() throws IOException {
        assertThat(fixture().outsideCoverage(run("a100-80gb", 7, 16))).isEmpty();
        assertThat(fixture().outsideCoverage(new Run("a100-80gb", 7, 16, 512, 256, new Quantization("fp8", 8, 0), 1)))
                .as("FP8 weights are in the corpus").isEmpty();
    }

    @Test
    void everyDimensionOutsideTheCorpusIsNamedInPlainWords() throws IOException {
        var notes = fixture().outsideCoverage(new Run("h100", 32.8, 256, 8192, 32, new Quantization("awq", 4, 128), 2));

        assertThat(notes).containsExactly(
                "no published vLLM run on this GPU was in the error corpus, so the ranges are the error on GPUs left out of the fit",
                "no published vLLM run in the error corpus had AWQ 4-bit weights (it holds FP8 and 16-bit ones), so the ranges are the error on those",
                "the model is split over 2 GPUs (tensor parallelism), as no published vLLM run in the error corpus was, and the simulator leaves out the time the GPUs spend exchanging results: expect the real run slower than the range",
                "the model (32.8 billion parameters) is larger than any in the error corpus (0.5 to 14 billion)",
                "the load (256 requests in flight) is heavier than any in the error corpus (1 to 64 requests)",
                "the prompts (8,192 tokens on average) are longer than any in the error corpus (128 to 4,096 tokens)",
                "the outputs (32 tokens on average) are shorter than any in the error corpus (64 to 1,024 tokens)");
    }

    @Test
    void sizeAndLoadClassesFollowTheFilesBoundaries() {
        assertThat(Size.of(1.99)).isEqualTo(Size.UNDER_2B);
        assertThat(Size.of(2)).isEqualTo(Size.FROM_2_TO_10B);
        assertThat(Size.of(10)).isEqualTo(Size.FROM_2_TO_10B);
        assertThat(Size.of(10.1)).isEqualTo(Size.OVER_10B);
        assertThat(Load.of(1)).isEqualTo(Load.SINGLE);
        assertThat(Load.of(2)).isEqualTo(Load.MULTI);
    }

    @Test
    void aCellWithAnUnknownMetricIsRefusedByName() {
        String json = "{\"corpus\":{},\"bands\":[{\"metric\":\"goodput\",\"gpu_seen\":true,\"size\":\"any\",\"load\":\"any\","
                + "\"points\":3,\"median_abs_pct\":1,\"p90_abs_pct\":2}]}";

        assertThatThrownBy(() -> PredictionBands.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("metric 'goodput'");
    }

    /** The bundled file is read once: every prediction asks for it, and it does not change while headroom runs. */
    @Test
    void thePublishedBandsAreReadOnce() {
        assertThat(PredictionBands.published()).isSameAs(PredictionBands.published());
    }

    @Test
    void thePublishedFileCoversEveryMetricTheSimulatorPredictsOnEveryCatalogGpu() {
        PredictionBands published = PredictionBands.published();

        for (Gpu gpu : Gpu.values()) {
            for (Metric m : Metric.values()) {
                assertThat(published.band(m, run(gpu.id(), 7, 8))).as(m + " on " + gpu.id()).isPresent();
            }
        }
    }

    @Test
    void anErrorOfMoreThanTheFigureLeavesZeroAsTheLowerBound() {
        Band b = new Band(new PredictionBands.Cell(Metric.TPOT, true, Size.ANY, Load.ANY, 6, 2, 2.3, 110.7), false);
        assertThat(b.range(10.0)).containsExactly(new double[] {0.0, 21.07}, org.assertj.core.data.Offset.offset(1e-9));
    }
}
