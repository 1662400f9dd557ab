package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.plan.RooflineCalibration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrateCommandTest {

    @Test
    void calibratesASweepAndWritesAFileThatCalibrationReads(@TempDir Path tmp) throws IOException {
        double[][] sweep = {{1, 5.134}, {2, 5.198}, {4, 5.291}, {8, 5.599}, {16, 6.111}, {32, 7.457}};
        for (double[] p : sweep) {
            Path dir = Files.createDirectories(tmp.resolve("points/default/random-c" + (int) p[0]));
            Files.writeString(dir.resolve("summary.json"), String.format(Locale.ROOT, "{\"completed\": 40, "
                    + "\"total_input_tokens\": 10240, \"total_output_tokens\": 5120, \"median_tpot_ms\": %.3f}", p[1]));
        }
        Path out = tmp.resolve("cal.yaml");
        CliRun r = CliRun.headroom("calibrate", tmp.toString(), "--model", "qwen2.5-0.5b-instruct", "--gpu", "l4",
                "--vllm-version", "0.23.0", "--gpu-memory-utilization", "0.6", "--max-model-len", "8192",
                "--out", out.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("held out", "fitted", "band ±", "within the band", "wrote " + out);
        assertThat(RooflineCalibration.load(out).bandPercent()).isGreaterThanOrEqualTo(2);
        CliRun empty = CliRun.headroom("calibrate", tmp.resolve("nothing").toString(), "--model", "qwen2.5-0.5b-instruct");
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).contains("nothing");
    }
}
