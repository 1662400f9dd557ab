package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.results.SummaryJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A predicted point's energy: the upper bound at full board power, labelled as one; never a measured figure. */
class PredictedEnergyTest {

    @Test
    void aPredictedPointCarriesTheBoardPowerUpperBoundAndNoMeasuredEnergy(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("h100");
        CliRun r = CliRun.headroom("run", "--offline", "--gpu", "h100", "--tensor-parallel-size", "2", "--workload", "random",
                "--input-tokens", "64", "--output-tokens", "32", "--concurrency", "8", "--requests", "40",
                "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("(estimated at full board power, an upper bound)").doesNotContain("GPU power mean");
        Map<String, Object> s = SummaryJson.read(out.resolve("summary.json"));
        double seconds = ((Number) s.get("duration")).doubleValue();
        long tokens = ((Number) s.get("total_output_tokens")).longValue();
        assertThat(s).containsEntry("gpu_board_power_w", 1400.0)
                .containsEntry("energy_basis", "estimated at full board power, an upper bound")
                .doesNotContainKey("energy_per_output_token_j").doesNotContainKey("gpu_power_mean_w");
        assertThat(((Number) s.get("energy_per_output_token_j_upper_bound")).doubleValue())
                .isCloseTo(1400 * seconds / tokens, within(1e-9));
    }
}
