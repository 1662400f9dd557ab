package dev.headroom.analysis;

import dev.headroom.metrics.Slo;
import dev.headroom.results.ConfigRow;
import dev.headroom.results.GroupKey;
import dev.headroom.results.Point;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code analyze} found: one result per group ({@link GroupKey}) in the order the inputs name them,
 * the measured-vs-predicted differences, and the server configs' start-up surface from configs.csv.
 *
 * @param groups      one per group; the first is the headline
 * @param comparison  measured against predicted, per point and metric; empty without both kinds of the same grid
 * @param configs     configs.csv rows of every sweep read
 */
public record Analysis(List<GroupResult> groups, List<Difference> comparison, List<ConfigRow> configs) {

    public Analysis {
        groups = List.copyOf(groups);
        comparison = List.copyOf(comparison);
        configs = List.copyOf(configs);
    }

    /**
     * Analyses every group of the inputs.
     *
     * @param override     the analyze {@code --slo}, or null for each group's recorded or playbook SLO
     * @param maxErrorRate the largest failed/sent share of a passing point, 0–1
     */
    public static Analysis of(Inputs inputs, Slo override, double maxErrorRate) {
        return of(inputs, override, maxErrorRate, Objectives.DEFAULTS);
    }

    /**
     * As above, each group's load recommended by {@code objectives}: its workload's objective (or the
     * {@code --objective} override) and the batch job, if any.
     */
    public static Analysis of(Inputs inputs, Slo override, double maxErrorRate, Objectives objectives) {
        List<GroupResult> groups = new ArrayList<>();
        groups(inputs.points()).forEach((key, points) -> groups.add(Analyzer.analyze(key, points, override, maxErrorRate, objectives)));
        return new Analysis(groups, Comparison.between(groups), inputs.configs());
    }

    /** The points by group, groups in the order the points first name them: the one grouping of analyze and report. */
    public static Map<GroupKey, List<Point>> groups(List<Point> points) {
        Map<GroupKey, List<Point>> byGroup = new LinkedHashMap<>();
        for (Point p : points) byGroup.computeIfAbsent(p.group(), k -> new ArrayList<>()).add(p);
        return byGroup;
    }

    /**
     * Each group's loads (repeats combined, in increasing load) and the Judge analyze gives it, without the rest of
     * the analysis: what a report draws and judges, grouped exactly as analyze groups.
     *
     * @param override     the {@code --slo} to judge every group by, or null for each group's own or the playbook's
     * @param maxErrorRate the largest server error share of a passing point, 0–1
     */
    public static List<JudgedLoads> judgedLoads(List<Point> points, Slo override, double maxErrorRate) {
        List<JudgedLoads> out = new ArrayList<>();
        groups(points).forEach((key, group) -> out.add(new JudgedLoads(key,
                Analyzer.judge(key, group, override, maxErrorRate), Analyzer.combine(group, Axis.of(group)))));
        return out;
    }

    /** One group's loads in increasing load, and how analyze judges them. */
    public record JudgedLoads(GroupKey key, Judge judge, List<LoadPoint> loads) {
        public JudgedLoads {
            loads = List.copyOf(loads);
        }
    }

    /** The headline verdict: the first group's, or why there is none. */
    public String verdict() {
        if (!groups.isEmpty()) return groups.get(0).verdict();
        boolean allFailed = !configs.isEmpty() && configs.stream().noneMatch(c -> "ran".equals(c.status()));
        return allFailed ? "No load point was measured: every server config failed to start."
                : "No load point was measured.";
    }
}
