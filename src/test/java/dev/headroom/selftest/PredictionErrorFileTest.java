package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.plan.StepCoefficients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionErrorFileTest {

    private static String fresh;
    private static StepFidelity.Evaluation evaluation;

    @BeforeAll
    static void regenerate() {
        List<Fidelity.Outcome> kv = FidelityCase.corpus().stream()
                .filter(c -> c.kind() == FidelityCase.Kind.KV_TOKENS).map(Fidelity::predict).toList();
        evaluation = StepFidelity.evaluate();
        fresh = PredictionErrorFile.json(evaluation, kv);
    }

    /** The bundled step-model fit (and the engine's choice of step cost) cannot go stale either. */
    @Test
    void theBundledCoefficientsEqualAFreshFit() throws Exception {
        String bundled = Files.readString(Path.of(PredictionErrorFile.COEFFICIENTS));
        assertThat(bundled).as("%s is stale; regenerate it with: %s", PredictionErrorFile.COEFFICIENTS, PredictionErrorFile.REGENERATE)
                .isEqualTo(evaluation.coefficients().json());
        assertThat(StepCoefficients.BUNDLED.frontEnd()).as("the engine's default API server is the bundled fit's")
                .isEqualTo(RooflineCalibration.DEFAULTS.frontEnd());
    }

    /** The bundled bands cannot go stale: a change to the corpus, the model or the simulator must regenerate them. */
    @Test
    void theBundledFileEqualsAFreshRegeneration() throws Exception {
        String bundled = Files.readString(Path.of(PredictionErrorFile.RESOURCE));
        assertThat(bundled).as("%s is stale; regenerate it with: %s", PredictionErrorFile.RESOURCE, PredictionErrorFile.REGENERATE)
                .isEqualTo(fresh);
    }

    @Test
    void everyBandHasTheAgreedKeysAndAtLeastOnePoint() throws Exception {
        JsonNode root = new ObjectMapper().readTree(fresh);
        assertThat(root.get("generated_by").asText()).isEqualTo("headroom selftest fidelity --write-bands");
        assertThat(root.get("step_model").asText()).isIn("fitted", "roofline");
        JsonNode corpus = root.get("corpus");
        assertThat(corpus.get("points").asInt()).isGreaterThanOrEqualTo(27);
        assertThat(corpus.get("gpus")).hasSizeGreaterThanOrEqualTo(3);
        for (String range : List.of("params_billions", "concurrency", "input_tokens", "output_tokens")) {
            assertThat(corpus.get(range)).as(range).hasSize(2);
            assertThat(corpus.get(range).get(0).asDouble()).as(range).isLessThanOrEqualTo(corpus.get(range).get(1).asDouble());
        }
        Set<String> cells = new HashSet<>();
        for (JsonNode b : root.get("bands")) {
            assertThat(b.get("metric").asText()).isIn("ttft", "tpot", "itl", "e2e", "throughput", "kv_tokens");
            assertThat(b.get("size").asText()).isIn("<2B", "2-10B", ">10B", "any");
            assertThat(b.get("load").asText()).isIn("single", "multi", "any");
            assertThat(b.get("points").asInt()).isPositive();
            assertThat(b.get("median_abs_pct").asDouble()).isLessThanOrEqualTo(b.get("p90_abs_pct").asDouble());
            assertThat(cells.add(b.get("metric").asText() + b.get("gpu_seen") + b.get("size") + b.get("load"))).isTrue();
        }
        assertThat(cells).contains("e2etrue\"any\"\"any\"", "e2efalse\"any\"\"any\"", "kv_tokenstrue\"any\"\"any\"");
    }

    @Test
    void writeCreatesTheFolderAndWritesTheSameText(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/bands.json");
        List<Fidelity.Outcome> kv = FidelityCase.corpus().stream()
                .filter(c -> c.kind() == FidelityCase.Kind.KV_TOKENS).map(Fidelity::predict).toList();
        PredictionErrorFile.write(file, StepFidelity.evaluate(), kv);
        assertThat(Files.readString(file)).isEqualTo(fresh);
    }
}
