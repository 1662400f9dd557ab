package dev.headroom.analysis;

import dev.headroom.metrics.Slo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code analyze} found: one result per (config, workload, predicted) in the order the inputs name them,
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
        Map<GroupKey, List<Point>> byGroup = new LinkedHashMap<>();
        for (Point p : inputs.points()) byGroup.computeIfAbsent(p.group(), k -> new ArrayList<>()).add(p);
        List<GroupResult> groups = new ArrayList<>();
        byGroup.forEach((key, points) -> groups.add(Analyzer.analyze(key, points, override, maxErrorRate)));
        return new Analysis(groups, Comparison.between(groups), inputs.configs());
    }

    /** The headline verdict: the first group's, or why there is none. */
    public String verdict() {
        if (!groups.isEmpty()) return groups.get(0).verdict();
        boolean allFailed = !configs.isEmpty() && configs.stream().noneMatch(c -> c.status().equals("ran"));
        return allFailed ? "No load point was measured: every server config failed to start."
                : "No load point was measured.";
    }
}
