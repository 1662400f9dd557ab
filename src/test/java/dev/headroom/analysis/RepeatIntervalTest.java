package dev.headroom.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The 95% interval over repeats, against intervals computed by hand with Student's t. */
class RepeatIntervalTest {

    @Test
    void threeRunsGiveTheStudentTIntervalComputedByHand() {
        // 260, 271, 282: mean 271, s = sqrt((121 + 0 + 121) / 2) = 11, t(0.975, 2) = 4.302653,
        // half-width = 4.302653 * 11 / sqrt(3) = 27.3255.
        RepeatInterval i = RepeatInterval.of(List.of(260.0, 271.0, 282.0));
        assertThat(i.runs()).isEqualTo(3);
        assertThat(i.computed()).isTrue();
        assertThat(i.mean()).isCloseTo(271, within(1e-9));
        assertThat(i.halfWidth()).isCloseTo(27.3255, within(1e-3));
        assertThat(i.low()).isCloseTo(243.6745, within(1e-3));
        assertThat(i.high()).isCloseTo(298.3255, within(1e-3));
    }

    @Test
    void fiveRunsUseFourDegreesOfFreedom() {
        // 10, 12, 9, 11, 13: mean 11, s^2 = 10 / 4 = 2.5, t(0.975, 4) = 2.776445, half = 2.776445 * sqrt(2.5 / 5) = 1.96323.
        RepeatInterval i = RepeatInterval.of(List.of(10.0, 12.0, 9.0, 11.0, 13.0));
        assertThat(i.halfWidth()).isCloseTo(1.96323, within(1e-4));
    }

    @Test
    void oneOrTwoRunsGiveAMeanButNoInterval() {
        RepeatInterval once = RepeatInterval.of(List.of(300.0));
        assertThat(once.runs()).isEqualTo(1);
        assertThat(once.mean()).isEqualTo(300.0);
        assertThat(once.computed()).isFalse();
        RepeatInterval twice = RepeatInterval.of(java.util.Arrays.asList(300.0, null, 310.0));
        assertThat(twice.runs()).as("a run that did not measure the figure is left out").isEqualTo(2);
        assertThat(twice.mean()).isEqualTo(305.0);
        assertThat(twice.computed()).isFalse();
        assertThat(twice.toMap()).containsEntry("runs", 2).containsEntry("half_width", null).containsEntry("low", null);
    }

    @ParameterizedTest(name = "t(0.975, {0}) = {1}")
    @CsvSource({"1, 12.7062", "2, 4.3027", "10, 2.2281", "30, 2.0423", "31, 2.0395", "40, 2.0211", "60, 2.0003",
        "120, 1.9799", "1000, 1.9623"})
    void theTQuantileMatchesStudentsTable(int df, double t) {
        assertThat(RepeatInterval.tQuantile975(df)).isCloseTo(t, within(1e-4));
    }

    @Test
    void analysisJsonGivesTheBestPointsIntervalOverItsRepeats(@TempDir Path tmp) throws IOException {
        Analysis a = Fixtures.analyze(null, "repeats-sweep");
        Path file = tmp.resolve("analysis.json");
        AnalysisJson.write(file, a, 0.01);
        JsonNode best = new ObjectMapper().readTree(file.toFile()).get("best");
        assertThat(best.get("concurrency").asInt()).isEqualTo(16);
        JsonNode interval = best.get("interval");
        assertThat(interval.get("level").asDouble()).isEqualTo(0.95);
        assertThat(interval.get("method").asText()).isEqualTo("student_t");
        // throughput 900, 905, 895: s = 5, half = 4.302653 * 5 / sqrt(3) = 12.4207
        JsonNode tps = interval.get("output_throughput");
        assertThat(tps.get("runs").asInt()).isEqualTo(3);
        assertThat(tps.get("mean").asDouble()).isCloseTo(900, within(1e-9));
        assertThat(tps.get("half_width").asDouble()).isCloseTo(12.4207, within(1e-3));
        // p95 E2E 1300, 1350, 1280: mean 1310, s = sqrt(2600 / 2) = 36.0555, half = 4.302653 * 36.0555 / sqrt(3) = 89.567
        JsonNode p95 = interval.get("p95_e2el_ms");
        assertThat(p95.get("mean").asDouble()).isCloseTo(1310, within(1e-9));
        assertThat(p95.get("half_width").asDouble()).isCloseTo(89.567, within(1e-2));
        assertThat(p95.get("low").asDouble()).isCloseTo(1310 - 89.567, within(1e-2));
    }
}
