package dev.headroom.analysis;

import dev.headroom.results.GroupKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Measured against predicted: for every load both a measured group and its predicted twin ran. The twin is the group
 * equal in everything but {@code predicted} (GPU, model, config, workload, load axis), so a measured T4 is never
 * set against a predicted A100.
 */
final class Comparison {

    /** The metrics compared, as summary keys. */
    static final List<String> METRICS = List.of("output_throughput", "median_tpot_ms", "p95_e2el_ms");

    private Comparison() {
    }

    static List<Difference> between(List<GroupResult> groups) {
        List<Difference> differences = new ArrayList<>();
        for (GroupResult measured : groups) {
            if (measured.key().predicted()) continue;
            GroupKey twin = measured.key().withPredicted(true);
            groups.stream().filter(g -> g.key().equals(twin)).findFirst()
                    .ifPresent(predicted -> addPairs(measured, predicted, differences));
        }
        return differences;
    }

    private static void addPairs(GroupResult measured, GroupResult predicted, List<Difference> out) {
        for (LoadPoint m : measured.points()) {
            for (LoadPoint p : predicted.points()) {
                if (!Objects.equals(m.concurrency(), p.concurrency()) || !Objects.equals(m.rate(), p.rate())) continue;
                for (String metric : METRICS) {
                    Double mv = m.mean(metric);
                    Double pv = p.mean(metric);
                    if (mv == null || pv == null) continue;
                    Double error = mv == 0 ? null : (pv - mv) / mv * 100;
                    out.add(new Difference(measured.key(), m.concurrency(),
                            m.rate(), metric, mv, pv, error));
                }
            }
        }
    }
}
