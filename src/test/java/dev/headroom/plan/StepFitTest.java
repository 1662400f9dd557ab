package dev.headroom.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StepFitTest {

    private static final List<StepBasis> THREE = List.of(StepBasis.WEIGHTS, StepBasis.PER_LAYER, StepBasis.FRONT_END);

    /** Synthetic rows whose times are exactly {@code truth · features}, on models m0..m4 and GPUs g0..g2. */
    private static List<StepFit.Row> synthetic(double[] truth, int n, long seed) {
        Random random = new Random(seed);
        List<StepFit.Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] f = new double[StepBasis.ALL.size()];
            f[StepBasis.WEIGHTS.ordinal()] = 1e-3 * (1 + 20 * random.nextDouble());
            f[StepBasis.PER_LAYER.ordinal()] = 1e-6 * (12 + random.nextInt(70));
            f[StepBasis.FRONT_END.ordinal()] = random.nextBoolean() ? 1e-3 : 0;
            rows.add(new StepFit.Row("p" + i, "m" + i % 5, "g" + i % 3, f, StepBasis.seconds(f, truth)));
        }
        return rows;
    }

    private static double[] truth() {
        double[] t = new double[StepBasis.ALL.size()];
        t[StepBasis.WEIGHTS.ordinal()] = 1.25;
        t[StepBasis.PER_LAYER.ordinal()] = 40;
        t[StepBasis.FRONT_END.ordinal()] = 12;
        return t;
    }

    @Test
    void recoversKnownCoefficientsFromSyntheticData() {
        StepFit.Coefficients fit = StepFit.fit(synthetic(truth(), 30, 1), THREE);
        assertThat(fit.of(StepBasis.WEIGHTS)).isCloseTo(1.25, within(1e-6));
        assertThat(fit.of(StepBasis.PER_LAYER)).isCloseTo(40, within(1e-4));
        assertThat(fit.of(StepBasis.FRONT_END)).isCloseTo(12, within(1e-5));
        assertThat(fit.of(StepBasis.COMPUTE)).as("a term not fitted stays 0").isZero();
    }

    @Test
    void coefficientsNeverGoNegative() {
        double[] t = truth();
        t[StepBasis.PER_LAYER.ordinal()] = 0;
        List<StepFit.Row> rows = synthetic(t, 30, 2);
        StepFit.Coefficients fit = StepFit.fit(rows, List.of(StepBasis.WEIGHTS, StepBasis.PER_LAYER, StepBasis.PER_STEP,
                StepBasis.FRONT_END));
        for (StepBasis b : StepBasis.ALL) assertThat(fit.of(b)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void nothingIsSolvedFromOneOrTwoPoints() {
        List<StepFit.Row> rows = synthetic(truth(), 8, 3);
        assertThatThrownBy(() -> StepFit.fit(rows, THREE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 9 rows");
    }

    /** A held-out row whose measurement is wildly off must not pull its own prediction: it is not in its fit. */
    @Test
    void crossValidationNeverUsesTheHeldOutGroup() {
        List<StepFit.Row> rows = new ArrayList<>(synthetic(truth(), 30, 4));
        StepFit.Row clean = rows.get(7);
        rows.set(7, new StepFit.Row(clean.id(), "outlier-model", clean.gpu(), clean.features(), clean.measuredSeconds() * 50));
        double[] predicted = StepFit.crossValidate(rows, THREE, StepFit.Row::model);
        assertThat(predicted[7]).as("predicted from the other models only").isCloseTo(clean.measuredSeconds(),
                within(1e-9));
        double[] leaky = StepFit.fit(rows, THREE).values();
        assertThat(StepBasis.seconds(clean.features(), leaky)).as("a fit that saw the outlier moves")
                .isNotCloseTo(clean.measuredSeconds(), within(1e-6));
    }

    @Test
    void selectionDropsATermTheHeldOutResidualsDoNotShow() {
        List<StepFit.Row> rows = new ArrayList<>();
        Random random = new Random(5);
        for (StepFit.Row r : synthetic(truth(), 40, 6)) {
            double[] f = r.features().clone();
            // KV traffic uncorrelated with the times: physics may allow it, these data do not show it.
            f[StepBasis.KV_TRAFFIC.ordinal()] = 1e-3 * random.nextDouble();
            rows.add(new StepFit.Row(r.id(), r.model(), r.gpu(), f, r.measuredSeconds() * (1 + 0.02 * random.nextGaussian())));
        }
        List<StepBasis> kept = StepFit.selectTerms(rows, List.of(StepBasis.WEIGHTS, StepBasis.KV_TRAFFIC,
                StepBasis.PER_LAYER, StepBasis.FRONT_END), StepFit.Row::model, 0.5);
        assertThat(kept).contains(StepBasis.WEIGHTS, StepBasis.PER_LAYER, StepBasis.FRONT_END)
                .doesNotContain(StepBasis.KV_TRAFFIC);
    }

    /** Where every row has one batch size, per-request and per-step time cannot be told apart: the prior holds them. */
    @Test
    void aPriorHoldsWhatTheDataCannotResolve() {
        double[] t = truth();
        t[StepBasis.PER_SEQ.ordinal()] = 50;
        List<StepFit.Row> rows = new ArrayList<>();
        for (StepFit.Row r : synthetic(t, 30, 7)) {
            double[] f = r.features().clone();
            f[StepBasis.PER_SEQ.ordinal()] = 1e-6;
            f[StepBasis.PER_STEP.ordinal()] = 1e-3;
            rows.add(new StepFit.Row(r.id(), r.model(), r.gpu(), f, StepBasis.seconds(f, t)));
        }
        double[] values = new double[StepBasis.ALL.size()];
        double[] scales = new double[StepBasis.ALL.size()];
        java.util.Arrays.fill(scales, 1);
        values[StepBasis.PER_SEQ.ordinal()] = 50;
        scales[StepBasis.PER_SEQ.ordinal()] = 20;
        values[StepBasis.WEIGHTS.ordinal()] = 1.25;
        values[StepBasis.PER_LAYER.ordinal()] = 40;
        scales[StepBasis.PER_LAYER.ordinal()] = 20;
        values[StepBasis.FRONT_END.ordinal()] = 12;
        scales[StepBasis.FRONT_END.ordinal()] = 10;
        List<StepBasis> terms = List.of(StepBasis.WEIGHTS, StepBasis.PER_LAYER, StepBasis.PER_SEQ, StepBasis.PER_STEP,
                StepBasis.FRONT_END);
        StepFit.Coefficients fit = StepFit.fit(rows, terms, new StepFit.Prior(values, scales, 1));
        assertThat(fit.of(StepBasis.PER_SEQ)).isCloseTo(50, within(1.0));
        assertThat(fit.of(StepBasis.PER_STEP)).isCloseTo(0, within(0.02));
    }
}
