package dev.headroom.tune;

import java.util.Comparator;
import java.util.Locale;

/**
 * The config that came second and why it lost: by measurement when two contenders were measured, else by the
 * prediction (and, when confirmation passed it over, why).
 */
record RunnerUp(Ranked.Scored scored, String why) {

    static RunnerUp of(Ranked.Scored chosen, Ranked ranked, Confirmation.Result confirmed, String unit) {
        String chosenLabel = chosen.candidate().label();
        if (confirmed != null) {
            Confirmation.Confirmed winner = confirmed.winner();
            Confirmation.Confirmed second = confirmed.confirmed().stream()
                    .filter(c -> c.measured() != null && !c.contender().candidate().label().equals(chosenLabel))
                    .min(Comparator.comparing(Confirmation.Confirmed::measured, Figure::better)).orElse(null);
            if (winner != null && second != null) {
                return new RunnerUp(second.contender(), String.format(Locale.US,
                        "measured %s %s against the chosen config's %s (predicted %s against %s)",
                        Confirmation.number(second.measured().value()), unit, Confirmation.number(winner.measured().value()),
                        Confirmation.number(second.contender().predicted().value()),
                        Confirmation.number(chosen.predicted().value())));
            }
        }
        // The best config predicted differently: one predicted alike differs only in settings that do not matter here.
        Ranked.Scored next = ranked.ranked().stream().filter(s -> !s.candidate().label().equals(chosenLabel))
                .filter(s -> s.requests() == chosen.requests())
                .filter(s -> !Ranked.same(s.predicted(), chosen.predicted())).findFirst().orElse(null);
        if (next == null) return null;
        String skipped = confirmed == null ? "" : confirmed.confirmed().stream()
                .filter(c -> c.contender().candidate().label().equals(next.candidate().label()) && !c.started())
                .map(c -> "; " + c.note()).findFirst().orElse("");
        return new RunnerUp(next, String.format(Locale.US, "predicted %s %s against the chosen config's %s%s",
                Confirmation.number(next.predicted().value()), unit, Confirmation.number(chosen.predicted().value()), skipped));
    }
}
