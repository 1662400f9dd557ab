package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every public data point of the regression corpus, held to its tolerance; and the report's shape. */
class FidelityTest {

    static Stream<FidelityCase> corpus() {
        return FidelityCase.corpus().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void predictionIsWithinTheCaseTolerance(FidelityCase c) {
        Fidelity.Outcome o = Fidelity.predict(c);
        assertThat(Math.abs(o.errorPercent())).as("%s: predicted %.2f, real %.2f (%s)", c.id(), o.predicted(),
                c.measured(), c.source()).isLessThanOrEqualTo(c.tolerancePercent());
    }

    @Test
    void everyCaseNamesItsSourceAndTheCorpusCoversBothKinds() {
        List<FidelityCase> cases = FidelityCase.corpus();
        assertThat(cases).allSatisfy(c -> assertThat(c.source()).startsWith("https://"));
        assertThat(cases).extracting(FidelityCase::kind).contains(FidelityCase.Kind.KV_TOKENS, FidelityCase.Kind.TPOT_MS);
    }

    @Test
    void reportPrintsEveryCaseAndTheMedianAndWorstPerKind() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Fidelity.Summary> summaries = Fidelity.run(new PrintStream(bytes, true, StandardCharsets.UTF_8)).summaries();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("K-pr57926-qwen05b-l4", "T-wmx-c32", "median |error|", "worst |error|",
                "leave-one-model-out", "leave-one-GPU-out", "roofline + API server", "roofline (as it was)", "KV tokens",
                "computed in");
        Fidelity.Summary kv = summaries.get(0);
        Fidelity.Summary tpot = summaries.get(1);
        assertThat(kv.kind()).isEqualTo(FidelityCase.Kind.KV_TOKENS);
        assertThat(kv.medianAbsPercent()).isLessThanOrEqualTo(2.0);
        assertThat(tpot.worstAbsPercent()).isLessThanOrEqualTo(Fidelity.TPOT_WORST_TARGET_PERCENT);
        assertThat(Fidelity.meetsTargets(summaries)).isTrue();
    }
}
