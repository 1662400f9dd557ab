package dev.headroom.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArrivalsTest {

    @Property(tries = 200)
    void lastArrivalIsExactlyNOverRateAndOffsetsAscend(@ForAll @IntRange(min = 1, max = 500) int n,
                                                      @ForAll @DoubleRange(min = 0.1, max = 1000) double rate,
                                                      @ForAll @DoubleRange(min = 0.05, max = 20) double burstiness,
                                                      @ForAll long seed) {
        long[] offsets = Arrivals.offsetsNanos(n, rate, burstiness, seed);
        assertThat(offsets).hasSize(n);
        assertThat(offsets[n - 1]).isCloseTo(Math.round(n / rate * 1e9), within(1L));
        for (int i = 1; i < n; i++) assertThat(offsets[i]).isGreaterThanOrEqualTo(offsets[i - 1]);
        assertThat(offsets[0]).isGreaterThanOrEqualTo(0);
        assertThat(Arrivals.offsetsNanos(n, rate, burstiness, seed)).isEqualTo(offsets);
    }

    /** Gamma(shape k): mean k, coefficient of variation 1/sqrt(k); gaps of the schedule have CV 1/sqrt(burstiness). */
    @ParameterizedTest
    @CsvSource({"0.25", "0.5", "1", "4", "16"})
    void gammaVariatesHaveTheRightMeanAndSpread(double shape) {
        SplittableRandom random = new SplittableRandom(7);
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double x = Arrivals.gamma(random, shape);
            sum += x;
            sumSq += x * x;
        }
        double mean = sum / n;
        double cv = Math.sqrt(sumSq / n - mean * mean) / mean;
        assertThat(mean).isCloseTo(shape, within(shape * 0.02));
        assertThat(cv).isCloseTo(1 / Math.sqrt(shape), within(0.03 / Math.sqrt(Math.min(shape, 1))));
    }

    @ParameterizedTest
    @CsvSource({"1, 1.0", "4, 0.5", "0.25, 2.0"})
    void scheduleGapsArePoissonAtOneAndMoreRegularAbove(double burstiness, double expectedCv) {
        long[] t = Arrivals.offsetsNanos(50_000, 10, burstiness, 3);
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < t.length; i++) {
            double gap = i == 0 ? t[0] : t[i] - t[i - 1];
            sum += gap;
            sumSq += gap * gap;
        }
        double mean = sum / t.length;
        assertThat(mean).isCloseTo(1e8, within(1e3));
        assertThat(Math.sqrt(sumSq / t.length - mean * mean) / mean).isCloseTo(expectedCv, within(expectedCv * 0.05));
    }

    @Property(tries = 50)
    void infiniteBurstinessGivesConstantGaps(@ForAll @IntRange(min = 1, max = 100) int n) {
        long[] t = Arrivals.offsetsNanos(n, 4, Double.POSITIVE_INFINITY, 1);
        for (int i = 0; i < n; i++) assertThat(t[i]).isCloseTo(Math.round((i + 1) * 0.25e9), within(1L));
    }

    @ParameterizedTest
    @CsvSource({"10s, 5, 50", "1500ms, 2, 3", "100ms, 1, 1"})
    void durationHoldsFloorOfRateTimesDuration(String duration, double rate, int expected) {
        long nanos = dev.headroom.cli.Durations.parse(duration).toNanos();
        assertThat(Arrivals.countForDuration(nanos, rate)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void badRatesAreRejectedNamingTheOption() {
        assertThatThrownBy(() -> Arrivals.offsetsNanos(3, 0, 1, 0)).hasMessageContaining("--rate");
        assertThatThrownBy(() -> Arrivals.offsetsNanos(3, 1, -1, 0)).hasMessageContaining("--burstiness");
    }
}
