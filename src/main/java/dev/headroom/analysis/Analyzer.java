package dev.headroom.analysis;

import dev.headroom.metrics.Slo;
import dev.headroom.results.GroupKey;
import dev.headroom.results.Point;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Analyses one group: combines repeats, judges each load, finds the best point, the knee, the max load, the limit and
 * the load to recommend by the group's objective.
 * A point that an exception inside headroom ended ({@code tool_error}) is no evidence about the server: it is left
 * out of the curve and only named.
 */
final class Analyzer {

    static final String THROUGHPUT = "output_throughput";

    private Analyzer() {
    }

    static GroupResult analyze(GroupKey key, List<Point> points, Slo override, double maxErrorRate) {
        return analyze(key, points, override, maxErrorRate, Objectives.DEFAULTS);
    }

    static GroupResult analyze(GroupKey key, List<Point> points, Slo override, double maxErrorRate, Objectives objectives) {
        Axis axis = Axis.of(points);
        Judge judge = judge(key, points, override, maxErrorRate);
        List<LoadPoint> loads = combine(points, axis);
        List<Point> toolErrors = points.stream().filter(Point::toolError).toList();
        requireSloKeys(loads, judge);
        LoadPoint best = loads.stream().filter(judge::passes).filter(judge::delivered).filter(p -> p.mean(THROUGHPUT) != null)
                .max(Comparator.comparingDouble(p -> p.mean(THROUGHPUT))).orElse(null);
        LoadPoint knee = knee(loads.stream().filter(judge::delivered).toList());
        MaxLoad maxLoad = MaxLoadSearch.find(loads, judge, axis);
        Limit limit = LimitFinder.find(loads, judge, axis);
        Recommendation recommendation = Recommender.of(loads, judge, axis, objectives.choose(key.workload()), objectives.job());
        String model = key.model();
        String gpu = key.gpu();
        GroupResult partial = new GroupResult(key, model, gpu, axis, judge, loads, toolErrors, best, knee, maxLoad, limit,
                recommendation, "");
        return new GroupResult(key, model, gpu, axis, judge, loads, toolErrors, best, knee, maxLoad, limit,
                recommendation, Verdict.of(partial));
    }

    /** The judge of a group: {@code override}, else the {@code --slo} its points ran with, else the playbook's. */
    static Judge judge(GroupKey key, List<Point> points, Slo override, double maxErrorRate) {
        Slo recorded = points.stream().map(Point::slo).filter(Objects::nonNull).findFirst().orElse(null);
        return new Judge(SloChoice.resolve(key.workload(), override, recorded), maxErrorRate);
    }

    /** The points with a load on the axis, but no tool errors, repeats at one load combined, in increasing load. */
    static List<LoadPoint> combine(List<Point> points, Axis axis) {
        Map<Double, List<Point>> byLoad = new TreeMap<>();
        for (Point p : points) {
            Double load = axis.load(p);
            if (p.toolError()) continue;
            if (load != null) byLoad.computeIfAbsent(load, l -> new ArrayList<>()).add(p);
        }
        List<LoadPoint> loads = new ArrayList<>();
        byLoad.forEach((load, repeats) -> loads.add(LoadPoint.of(load, repeats)));
        return loads;
    }

    /** Kneedle over the delivered loads that ran: a load the client did not deliver measured a lighter one. */
    private static LoadPoint knee(List<LoadPoint> loads) {
        List<LoadPoint> measured = loads.stream().filter(p -> !p.broken() && p.mean(THROUGHPUT) != null).toList();
        double[] x = measured.stream().mapToDouble(LoadPoint::load).toArray();
        double[] y = measured.stream().mapToDouble(p -> p.mean(THROUGHPUT)).toArray();
        int i = Kneedle.knee(x, y);
        return i < 0 ? null : measured.get(i);
    }

    /** A chosen objective no point measured (e.g. {@code p97_e2el}) is bad input, not a silent failure of every point. */
    private static void requireSloKeys(List<LoadPoint> loads, Judge judge) {
        for (SloChoice.Objective o : judge.slo().objectives()) {
            boolean anyMeasured = loads.stream().anyMatch(p -> p.mean("completed") != null && p.mean("completed") > 0);
            boolean found = loads.stream().anyMatch(p -> p.mean(o.key()) != null);
            if (anyMeasured && !found) {
                String metric = o.key().substring(o.key().indexOf('_') + 1);
                List<String> held = loads.stream().flatMap(p -> p.repeats().stream()).flatMap(p -> p.values().keySet().stream())
                        .filter(k -> k.endsWith("_" + metric) && !k.startsWith("std_")).distinct().sorted().toList();
                throw new IllegalArgumentException("--slo: the results hold no " + o.key() + " ("
                        + (held.isEmpty() ? "nor any other " + metric : "they hold " + String.join(", ", held))
                        + "; pick one of those, e.g. --slo " + (held.isEmpty() ? "p99_ttft=2000ms" : held.get(held.size() - 1)
                        .replace("_ms", "") + "=...ms") + "); source: " + judge.slo().source());
            }
        }
    }
}
