package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headroom.analysis.Analysis;
import dev.headroom.analysis.AnalysisJson;
import dev.headroom.analysis.Inputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The predicted chat sweep of {@link SweepFixtures} (p95 E2E 1,290, 1,320, 1,390, 1,520 ms at c=1, 2, 4, 8) with a
 * published P90 error of 10% on E2E, analyzed by analyze under the playbook's 1,500 ms target: c=2 is the highest load
 * whose whole range is within it, and c=4 (1,251–1,529 ms) is within the prediction's error of it. The playbook and
 * the report say so with the numbers.
 */
class PredictedVerdictTest {

    @TempDir
    static Path tmp;
    static String playbook;
    static String report;

    /** With a 20% error no load's whole range is within the target (c=1: 1,032–1,548 ms) and c=4 is the one to measure. */
    static String wideErrorPlaybook;

    @BeforeAll
    static void write() throws IOException {
        Study study = study(tmp.resolve("chat-t4-predicted"), 10);
        playbook = Files.readString(PlaybookWriter.write(study, tmp.resolve("playbook")).markdown());
        report = Files.readString(ReportWriter.write(study, tmp.resolve("report"), java.util.OptionalDouble.empty()).markdown());
        wideErrorPlaybook = Files.readString(PlaybookWriter.write(study(tmp.resolve("wide"), 20), tmp.resolve("wide-playbook")).markdown());
    }

    /** The predicted chat sweep with a P90 error of {@code pct} on p95 E2E, analyzed as analyze does. */
    private static Study study(Path root, double pct) throws IOException {
        Path dir = SweepFixtures.chatPredicted(root);
        try (Stream<Path> summaries = Files.walk(dir.resolve("points"))) {
            for (Path s : summaries.filter(p -> p.getFileName().toString().equals("summary.json")).toList()) {
                ObjectNode summary = (ObjectNode) SweepFixtures.JSON.readTree(s.toFile());
                double e2e = summary.path("p95_e2el_ms").asDouble();
                ObjectNode e2eBand = summary.putObject("prediction").putObject("metrics").putObject("e2e").put("p90_abs_pct", pct);
                e2eBand.putObject("ranges").putArray("p95_e2el_ms").add(e2e * (1 - pct / 100)).add(e2e * (1 + pct / 100));
                Files.writeString(s, summary.toPrettyString());
            }
        }
        AnalysisJson.write(dir.resolve("analysis.json"), Analysis.of(Inputs.load(List.of(dir)), null, 0.01), 0.01);
        return Study.of(List.of(SweepResults.read(dir)));
    }

    private static final String COMMAND = "`headroom sweep --url http://SERVER:8000 --model Qwen/Qwen2.5-1.5B-Instruct "
            + "--workload chat --concurrency 4 --repeat 3 --slo p95_e2el=1500ms --out measured-chat-c4`";

    @Test
    void thePlaybookServesTheLoadWhoseWholeRangeMeetsTheTargetAndNamesTheOneToMeasure() {
        assertThat(playbook).contains("serve at c=2: 200 tok/s at p95 E2E ≈ 1,320 ms (1,188–1,452) against a target of "
                        + "p95 E2E latency ≤ 1,500 ms (predicted).",
                "Going to c=4 would give 381 tok/s (+90%) at p95 E2E ≈ 1,390 ms (1,251–1,529), within the prediction's "
                        + "error of the 1,500 ms target — measure it before relying on it: " + COMMAND + ".",
                "**Serve at c=2**: 200 tok/s at p95 E2E ≈ 1,320 ms (1,188–1,452). Going to c=4");
        // The load to measure is the next one: its sentence says so once, not again as a sentence of its own.
        assertThat(playbook).doesNotContain("c=4 is predicted at p95 E2E latency");
    }

    @Test
    void theTradeOffTableSaysWithinThePredictionsErrorForALoadWhoseRangeCrossesTheTarget() {
        assertThat(report).contains("| c=2 **(recommended)** | 200 tok/s | 1,320 ms | yes |",
                "| c=4 | 381 tok/s | 1,390 ms | within the prediction's error |", "| c=8 | 690 tok/s | 1,520 ms | within the prediction's error |", "| c=16 | 1,216 tok/s | 1,740 ms | no |");
    }

    @Test
    void theReportsVerdictCarriesTheRangeAndTheCommand() {
        assertThat(report).contains("Serve chat at concurrency 2 (predicted): 200 tok/s, p95 E2E 1.32 s (range 1.19–1.45 s). "
                + "It is the highest load meeting the SLO (p95 E2E ≤ 1.50 s) over its whole predicted range",
                "; concurrency 4 would give 381 tok/s (+90%) and meets the SLO on its central prediction, p95 E2E 1.39 s, but "
                        + "its range, 1.25–1.53 s, crosses the 1.50 s target: within the prediction's error of the target, so "
                        + "measure it before relying on it: `headroom sweep --url http://SERVER:8000");
    }

    @Test
    void withNoLoadSurelyWithinTheTargetThePlaybookSaysSoWithTheLowestLoadsRangeAndNamesTheOneToMeasure() {
        assertThat(wideErrorPlaybook).contains("**Chat on T4 16 GB**: no load meets the latency target (p95 E2E latency ≤ 1,500 ms, "
                        + "predicted) over its whole predicted range: at c=1, the lowest, p95 E2E ≈ 1,290 ms (1,032–1,548). "
                        + "c=4 is predicted at p95 E2E latency 1,390 ms (range 1,112–1,668 ms) against the 1,500 ms target: "
                        + "within the prediction's error of the target — measure it before relying on it: `headroom sweep",
                "| Chat | T4 16 GB | none surely within the SLO; c=4 to measure |");
    }
}
