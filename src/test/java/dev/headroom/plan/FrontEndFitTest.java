package dev.headroom.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FrontEndFitTest {

    private static final FrontEnd START = new FrontEnd(10, 1, 30);

    private static CalibrationPoint point(double inputTokens, double outsideMs) {
        return new CalibrationPoint("r", 4, inputTokens, 128, 10, outsideMs);
    }

    /** Three runs of three prompt lengths on 5 ms + 2 µs per token: both costs come back. */
    @Test
    void threeRunsOfSeveralPromptLengthsGiveBothCosts() {
        FrontEndFit.Result r = FrontEndFit.fit(List.of(point(1000, 7), point(2000, 9), point(4000, 13)), START);
        assertThat(r.points()).isEqualTo(3);
        assertThat(r.frontEnd().perRequestMs()).isCloseTo(5, within(1e-9));
        assertThat(r.frontEnd().perPromptTokenUs()).isCloseTo(2, within(1e-9));
        assertThat(r.frontEnd().perOutputTokenUs()).as("not in the TTFT split").isEqualTo(30);
    }

    /** One prompt length cannot separate the constant from the per-token cost: the constant is the median. */
    @Test
    void onePromptLengthGivesTheConstantOnly() {
        FrontEndFit.Result r = FrontEndFit.fit(List.of(point(1000, 6), point(1000, 8), point(1000, 30)), START);
        assertThat(r.frontEnd().perPromptTokenUs()).isEqualTo(1);
        assertThat(r.frontEnd().perRequestMs()).as("median 8 ms less 1 µs × 1000 tokens").isCloseTo(7, within(1e-9));
    }

    /** Two runs, or runs without the server's split, are not enough: nothing is solved from one or two points. */
    @Test
    void fewerThanThreeSplitsKeepTheStart() {
        assertThat(FrontEndFit.fit(List.of(point(1000, 6), point(2000, 8), point(3000, Double.NaN)), START))
                .isEqualTo(new FrontEndFit.Result(START, 0));
    }
}
