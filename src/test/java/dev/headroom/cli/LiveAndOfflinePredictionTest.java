package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.plan.FrontEnd;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.plan.StepModels;
import dev.headroom.results.SummaryJson;
import dev.headroom.server.SimLauncher;
import dev.headroom.spec.ServingSetup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One point predicted two ways: {@code run} through the embedded simulator over HTTP (the wall clock) and
 * {@code run --offline} (the virtual clock). Both put the same API server in front of the same engine, so they agree,
 * and both show the time outside the engine.
 */
class LiveAndOfflinePredictionTest {

    /** One stream of long prompts: no batching that arrival jitter could change, a TTFT of a few hundred ms. */
    private static final String[] POINT = {"--workload", "random", "--input-tokens", "2000", "--output-tokens", "16",
            "--concurrency", "1", "--requests", "4", "--warmup", "0", "--seed", "11", "--no-progress"};

    @Test
    void theEmbeddedSimulatorOverHttpAgreesWithTheOfflinePrediction(@TempDir Path dir) throws IOException {
        Map<String, Object> live = run(dir.resolve("live"));
        Map<String, Object> offline = run(dir.resolve("offline"), "--offline");

        ServingSetup setup = SimLauncher.embeddedDefaultSetup();
        FrontEnd api = StepModels.forEngine(setup, RooflineCalibration.DEFAULTS).frontEnd();
        double modelledOutsideMs = api.perRequestMs() + api.perPromptTokenUs() * 1e-3 * number(offline, "total_input_tokens") / 4;
        assertThat(modelledOutsideMs).as("the bundled API server costs something").isPositive();
        assertThat(number(offline, "median_ttft_outside_engine_ms")).as("offline: tokenization and hand-off")
                .isCloseTo(modelledOutsideMs, within(0.5));

        // The server's own schedule (its per-request metrics, on the engine's clock) is the offline one exactly.
        assertThat(number(live, "median_engine_ttft_ms")).isCloseTo(number(offline, "median_engine_ttft_ms"), within(0.01));
        assertThat(number(live, "median_engine_queue_ms")).isCloseTo(number(offline, "median_engine_queue_ms"), within(0.01));
        // Over HTTP the client also waits for the network and for threads a loaded machine wakes late: never less
        // than the prediction (causality), and, stated tolerance, at most 15% more TTFT and 10% more E2E.
        double ttft = number(offline, "median_ttft_ms");
        assertThat(number(live, "median_ttft_ms")).isBetween(ttft - 0.01, ttft * 1.15);
        double e2e = number(offline, "median_e2el_ms");
        assertThat(number(live, "median_e2el_ms")).isBetween(e2e - 0.01, e2e * 1.10);
        assertThat(number(live, "median_ttft_outside_engine_ms")).as("the live server's time outside the engine")
                .isGreaterThanOrEqualTo(modelledOutsideMs - 0.01);
    }

    private static Map<String, Object> run(Path out, String... extra) throws IOException {
        CliRun r = CliRun.headroom(SweepCommandTest.concat(SweepCommandTest.concat(new String[] {"run", "--out",
                out.toString()}, extra), POINT));
        assertThat(r.exit()).as(r.err()).isZero();
        return SummaryJson.read(out.resolve("summary.json"));
    }

    private static double number(Map<String, Object> summary, String key) {
        return ((Number) summary.get(key)).doubleValue();
    }
}
