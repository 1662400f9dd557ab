package dev.headroom.tune;

import dev.headroom.results.Point;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One config's bracketing search for its figure: the loads to start from, then analyze's next load
 * ({@link TuneObjective#next}) until it advises none or the runs are spent. Predicted and measured alike.
 */
final class LoadSearch {

    private LoadSearch() {}

    /** What the search ran: the points in the order run, and the figure they give. */
    record Found(List<Point> points, Figure figure) {}

    /**
     * Runs {@code start} (loads not yet run, in order), then follows the objective's advice up to the request count.
     *
     * @param maxRuns the most load points run for this config
     */
    static Found run(ConfigPoints config, TuneObjective objective, List<Integer> start, int maxRuns) throws IOException {
        List<Point> points = new ArrayList<>();
        for (int c : start) {
            // A closed loop above its request count sends them all at once: that load is never held.
            if (points.size() >= maxRuns || c > config.requests()) continue;
            if (points.stream().noneMatch(p -> p.concurrency() == c)) points.add(config.run(c));
        }
        if (points.isEmpty() && !start.isEmpty()) points.add(config.run(Math.min(start.get(0), config.requests())));
        while (points.size() < maxRuns) {
            Integer next = objective.next(points, config.requests());
            if (next == null) break;
            points.add(config.run(next));
        }
        return new Found(points, objective.figure(points));
    }
}
