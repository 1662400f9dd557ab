package dev.headroom.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.plan.Planner;
import dev.headroom.server.SimLauncher;
import dev.headroom.spec.ServingSetup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KnobEffectsTest {

    private static final ServingSetup SETUP = SimLauncher.embeddedDefaultSetup();

    @Test
    void aKnobsEffectIsTheLargestSpreadBetweenConfigsThatDifferInItAlone() {
        Map<String, Figure> figures = new LinkedHashMap<>();
        List<Candidate> cs = List.of(c("a", 8, true, 10, figures), c("b", 8, false, 10, figures),
                c("c", 16, true, 12.5, figures), c("d", 16, false, 12.5, figures));

        Map<String, Double> effects = KnobEffects.of(cs, figures);

        assertThat(effects.get("max_num_seqs")).isEqualTo(20.0);
        assertThat(effects.get("enable_prefix_caching")).isZero();
    }

    private static Candidate c(String label, int seqs, boolean caching, double value, Map<String, Figure> figures) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("max_num_seqs", seqs);
        values.put("enable_prefix_caching", caching);
        figures.put(label, new Figure(value, true, null, null, null, null, 3, false));
        return new Candidate(label, values, SETUP, Planner.plan(SETUP));
    }
}
