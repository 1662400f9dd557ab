package dev.headroom.metrics;

import java.util.Arrays;

/**
 * The numpy statistics vLLM's {@code bench serve} applies to its metric lists, reproduced operation by operation
 * so headroom's numbers match to floating-point rounding: {@code np.sum} (pairwise), {@code np.mean},
 * {@code np.std} (population, ddof=0), {@code np.median} and {@code np.percentile} (default "linear" method).
 * Every method takes the values in any order and treats an empty array as vLLM's {@code values or 0}: the
 * statistic of {@code [0]}, i.e. 0.
 */
public final class Numpy {

    // numpy/_core/src/umath/loops_utils.h.src: PW_BLOCKSIZE for pairwise summation.
    private static final int PAIRWISE_BLOCK = 128;

    private Numpy() {
    }

    /** {@code np.sum}: numpy's pairwise summation over the whole array; 0 when empty. */
    public static double sum(double[] values) {
        return values.length == 0 ? 0.0 : pairwise(values, 0, values.length);
    }

    // numpy/_core/src/umath/loops_utils.h.src: pairwise_sum_DOUBLE, 8-way unrolled below the block size.
    private static double pairwise(double[] a, int from, int n) {
        if (n < 8) {
            double res = -0.0;
            for (int i = 0; i < n; i++) res += a[from + i];
            return res;
        }
        if (n <= PAIRWISE_BLOCK) {
            double[] r = new double[8];
            System.arraycopy(a, from, r, 0, 8);
            int i = 8;
            for (; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) r[j] += a[from + i + j];
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) res += a[from + i];
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwise(a, from, n2) + pairwise(a, from + n2, n - n2);
    }

    /** {@code np.mean}: sum / n; 0 for an empty array. */
    public static double mean(double[] values) {
        return values.length == 0 ? 0.0 : sum(values) / values.length;
    }

    /** {@code np.std} with ddof=0: sqrt(mean((x - mean)^2)); 0 for an empty array. */
    public static double std(double[] values) {
        if (values.length == 0) return 0.0;
        double mean = mean(values);
        double[] squares = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double d = values[i] - mean;
            squares[i] = d * d;
        }
        return Math.sqrt(sum(squares) / values.length);
    }

    /** {@code np.median}: the middle element, or the mean of the two middle elements; 0 when empty. */
    public static double median(double[] values) {
        double[] sorted = sorted(values);
        int n = sorted.length;
        if (n == 0) return 0.0;
        if (n % 2 == 1) return sorted[n / 2];
        return sum(new double[] {sorted[n / 2 - 1], sorted[n / 2]}) / 2;
    }

    /** {@code np.percentile(values, p)} with the default linear method; p in [0, 100]; 0 when empty. */
    public static double percentile(double[] values, double p) {
        return percentileOfSorted(sorted(values), p);
    }

    /** As {@link #percentile} on an already ascending array (no copy). */
    public static double percentileOfSorted(double[] sorted, double p) {
        if (!(p >= 0 && p <= 100)) throw new IllegalArgumentException("percentile must be in [0, 100], was " + p);
        int n = sorted.length;
        if (n == 0) return 0.0;
        // numpy/lib/_function_base_impl.py: q = p / 100; 'linear': virtual index = (n - 1) * q.
        double q = p / 100;
        double virtualIndex = (n - 1) * q;
        if (virtualIndex >= n - 1) return sorted[n - 1];
        int previous = (int) Math.floor(virtualIndex);
        double gamma = virtualIndex - previous;
        return lerp(sorted[previous], sorted[previous + 1], gamma);
    }

    // numpy/lib/_function_base_impl.py: _lerp, which interpolates from the nearer end.
    private static double lerp(double a, double b, double t) {
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }

    /** The largest value (vLLM has no max; headroom reports it); 0 when empty. */
    public static double max(double[] values) {
        if (values.length == 0) return 0.0;
        double max = values[0];
        for (double v : values) max = Math.max(max, v);
        return max;
    }

    private static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
