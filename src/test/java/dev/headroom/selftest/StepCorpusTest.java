package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.plan.StepBasis;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepCorpusTest {

    @Test
    void everyPointHasItsSourceAQuoteAndAPublishedMetric() {
        List<StepCorpus> points = StepCorpus.points();
        assertThat(points).hasSizeGreaterThanOrEqualTo(27);
        for (StepCorpus p : points) {
            assertThat(p.source()).as(p.id()).startsWith("https://");
            assertThat(p.quote()).as(p.id()).isNotBlank();
            assertThat(p.ttftMs().isPresent() || p.tpotMs().isPresent()).as(p.id()).isTrue();
            assertThat(p.setup().model().name()).as(p.id()).isNotBlank();
        }
        assertThat(points.stream().map(StepCorpus::id).distinct()).hasSameSizeAs(points);
    }

    /** The quote holds the published numbers the row carries (a reviewer reads the same figures). */
    @Test
    void theQuoteCarriesThePublishedTtft() {
        for (StepCorpus p : StepCorpus.points()) {
            p.ttftMs().ifPresent(v -> assertThat(p.quote()).as(p.id()).contains(trim(v)));
        }
    }

    private static String trim(double v) {
        String s = Double.toString(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /** At c=1 nothing else prefills beside the stream: TPOT is one decode step, TTFT has the front end once. */
    @Test
    void singleStreamTpotIsOneDecodeStepAndTtftOnePrefillPlusTheFrontEnd() {
        StepCorpus c1 = StepCorpus.points().stream().filter(p -> p.id().equals("wmx-l4-c1")).findFirst().orElseThrow();
        StepCorpus.Features f = c1.features();
        assertThat(f.tpot()[StepBasis.PER_STEP.ordinal()]).isEqualTo(1e-3);
        assertThat(f.tpot()[StepBasis.PER_SEQ.ordinal()]).isEqualTo(1e-6);
        assertThat(f.tpot()[StepBasis.FRONT_END.ordinal()]).isZero();
        assertThat(f.ttft()[StepBasis.FRONT_END.ordinal()]).isEqualTo(1e-3);
        assertThat(f.ttft()[StepBasis.PER_STEP.ordinal()]).as("256 tokens in one chunk of 2048").isEqualTo(1e-3);
    }

    /** Under load the other streams' prefills ride in this stream's decode steps and lengthen its TPOT. */
    @Test
    void concurrentPrefillsAddComputeToTpot() {
        List<StepCorpus> points = StepCorpus.points();
        StepCorpus c1 = points.stream().filter(p -> p.id().equals("wmx-l4-c1")).findFirst().orElseThrow();
        StepCorpus c32 = points.stream().filter(p -> p.id().equals("wmx-l4-c32")).findFirst().orElseThrow();
        int compute = StepBasis.COMPUTE.ordinal();
        assertThat(c32.features().tpot()[compute]).isGreaterThan(32 * c1.features().tpot()[compute]);
    }
}
