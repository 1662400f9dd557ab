package dev.headroom.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.plan.Planner;
import dev.headroom.server.SimLauncher;
import dev.headroom.spec.ServingSetup;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RankedTest {

    private static final ServingSetup SETUP = SimLauncher.embeddedDefaultSetup();

    private static Ranked.Scored scored(String label, double value, int seqs) {
        Candidate c = new Candidate(label, Map.of("max_num_seqs", seqs), SETUP, Planner.plan(SETUP));
        return new Ranked.Scored(c, new Figure(value, true, null, (int) value, null, null, 3, false), 100, 10);
    }

    @Test
    void contendersAreTheWinnerAndTheCandidatesWhoseBandOverlapsItsOnePerPrediction() {
        Ranked r = Ranked.of(List.of(scored("low", 7, 8), scored("win", 10, 16), scored("near", 9.5, 32),
                scored("alike", 10, 64), scored("edge", 8.2, 128)), 8);

        assertThat(r.ranked()).extracting(s -> s.candidate().label()).startsWith("win", "alike", "near");
        // 8.2 × 1.1 = 9.02 reaches the winner's 10 × 0.9 = 9; 7 × 1.1 = 7.7 does not; "alike" predicts the same.
        assertThat(r.contenders()).extracting(s -> s.candidate().label()).containsExactly("win", "near", "edge");
    }

    @Test
    void contendersStopAtTheStartsAllowed() {
        Ranked r = Ranked.of(List.of(scored("a", 10, 8), scored("b", 9.8, 16), scored("c", 9.6, 32)), 2);
        assertThat(r.contenders()).hasSize(2);
    }

    @Test
    void aConfigThatMeetsTheSloRanksAboveOneThatMissesWhateverTheirValues() {
        Candidate c = new Candidate("miss", Map.of(), SETUP, Planner.plan(SETUP));
        Ranked.Scored missing = new Ranked.Scored(c, new Figure(0, false, 12.0, null, null, 1.0, 4, false), 100, 10);
        Ranked r = Ranked.of(List.of(missing, scored("meets", 1, 8)), 8);
        assertThat(r.ranked().get(0).candidate().label()).isEqualTo("meets");
        assertThat(r.contenders()).hasSize(1);
    }
}
