package dev.headroom.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.results.GroupKey;
import dev.headroom.results.Point;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import java.util.Arrays;
import java.util.List;

class MaxLoadSearchTest {

    @ParameterizedTest(name = "({0},{1})-({2},{3}) log={4}")
    @CsvSource(textBlock = """
            24, 0.8, 32, 1.2, false, 28.0
            32, 0.9, 64, 1.1, true,  45.254833995939045
            32, 0.5, 64, 1.0, true,  64.0
            1,  1.0, 2,  3.0, false, 1.0
            4,  0.9, 8,  0.8, false, 8.0
            """)
    void crossingOfOneOnTheLineBetweenTwoPoints(double x1, double r1, double x2, double r2, boolean log, double expected) {
        assertThat(MaxLoadSearch.crossing(x1, r1, x2, r2, log)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void aCrossingAtTheBracketsEndInLogLoadIsThatLoadExactly() {
        // exp(log(8)) is 7.999999999999998: the estimate must not fall outside its bracket
        assertThat(MaxLoadSearch.crossing(8, 1.0, 16, 3.0, true)).isEqualTo(8.0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            1 2 4 8 16 | true
            1 3 9      | true
            1 2 3 4    | false
            8 16       | true
            8 12       | false
            1 2 4 6    | false
            """)
    void geometricGrids(String loads, boolean geometric) {
        List<LoadPoint> points = Arrays.stream(loads.split(" ")).map(l -> new LoadPoint(Double.parseDouble(l),
                List.of(Points.at(Double.parseDouble(l)).build()))).toList();
        assertThat(MaxLoadSearch.geometric(points)).isEqualTo(geometric);
    }

    @Test
    void repeatsThatDisagreeMakeTheConfidenceLowAndGiveTheirRange() {
        Judge judge = new Judge(SloChoice.playbook("chat"), 0.01);
        List<Point> runs = List.of(
                Points.at(16).repeat(0).latencies(900, 80, 14, 1200).build(),
                Points.at(16).repeat(1).latencies(900, 80, 14, 1300).build(),
                Points.at(32).repeat(0).latencies(1100, 90, 15, 1450).build(),
                Points.at(32).repeat(1).latencies(1100, 90, 15, 1650).build());
        MaxLoad m = MaxLoadSearch.find(Analyzer.combine(runs, Axis.CONCURRENCY), judge, Axis.CONCURRENCY);
        assertThat(m.bracketLow()).isEqualTo(16.0);
        assertThat(m.bracketHigh()).as("mean 1550 ms fails").isEqualTo(32.0);
        assertThat(m.confidence()).startsWith("low: repeats disagree at concurrency 32 (1 of 2 meet the SLO)");
        assertThat(m.rangeHigh()).as("the best runs cross at 32 itself").isEqualTo(32.0);
        assertThat(m.rangeLow()).isLessThan(m.load());
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(textBlock = """
            27.4,  CONCURRENCY, 27.0
            0.4,   CONCURRENCY, 1.0
            1.7421, RATE,       1.74
            123.45, RATE,       123.0
            """)
    void loadsAreRoundedToWhatCanBeRun(double load, Axis axis, double rounded) {
        assertThat(MaxLoadSearch.roundLoad(load, axis)).isEqualTo(rounded);
    }
}
