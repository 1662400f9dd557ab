package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.engine.EngineConfig;
import dev.headroom.engine.LiveEngine;
import dev.headroom.engine.SimTokenizer;
import dev.headroom.plan.Planner;
import dev.headroom.plan.PredictionBands;
import dev.headroom.plan.Roofline;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.plan.PredictionBands.Metric;
import dev.headroom.results.SummaryJson;
import dev.headroom.server.SimLauncher;
import dev.headroom.server.SimServer;
import dev.headroom.server.SimServerOptions;
import dev.headroom.server.SimTokenizers;
import dev.headroom.spec.ModelSpec;
import dev.headroom.spec.Quantization;
import dev.headroom.spec.ServingSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * summary.json's prediction block: on a run the simulator gave (offline or served by headroom), each figure's range
 * from the published error; none on a run against a server at a URL.
 */
class PredictionSummaryTest {

    private static final String[] POINT = {"--workload", "random", "--input-tokens", "16", "--output-tokens", "10",
            "--concurrency", "2", "--requests", "6", "--warmup", "0", "--no-progress"};

    @Test
    @SuppressWarnings("unchecked")
    void aPredictedRunCarriesEachFiguresRangeAndItsCoverageNotes(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.headroom(SweepCommandTest.concat(new String[] {"run", "--offline", "--gpu", "t4",
                "--model", "qwen2.5-0.5b-instruct", "--out", dir.toString()}, POINT));
        assertThat(r.exit()).as(r.err()).isZero();

        Map<String, Object> summary = SummaryJson.read(dir.resolve("summary.json"));
        Map<String, Object> block = (Map<String, Object>) summary.get("prediction");
        assertThat(block).containsEntry("gpu_in_corpus", false).containsEntry("load", "multi");
        Map<String, Object> tpot = (Map<String, Object>) ((Map<String, Object>) block.get("metrics")).get("tpot");
        double params = ModelSpec.resolve("qwen2.5-0.5b-instruct").parameterCount() / 1e9;
        double p90 = PredictionBands.published()
                .band(Metric.TPOT, new PredictionBands.Run("t4", params, 2, 16, 10, Quantization.NONE, 1)).orElseThrow().cell().p90AbsPct();
        assertThat(tpot).containsEntry("p90_abs_pct", p90).containsEntry("gpu_seen", false);
        double figure = ((Number) summary.get("median_tpot_ms")).doubleValue();
        List<Double> range = (List<Double>) ((Map<String, Object>) tpot.get("ranges")).get("median_tpot_ms");
        assertThat(range.get(0)).isCloseTo(figure * Math.max(0, 1 - p90 / 100), within(1e-3));
        assertThat(range.get(1)).isCloseTo(figure * (1 + p90 / 100), within(1e-3));
        // The corpus holds one-token prompts (the Qwen2.5 speed benchmark), so 16 tokens are inside its prompt span.
        assertThat((List<String>) block.get("outside_coverage"))
                .anyMatch(n -> n.startsWith("no published vLLM run on this GPU was in the error corpus"))
                .noneMatch(n -> n.startsWith("the prompts ("));
        assertThat(r.out()).contains("Predicted ranges (9 of 10 of the simulator's held-out predictions fell within")
                .containsPattern("median TPOT \\(ms\\): +" + String.format(Locale.ROOT, "%.1f - %.1f", range.get(0), range.get(1)))
                .contains("Outside the error corpus: no published vLLM run on this GPU was in the error corpus");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWeightFormatNoPublishedRunHadIsNamed(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.headroom(SweepCommandTest.concat(new String[] {"run", "--offline", "--gpu", "l4",
                "--model", "qwen2.5-7b-instruct", "-q", "bitsandbytes", "--out", dir.toString()}, POINT));
        assertThat(r.exit()).as(r.err()).isZero();

        String note = "no published vLLM run in the error corpus had bitsandbytes 4-bit weights (it holds AWQ, FP8 and"
                + " 16-bit ones), so the ranges are the error on those";
        Map<String, Object> block = (Map<String, Object>) SummaryJson.read(dir.resolve("summary.json")).get("prediction");
        assertThat((List<String>) block.get("outside_coverage")).containsExactly(note);
        assertThat(r.out()).contains("Outside the error corpus: " + note);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theEmbeddedSimulatorsRunJudgesTheWeightsItServed(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.headroom(SweepCommandTest.concat(new String[] {"run", "--gpu", "l4", "--model",
                "qwen2.5-7b-instruct", "-q", "bitsandbytes", "--out", dir.toString()}, POINT));
        assertThat(r.exit()).as(r.err()).isZero();

        assertThat(Files.readString(dir.resolve("run.yaml"))).contains("quantization: bitsandbytes");
        Map<String, Object> block = (Map<String, Object>) SummaryJson.read(dir.resolve("summary.json")).get("prediction");
        assertThat((List<String>) block.get("outside_coverage"))
                .anyMatch(n -> n.startsWith("no published vLLM run in the error corpus had bitsandbytes 4-bit weights"));
    }

    @Test
    void aRunAgainstTheEmbeddedSimulatorCarriesTheBlockToo(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.headroom(SweepCommandTest.concat(new String[] {"run", "--out", dir.toString()}, POINT));
        assertThat(r.exit()).as(r.err()).isZero();

        assertThat(SummaryJson.read(dir.resolve("summary.json"))).containsKey("prediction");
    }

    @Test
    void aRunAgainstAServerAtAUrlHasNoPredictionBlock(@TempDir Path dir) throws IOException {
        try (SimServer server = server()) {
            CliRun r = CliRun.headroom(SweepCommandTest.concat(new String[] {"run", "--url", server.baseUrl(),
                    "--out", dir.toString()}, POINT));
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).doesNotContain("Predicted ranges");
        }

        assertThat(SummaryJson.read(dir.resolve("summary.json"))).doesNotContainKey("prediction");
    }

    /** A server headroom did not start, as a real one is: the simulator on the loopback, given to run by --url. */
    static SimServer server() throws IOException {
        ServingSetup setup = SimLauncher.embeddedDefaultSetup();
        EngineConfig config = EngineConfig.from(setup, Planner.plan(setup));
        LiveEngine engine = LiveEngine.start(config, Roofline.from(setup, RooflineCalibration.DEFAULTS));
        return SimServer.start(engine, SimServerOptions.loopback("m", setup.serve().maxModelLen(),
                SimTokenizers.of(new SimTokenizer(config.vocabSize()))));
    }
}
