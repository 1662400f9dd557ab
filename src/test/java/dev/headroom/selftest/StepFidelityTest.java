package dev.headroom.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.selftest.StepCorpus.Metric;
import dev.headroom.selftest.StepFidelity.Error;
import dev.headroom.selftest.StepFidelity.Scheme;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepFidelityTest {

    /**
     * Held out means held out: multiplying one model's published times by 3 leaves that model's leave-one-model-out
     * predictions unchanged (they come from fits that never saw them), so its signed errors move exactly as the
     * published values do.
     */
    @Test
    void aHeldOutModelNeverEntersTheFitThatPredictsIt() {
        // The loads up to 32 streams: the property holds on any corpus, and the floods of 512 take most of a minute.
        List<StepCorpus> corpus = StepCorpus.points().stream().filter(p -> p.concurrency() <= 32).toList();
        String model = "mistral-7b-instruct-v0.3";
        List<StepCorpus> tripled = corpus.stream().map(p -> p.model().equals(model) ? scaled(p, 3) : p).toList();
        StepFidelity.Evaluation before = StepFidelity.evaluate(corpus);
        StepFidelity.Evaluation after = StepFidelity.evaluate(tripled);
        // Both engines: the fitted model, and the roofline with the fold's fitted tensor rate and API server.
        assertUnmoved(before.fitted().get(Scheme.MODEL).errors(), after.fitted().get(Scheme.MODEL).errors(), model);
        assertUnmoved(before.rooflineFrontEnd().get(Scheme.MODEL).errors(),
                after.rooflineFrontEnd().get(Scheme.MODEL).errors(), model);
    }

    private static void assertUnmoved(List<Error> before, List<Error> after, String model) {
        assertThat(after).hasSameSizeAs(before);
        int checked = 0;
        for (int i = 0; i < before.size(); i++) {
            Error b = before.get(i);
            Error a = after.get(i);
            if (!b.point().model().equals(model) || b.metric() == Metric.THROUGHPUT) continue;
            double predicted = (1 + b.percent() / 100) * b.point().published().get(b.metric());
            assertThat((1 + a.percent() / 100) * a.point().published().get(a.metric())).as(b.point().id() + " " + b.metric())
                    .isCloseTo(predicted, within(1e-6 * predicted));
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(5);
    }

    @Test
    void everySchemeAndTheRooflineReportEveryPublishedMetric() {
        StepFidelity.Evaluation e = StepFidelity.evaluate();
        long published = e.points().stream().mapToLong(p -> java.util.Arrays.stream(Metric.values())
                .filter(m -> p.measured(m).isPresent()).count()).sum();
        for (Scheme s : Scheme.values()) assertThat(e.fitted().get(s).errors()).as(s.label).hasSize((int) published);
        assertThat(e.roofline().errors()).hasSize((int) published);
        assertThat(e.points()).hasSizeGreaterThanOrEqualTo(27);
    }

    private static StepCorpus scaled(StepCorpus p, double factor) {
        Map<Metric, Double> v = new EnumMap<>(Metric.class);
        p.published().forEach((m, x) -> v.put(m, m == Metric.THROUGHPUT ? x / factor : x * factor));
        return new StepCorpus(p.id(), p.model(), p.gpu(), p.version(), p.vllmArgs(), p.dataset(), p.inputTokens(),
                p.outputTokens(), p.rangeRatio(), p.concurrency(), p.requestRate(), p.numPrompts(), p.stat(), v, p.source(), p.note(),
                p.quote());
    }
}
