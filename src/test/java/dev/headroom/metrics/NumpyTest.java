package dev.headroom.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumpyTest {

    private static final double[] FOUR = {10, 1, 3, 2};

    @Test
    void meanMedianStdOfFourValuesFollowNumpysFormulas() {
        // sorted [1, 2, 3, 10]: mean 16/4; median (2 + 3)/2; std = sqrt(((1-4)^2 + (2-4)^2 + (3-4)^2 + (10-4)^2)/4)
        assertThat(Numpy.mean(FOUR)).isEqualTo(4.0);
        assertThat(Numpy.median(FOUR)).isEqualTo(2.5);
        assertThat(Numpy.std(FOUR)).isEqualTo(Math.sqrt((9 + 4 + 1 + 36) / 4.0));
    }

    @ParameterizedTest(name = "p{0} of [1,2,3,10] = {1}")
    @CsvSource({
        // virtual index (n-1)*p/100 = 3p/100; value = a[floor] + (a[floor+1] - a[floor]) * fraction
        "0, 1.0", "25, 1.75", "50, 2.5", "90, 7.9", "95, 8.95", "99, 9.79", "100, 10.0"})
    void percentileIsNumpyLinearInterpolation(double p, double expected) {
        assertThat(Numpy.percentile(FOUR, p)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void emptyArrayIsZeroLikeVllmsOrZero() {
        double[] empty = {};
        assertThat(Numpy.mean(empty)).isZero();
        assertThat(Numpy.median(empty)).isZero();
        assertThat(Numpy.std(empty)).isZero();
        assertThat(Numpy.percentile(empty, 99)).isZero();
        assertThat(Numpy.max(empty)).isZero();
    }

    @Test
    void singleValueIsEveryStatistic() {
        double[] one = {0.25};
        assertThat(Numpy.mean(one)).isEqualTo(0.25);
        assertThat(Numpy.median(one)).isEqualTo(0.25);
        assertThat(Numpy.std(one)).isZero();
        assertThat(Numpy.percentile(one, 99.9)).isEqualTo(0.25);
    }

    /** Values printed by numpy 2.4.6 for the arrays {@link #series(int)} builds (pairwise sums, _lerp). */
    @ParameterizedTest(name = "n={0}")
    @CsvSource({
        "5, 200000.64191975928, 400000.06017916946, 0.8425215646940822, 600000.8264728186, 800000.7943753258, "
                + "960000.768697332, 996000.7629197838",
        "17, 58824.06747253526, 235294.17370152436, 0.60179037111334, 0.9387989969909729, 200000.9227352049, "
                + "840000.7943693078, 984000.7654869828",
        "300, 13333.984839351388, 114697.66673006758, 0.6418370110330993, 1.0825832497492478, 1.1627479939819456, "
                + "1000000.2425336911, 1000000.9308194674",
        "1001, 10990.011491517507, 104250.90775485296, 1.0018806419257773, 1.5627592778335004, 1.722494483450351, "
                + "1000000.2401293882, 1000001.4422808426"})
    void matchesNumpyBitForBit(int n, double mean, double std, double median, double p90, double p95, double p99,
                               double p999) {
        double[] v = series(n);
        assertThat(Numpy.mean(v)).isEqualTo(mean);
        assertThat(Numpy.std(v)).isEqualTo(std);
        assertThat(Numpy.median(v)).isEqualTo(median);
        assertThat(Numpy.percentile(v, 90)).isEqualTo(p90);
        assertThat(Numpy.percentile(v, 95)).isEqualTo(p95);
        assertThat(Numpy.percentile(v, 99)).isEqualTo(p99);
        assertThat(Numpy.percentile(v, 99.9)).isEqualTo(p999);
    }

    /** {@code [((i*7919) % 1000)/997.0 + i*1e-3 + (1e6 if i % 97 == 3 else 0.0) for i in range(n)]}. */
    private static double[] series(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = ((i * 7919) % 1000) / 997.0 + i * 1e-3 + (i % 97 == 3 ? 1e6 : 0.0);
        return v;
    }

    @Test
    void percentileOutsideRangeIsRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Numpy.percentile(FOUR, 101))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("101");
    }
}
