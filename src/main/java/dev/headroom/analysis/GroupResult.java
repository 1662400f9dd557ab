package dev.headroom.analysis;

import dev.headroom.results.GroupKey;
import java.util.List;
import java.util.Objects;

/**
 * The analysis of one group: its points (repeats combined, in load order) and what they say.
 *
 * @param key      config, workload, measured or predicted
 * @param model    the served model, or null when unknown
 * @param gpu      the GPU, or null when unknown
 * @param axis     the load the curve runs along
 * @param judge    the SLO and error ceiling the points were judged by
 * @param points   the combined points in increasing load
 * @param best     the highest output throughput among passing points, or null when none passes
 * @param knee     the knee of throughput against load, or null when the curve has none
 * @param maxLoad  the largest load under the SLO, or null without points
 * @param limit    the limiting factor and its evidence
 * @param verdict  the plain-language sentences
 */
public record GroupResult(GroupKey key, String model, String gpu, Axis axis, Judge judge, List<LoadPoint> points,
                          LoadPoint best, LoadPoint knee, MaxLoad maxLoad, Limit limit, String verdict) {

    public GroupResult {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(judge, "judge");
        points = List.copyOf(points);
    }

    /** The group's SLO. */
    public SloChoice slo() {
        return judge.slo();
    }
}
