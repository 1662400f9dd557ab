package dev.headroom.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.results.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The next-load search, run as a user would run it: start on a doubling grid, run the load {@link MaxLoadSearch}
 * names next, analyse again. Whatever the SLO ratios at each concurrency (monotone in the load or not, some loads
 * failing by errors), every step keeps the estimate inside the bracket, shrinks the bracket to at most half its width
 * (plus rounding) inside the old one, and the search ends with a bracket no runnable load fits inside.
 */
class MaxLoadBisectionTest {

    private static final Judge JUDGE = new Judge(SloChoice.playbook("chat"), 0.01);

    @Property(tries = 300)
    void theBracketShrinksEveryStepAndTheEstimateStaysInsideIt(
            @ForAll @Size(min = 2, max = 300) List<@DoubleRange(min = 0.05, max = 3.0) Double> ratios,
            @ForAll boolean monotone,
            @ForAll @Size(max = 20) Set<@IntRange(min = 1, max = 300) Integer> failingByErrors) {
        List<Double> curve = new ArrayList<>(ratios);
        if (monotone) curve.sort(null);
        int top = curve.size();
        TreeSet<Integer> run = new TreeSet<>();
        for (int c = 1; c <= top; c *= 2) run.add(c);

        for (int step = 0; step < 64; step++) {
            MaxLoad m = MaxLoadSearch.find(loads(run, curve, failingByErrors), JUDGE, Axis.CONCURRENCY);
            if (m.bracketLow() == null) {
                assertThat(m.nextLoad()).as("the lowest load run, 1, misses: nothing lower to run").isNull();
                return;
            }
            if (m.bracketHigh() == null) {
                assertThat(m.nextLoad()).as("every load passes: go higher").isGreaterThan(run.last());
                if (m.nextLoad() > top) return;
                run.add(m.nextLoad().intValue());
                continue;
            }
            double low = m.bracketLow();
            double high = m.bracketHigh();
            assertThat(m.load()).as("the estimate").isBetween(low, high);
            if (m.nextLoad() == low) {
                assertThat(high - low).as("a repeat only when no concurrency fits between").isEqualTo(1.0);
                return;
            }
            double next = m.nextLoad();
            assertThat(next).isGreaterThan(low).isLessThan(high);
            assertThat(Math.max(next - low, high - next)).as("bisection").isLessThanOrEqualTo(Math.ceil((high - low) / 2));
            run.add((int) next);
            MaxLoad after = MaxLoadSearch.find(loads(run, curve, failingByErrors), JUDGE, Axis.CONCURRENCY);
            assertThat(after.bracketLow()).as("the next bracket lies inside this one").isGreaterThanOrEqualTo(low);
            assertThat(after.bracketHigh()).isLessThanOrEqualTo(high);
            assertThat(List.of(after.bracketLow(), after.bracketHigh())).as("one end is the load just run").contains(next);
        }
        throw new AssertionError("the search did not end within 64 runs");
    }

    /** One run per concurrency: p95 E2E at its ratio of the 1.5 s SLO; a load in {@code failingByErrors} fails 10%. */
    private static List<LoadPoint> loads(Set<Integer> run, List<Double> ratios, Set<Integer> failingByErrors) {
        List<Point> points = new ArrayList<>();
        for (int c : run) {
            Points p = Points.at(c).latencies(100.0 * c, 50, 12, ratios.get(c - 1) * SloChoice.CHAT_P95_E2EL_MS);
            if (failingByErrors.contains(c)) p.with("completed", 90).with("failed", 10);
            points.add(p.build());
        }
        return Analyzer.combine(points, Axis.CONCURRENCY);
    }
}
