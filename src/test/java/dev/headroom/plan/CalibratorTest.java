package dev.headroom.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.engine.OfflineTtft;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibratorTest {

    private static final ServingSetup QWEN_L4 = PlanFixtures.setup("qwen2.5-0.5b-instruct", Gpu.L4, "0.23.0",
            new ServeFlags(null, 0.6, 8192, null, null, null, null, null, null, null, null, null, null));

    static Path runFolder(Path root, String name, int concurrency, double tpotMs) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.writeString(dir.resolve("summary.json"), String.format(Locale.ROOT, "{\"completed\": 100, "
                + "\"total_input_tokens\": 25600, \"total_output_tokens\": 12800, \"median_tpot_ms\": %.4f}", tpotMs));
        Files.writeString(dir.resolve("run.yaml"), "workload: random\nconcurrency: " + concurrency + "\n");
        return dir;
    }

    @Test
    void recoversAKnownCalibrationFromPointsItGenerated(@TempDir Path tmp) throws IOException {
        RooflineCalibration truth = new RooflineCalibration(0.8, 0.5, 1.3, 50, 40, 10);
        MemoryPlan plan = Planner.plan(QWEN_L4);
        int[] levels = {1, 2, 4, 8, 16, 32, 64, 128};
        for (int c : levels) {
            CalibrationPoint p = new CalibrationPoint("x", c, 256, 128, 1);
            runFolder(tmp.resolve("sweep/points/default"), "random-c" + c, c, Calibrator.predictMs(QWEN_L4, plan, truth, p));
        }
        List<CalibrationPoint> points = CalibrationPoint.read(List.of(tmp.resolve("sweep")));
        assertThat(points).hasSize(levels.length);
        Calibrator.Fit fit = Calibrator.fit(QWEN_L4, points, RooflineCalibration.DEFAULTS, new OfflineTtft(QWEN_L4));
        assertThat(fit.calibration().mbu()).isCloseTo(0.8, within(0.02));
        assertThat(fit.calibration().layerFloorUs()).isCloseTo(40, within(3.0));
        assertThat(fit.residuals()).filteredOn(Calibrator.Residual::heldOut).hasSize(4);
        assertThat(fit.heldOutWithinBand()).isTrue();
    }

    /** The public L4 sweep (vLLM 0.23): half of it fits the model, the other half lands inside the printed band. */
    @Test
    void halfOfThePublicSweepPredictsTheOtherHalfWithinItsBand(@TempDir Path tmp) throws IOException {
        double[][] wmx = {{1, 5.134}, {2, 5.198}, {4, 5.291}, {8, 5.599}, {16, 6.111}, {32, 7.457}};
        for (double[] p : wmx) runFolder(tmp, "wmx-c" + (int) p[0], (int) p[0], p[1]);
        Calibrator.Fit fit = Calibrator.fit(QWEN_L4, CalibrationPoint.read(List.of(tmp)), RooflineCalibration.DEFAULTS, new OfflineTtft(QWEN_L4));
        assertThat(fit.heldOutWithinBand()).isTrue();
        assertThat(fit.calibration().bandPercent()).isLessThanOrEqualTo(10);
        Path file = tmp.resolve("calibration.yaml");
        fit.calibration().write(file, "test");
        assertThat(RooflineCalibration.load(file).layerFloorUs()).isCloseTo(fit.calibration().layerFloorUs(), within(0.01));
    }

    @Test
    void foldersWithoutRunsAreRefusedNamingTheFolder(@TempDir Path tmp) {
        assertThatThrownBy(() -> CalibrationPoint.read(List.of(tmp))).hasMessageContaining("no run folder");
        assertThatThrownBy(() -> CalibrationPoint.read(List.of(tmp.resolve("missing")))).hasMessageContaining("missing");
    }
}
