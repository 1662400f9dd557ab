package dev.headroom.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.engine.OfflineMedians;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibratorTest {

    private static final ServingSetup QWEN_L4 = PlanFixtures.setup("qwen2.5-0.5b-instruct", Gpu.L4, "0.23.0",
            new ServeFlags(null, 0.6, 8192, null, null, null, null, null, null, null, null, null, null));
    private static final RooflineCalibration START = RooflineCalibration.HAND_SET;

    /**
     * A stand-in simulator: 24 layers of the floor each step, and 1 GB of weights plus 12 kB of KV per token of
     * every running request's context read at 300 GB/s·mbu; TTFT is not asked for.
     */
    private static final RunModel TOY = (run, cal) -> new RunModel.Medians(24 * floorUs(cal) / 1e3
            + (1e9 + 12e3 * run.concurrency() * (run.inputTokens() + run.outputTokens() / 2)) / (300e9 * cal.mbu()) * 1e3,
            Double.NaN);

    private static List<CalibrationPoint> measured(RooflineCalibration truth, int[] levels, double... noise) {
        List<CalibrationPoint> runs = new ArrayList<>();
        for (int i = 0; i < levels.length; i++) {
            CalibrationPoint shape = new CalibrationPoint("c" + levels[i], levels[i], 2048, 128, 1);
            double tpot = TOY.medians(shape, truth).tpotMs() * (1 + (noise.length == 0 ? 0 : noise[i % noise.length]));
            runs.add(new CalibrationPoint(shape.label(), levels[i], 2048, 128, tpot));
        }
        return runs;
    }

    /** The floor of {@code c} in µs on the L4, the GPU the stand-in simulates. */
    static double floorUs(RooflineCalibration c) {
        return c.layerFloorSeconds(Gpu.L4.boostClockHz()) * 1e6;
    }

    private static RooflineCalibration step(double mbu, double floorUs) {
        return new RooflineCalibration(mbu, START.mfu(), START.stepOverheadMs(), START.perSeqOverheadUs(),
                floorUs * 1e-6 * Gpu.L4.boostClockHz(),
                START.bandPercent(), START.frontEnd());
    }

    @Test
    void recoversAKnownStepFromRunsOfSeveralLoads() {
        Calibrator.Fit fit = Calibrator.fit(QWEN_L4, measured(step(0.8, 40), new int[] {1, 2, 4, 8, 16, 32}), START, TOY);
        StepRefit.Fitted step = (StepRefit.Fitted) fit.step();
        assertThat(step.runs()).isEqualTo(6);
        assertThat(fit.calibration().mbu()).isCloseTo(0.8, within(1e-3));
        assertThat(floorUs(fit.calibration())).isCloseTo(40, within(0.1));
        assertThat(fit.worstHeldOutPercent()).isLessThan(0.1);
        assertThat(fit.calibration().bandPercent()).as("at least half the uncalibrated band").isEqualTo(5);
    }

    /** The constants calibrate does not fit stay the start's: a calibration file's own 8-bit rate is kept. */
    @Test
    void theStartsOwnEightBitRateIsKept() {
        RooflineCalibration start = new RooflineCalibration(START.mbu(), START.mfu(), START.stepOverheadMs(),
                START.perSeqOverheadUs(), START.layerFloorCycles(), START.bandPercent(), START.frontEnd(), 0.71);
        Calibrator.Fit fit = Calibrator.fit(QWEN_L4, measured(step(0.8, 40), new int[] {1, 2, 4, 8, 16, 32}), start, TOY);
        assertThat(fit.calibration().mbu()).isCloseTo(0.8, within(1e-3));
        assertThat(fit.calibration().mfu8Bit()).isEqualTo(0.71);
    }

    /** The band is 1.5x the worst error of each run predicted from a fit to the others. */
    @Test
    void theBandComesFromEachRunPredictedFromTheOthers() {
        Calibrator.Fit fit = Calibrator.fit(QWEN_L4, measured(step(0.8, 40), new int[] {1, 2, 4, 8, 16, 32},
                0.05, -0.04, 0.06, -0.05), START, TOY);
        double worst = fit.residuals().stream().mapToDouble(r -> Math.abs(r.heldOutErrorPercent())).max().orElseThrow();
        assertThat(worst).isEqualTo(fit.worstHeldOutPercent()).isGreaterThan(5);
        assertThat(fit.calibration().bandPercent()).isEqualTo(Math.ceil(1.5 * worst * 2) / 2);
        assertThat(fit.residuals()).allSatisfy(r -> assertThat(Math.abs(r.heldOutErrorPercent()))
                .as("a held-out run is predicted worse than when it is fitted")
                .isGreaterThanOrEqualTo(Math.abs(r.fittedErrorPercent()) - 1e-6));
    }

    /** Two runs are not enough: nothing is solved from two points; the start and its band are kept, and why. */
    @Test
    void twoRunsKeepTheStartAndSayWhy() {
        Calibrator.Fit fit = Calibrator.fit(QWEN_L4, measured(step(0.8, 40), new int[] {1, 32}), START, TOY);
        assertThat(fit.step()).isInstanceOf(StepRefit.Kept.class);
        assertThat(((StepRefit.Kept) fit.step()).reason())
                .isEqualTo("2 runs, 3 are needed to fit the layer floor and bandwidth efficiency");
        assertThat(fit.calibration().mbu()).isEqualTo(START.mbu());
        assertThat(floorUs(fit.calibration())).isEqualTo(floorUs(START));
        assertThat(fit.calibration().bandPercent()).isEqualTo(START.bandPercent());
        assertThat(fit.worstHeldOutPercent()).isNaN();
    }

    /** Runs of one batch and one context cannot separate the floor from mbu: the floor alone, mbu kept. */
    @Test
    void runsOfOneBatchFitTheFloorAlone() {
        StepRefit.Fitted step = (StepRefit.Fitted) StepRefit.fit(measured(step(0.8, 40), new int[] {4, 4, 4},
                0.01, -0.01, 0), START, TOY);
        assertThat(step.calibration().mbu()).isEqualTo(START.mbu());
        assertThat(step.mbuError()).isNaN();
        assertThat(floorUs(step.calibration())).as("the floor takes the time mbu 0.93 does not explain")
                .isGreaterThan(40);
        assertThat(step.layerFloorCyclesError()).isPositive();
    }

    /** Steps faster than the bandwidth allows at any floor: the floor stays at 0 and mbu takes the rest. */
    @Test
    void aFitPressingBelowZeroKeepsTheFloorPhysical() {
        List<CalibrationPoint> runs = new ArrayList<>();
        for (CalibrationPoint p : measured(step(0.9, 0), new int[] {1, 4, 16, 64})) {
            runs.add(new CalibrationPoint(p.label(), p.concurrency(), p.inputTokens(), p.outputTokens(), p.tpotMs() - 0.3));
        }
        StepRefit.Fitted step = (StepRefit.Fitted) StepRefit.fit(runs, START, TOY);
        assertThat(floorUs(step.calibration())).isZero();
        assertThat(step.layerFloorCyclesError()).as("on its bound").isNaN();
        assertThat(step.calibration().mbu()).isBetween(0.9, 1.0);
        assertThat(step.mbuError()).isPositive();
    }

    static Path runFolder(Path root, String name, int concurrency, double tpotMs) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.writeString(dir.resolve("summary.json"), String.format(Locale.ROOT, "{\"completed\": 100, "
                + "\"total_input_tokens\": 25600, \"total_output_tokens\": 12800, \"median_tpot_ms\": %.4f}", tpotMs));
        Files.writeString(dir.resolve("run.yaml"), "workload: random\nconcurrency: " + concurrency + "\n");
        return dir;
    }

    /** The public L4 sweep (vLLM 0.23): every run predicted from a fit to the others lands inside the band. */
    @Test
    void thePublicSweepIsPredictedRunByRunFromTheOthers(@TempDir Path tmp) throws IOException {
        double[][] wmx = {{1, 5.134}, {2, 5.198}, {4, 5.291}, {8, 5.599}, {16, 6.111}, {32, 7.457}};
        for (double[] p : wmx) runFolder(tmp, "wmx-c" + (int) p[0], (int) p[0], p[1]);
        Calibrator.Fit fit = Calibrator.fit(QWEN_L4, CalibrationPoint.read(List.of(tmp)), RooflineCalibration.DEFAULTS,
                new OfflineMedians(QWEN_L4));
        assertThat(fit.worstHeldOutPercent()).isLessThanOrEqualTo(RooflineCalibration.DEFAULTS.bandPercent());
        Path file = tmp.resolve("calibration.yaml");
        fit.calibration().write(file, "test");
        assertThat(floorUs(RooflineCalibration.load(file))).isCloseTo(floorUs(fit.calibration()), within(0.01));
    }

    @Test
    void foldersWithoutRunsAreRefusedNamingTheFolder(@TempDir Path tmp) {
        assertThatThrownBy(() -> CalibrationPoint.read(List.of(tmp))).hasMessageContaining("no run folder");
        assertThatThrownBy(() -> CalibrationPoint.read(List.of(tmp.resolve("missing")))).hasMessageContaining("missing");
    }
}
