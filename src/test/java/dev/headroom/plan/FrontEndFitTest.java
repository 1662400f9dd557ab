package dev.headroom.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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

    /** A run without the split: its median TTFT at a load. */
    private static CalibrationPoint run(int concurrency, double inputTokens, double ttftMs) {
        return new CalibrationPoint("c" + concurrency + "-p" + inputTokens, concurrency, inputTokens, 128, 10, Double.NaN,
                ttftMs, concurrency * 2.0);
    }

    /**
     * A stand-in simulator: the engine takes 20 ms plus 10 µs a prompt token to its first token, and in front of it
     * the API server's constant and its tokenization, whose queue grows with the load (a tenth more per stream).
     */
    private static final FrontEndFit.TtftModel TOY = (run, cal) -> 20 + 0.01 * run.inputTokens()
            + cal.frontEnd().perRequestMs()
            + cal.frontEnd().perPromptTokenUs() * 1e-3 * run.inputTokens() * (1 + 0.1 * (run.concurrency() - 1));

    private static CalibrationPoint measured(int concurrency, double inputTokens, FrontEnd truth) {
        CalibrationPoint shape = run(concurrency, inputTokens, Double.NaN);
        return run(concurrency, inputTokens, TOY.medianTtftMs(shape, CALIBRATION.withFrontEnd(truth)));
    }

    /** Runs at two loads and two prompt lengths on 12 ms + 30 µs a token: the fit from load gives both back. */
    @Test
    void twoLoadsAndTwoPromptLengthsGiveBothCosts() {
        FrontEnd truth = new FrontEnd(12, 30, 30);
        List<CalibrationPoint> runs = List.of(measured(1, 500, truth), measured(8, 500, truth), measured(1, 2000, truth),
                measured(8, 2000, truth));
        FrontEndFit.Fitted r = (FrontEndFit.Fitted) FrontEndFit.fromLoads(runs, CALIBRATION, TOY);
        assertThat(r.method()).isEqualTo(FrontEndFit.Method.LOADS);
        assertThat(r.points()).isEqualTo(4);
        assertThat(r.frontEnd().perRequestMs()).isCloseTo(12, within(1e-6));
        assertThat(r.frontEnd().perPromptTokenUs()).isCloseTo(30, within(1e-6));
        assertThat(r.frontEnd().perOutputTokenUs()).as("kept").isEqualTo(30);
        assertThat(r.perRequestMsError()).isCloseTo(0, within(1e-6));
    }

    /** The fit from load refuses, in one line that says what is needed, runs that cannot identify the costs. */
    @Test
    void runsThatCannotIdentifyTheCostsAreRefused() {
        FrontEnd truth = new FrontEnd(12, 30, 30);
        assertThat(reason(List.of(measured(1, 500, truth), measured(8, 2000, truth))))
                .isEqualTo("2 runs carry a median TTFT, 3 are needed");
        assertThat(reason(List.of(measured(4, 500, truth), measured(4, 1000, truth), measured(4, 2000, truth))))
                .isEqualTo("every run is at one load (concurrency 4); runs at two loads or more are needed");
        assertThat(reason(List.of(measured(1, 500, truth), measured(4, 510, truth), measured(8, 505, truth))))
                .isEqualTo("every run has one prompt length (500 to 510 tokens); runs of two prompt lengths, the "
                        + "longest 1.2x the shortest or more, are needed");
        // TTFT that falls as the prompts grow: only a negative per-token cost would explain it.
        assertThat(reason(List.of(run(1, 500, 80), run(8, 500, 90), run(1, 2000, 60), run(8, 2000, 70))))
                .startsWith("the fit is negative");
    }

    private static String reason(List<CalibrationPoint> runs) {
        FrontEndFit.Result r = FrontEndFit.fromLoads(runs, CALIBRATION, TOY);
        assertThat(r.frontEnd()).isEqualTo(START);
        return ((FrontEndFit.Kept) r).reason();
    }
}
