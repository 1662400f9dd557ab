package dev.headroom.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.spec.Gpu;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrontEndFitTest {

    private static final FrontEnd START = new FrontEnd(10, 1, 30);
    private static final RooflineCalibration CALIBRATION = RooflineCalibration.DEFAULTS.withFrontEnd(START);

    private static CalibrationPoint point(double inputTokens, double outsideMs) {
        return new CalibrationPoint("r", 4, inputTokens, 128, 10, outsideMs);
    }

    /** Three runs of three prompt lengths on 5 ms + 2 µs per token: both costs come back. */
    @Test
    void threeRunsOfSeveralPromptLengthsGiveBothCosts() {
        FrontEndFit.Fitted r = (FrontEndFit.Fitted) FrontEndFit.fromSplit(
                List.of(point(1000, 7), point(2000, 9), point(4000, 13)), START);
        assertThat(r.points()).isEqualTo(3);
        assertThat(r.method()).isEqualTo(FrontEndFit.Method.TTFT_SPLIT);
        assertThat(r.frontEnd().perRequestMs()).isCloseTo(5, within(1e-9));
        assertThat(r.frontEnd().perPromptTokenUs()).isCloseTo(2, within(1e-9));
        assertThat(r.perRequestMsError()).as("the points lie on the line").isCloseTo(0, within(1e-9));
        assertThat(r.frontEnd().perOutputTokenUs()).as("not in the TTFT split").isEqualTo(30);
    }

    /** One prompt length cannot separate the constant from the per-token cost: the constant is the median. */
    @Test
    void onePromptLengthGivesTheConstantOnly() {
        FrontEndFit.Result r = FrontEndFit.fromSplit(List.of(point(1000, 6), point(1000, 8), point(1000, 30)), START);
        assertThat(r.frontEnd().perPromptTokenUs()).isEqualTo(1);
        assertThat(r.frontEnd().perRequestMs()).as("median 8 ms less 1 µs × 1000 tokens").isCloseTo(7, within(1e-9));
    }

    /** Two runs, or runs without the server's split, are not enough: nothing is solved from one or two points. */
    @Test
    void fewerThanThreeSplitsKeepTheStart() {
        FrontEndFit.Result r = FrontEndFit.fromSplit(List.of(point(1000, 6), point(2000, 8), point(3000, Double.NaN)), START);
        assertThat(r).isInstanceOf(FrontEndFit.Kept.class);
        assertThat(r.frontEnd()).isEqualTo(START);
        assertThat(((FrontEndFit.Kept) r).reason()).isEqualTo("2 of the runs carry the server's TTFT split (per-request "
                + "metrics), 3 are needed");
    }

    /** A run without the split: its median TPOT and TTFT at a load. */
    private static CalibrationPoint run(int concurrency, double inputTokens, double tpotMs, double ttftMs) {
        return new CalibrationPoint("c" + concurrency + "-p" + inputTokens, concurrency, inputTokens, 128, tpotMs,
                Double.NaN, ttftMs, concurrency * 2.0);
    }

    /**
     * A stand-in simulator. Each step: 24 layers of the floor, and 1 GB of weights plus 12 kB of KV per token of every
     * running request's context at 300 GB/s·mbu. To the first token: the engine's 20 ms plus 10 µs a prompt token and
     * one floor of steps, and in front of it the API server's constant and its tokenization, whose queue grows with
     * the load (a tenth more per stream).
     */
    private static final RunModel TOY = (run, cal) -> new RunModel.Medians(24 * CalibratorTest.floorUs(cal) / 1e3
            + (1e9 + 12e3 * run.concurrency() * (run.inputTokens() + run.outputTokens() / 2)) / (300e9 * cal.mbu()) * 1e3,
            20 + 0.01 * run.inputTokens() + 24 * CalibratorTest.floorUs(cal) / 1e3 + cal.frontEnd().perRequestMs()
                    + cal.frontEnd().perPromptTokenUs() * 1e-3 * run.inputTokens() * (1 + 0.1 * (run.concurrency() - 1)));

    private static CalibrationPoint measured(int concurrency, double inputTokens, RooflineCalibration truth) {
        RunModel.Medians m = TOY.medians(run(concurrency, inputTokens, 1, Double.NaN), truth);
        return run(concurrency, inputTokens, m.tpotMs(), m.ttftMs());
    }

    /**
     * Runs at two loads and two prompt lengths on 12 ms + 30 µs a token, and a step of 40 µs a layer at mbu 0.8: the
     * fit from load gives all four back.
     */
    @Test
    void twoLoadsAndTwoPromptLengthsGiveBothCostsAndTheStep() {
        RooflineCalibration truth = new RooflineCalibration(0.8, CALIBRATION.mfu(), CALIBRATION.stepOverheadMs(),
                CALIBRATION.perSeqOverheadUs(), 40e-6 * Gpu.L4.boostClockHz(), 10, new FrontEnd(12, 30, 30));
        List<CalibrationPoint> runs = List.of(measured(1, 500, truth), measured(8, 500, truth), measured(1, 2000, truth),
                measured(8, 2000, truth));
        StepRefit.Outcome both = StepRefit.fitWithApiServer(runs, CALIBRATION, TOY);
        FrontEndFit.Fitted r = (FrontEndFit.Fitted) both.frontEnd();
        assertThat(r.method()).isEqualTo(FrontEndFit.Method.LOADS);
        assertThat(r.points()).isEqualTo(4);
        assertThat(r.frontEnd().perRequestMs()).isCloseTo(12, within(1e-3));
        assertThat(r.frontEnd().perPromptTokenUs()).isCloseTo(30, within(1e-3));
        assertThat(r.frontEnd().perOutputTokenUs()).as("kept").isEqualTo(30);
        assertThat(r.perRequestMsError()).isCloseTo(0, within(1e-3));
        assertThat(CalibratorTest.floorUs(both.step().calibration())).isCloseTo(40, within(0.01));
        assertThat(both.step().calibration().mbu()).isCloseTo(0.8, within(1e-4));
    }

    /** The fit from load refuses, in one line that says what is needed, runs that cannot identify the costs. */
    @Test
    void runsThatCannotIdentifyTheCostsAreRefused() {
        RooflineCalibration truth = CALIBRATION.withFrontEnd(new FrontEnd(12, 30, 30));
        assertThat(FrontEndFit.loadsRefusal(List.of(measured(1, 500, truth), measured(8, 2000, truth))))
                .isEqualTo("2 runs carry a median TTFT, 3 are needed");
        assertThat(FrontEndFit.loadsRefusal(List.of(measured(4, 500, truth), measured(4, 1000, truth),
                measured(4, 2000, truth))))
                .isEqualTo("every run is at one load (concurrency 4); runs at two loads or more are needed");
        assertThat(FrontEndFit.loadsRefusal(List.of(measured(1, 500, truth), measured(4, 510, truth),
                measured(8, 505, truth))))
                .isEqualTo("every run has one prompt length (500 to 510 tokens); runs of two prompt lengths, the "
                        + "longest 1.2x the shortest or more, are needed");
        // TTFT that falls as the prompts grow: only a negative per-token cost would explain it.
        List<CalibrationPoint> falling = List.of(run(1, 500, 5, 80), run(8, 500, 6, 90), run(1, 2000, 6, 60),
                run(8, 2000, 7, 70));
        assertThat(FrontEndFit.loadsRefusal(falling)).isNull();
        FrontEndFit.Result r = StepRefit.fitWithApiServer(falling, CALIBRATION, TOY).frontEnd();
        assertThat(r.frontEnd()).isEqualTo(START);
        assertThat(((FrontEndFit.Kept) r).reason()).startsWith("the fit is negative");
    }
}
