package dev.headroom.analysis;

import dev.headroom.results.Point;
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
 * @param points   the combined points in increasing load, without tool errors
 * @param toolErrors the points an exception inside headroom ended ({@code tool_error}), in the order read: no
 *                 evidence about the server
 * @param best     the highest output throughput among passing, delivered points, or null when none is
 * @param knee     the knee of throughput against load, or null when the curve has none
 * @param maxLoad  the largest load under the SLO, or null without points
 * @param limit    the limiting factor and its evidence
 * @param recommendation the load to serve at by the group's objective, and why
 * @param verdict  the plain-language sentences
 */
public record GroupResult(GroupKey key, String model, String gpu, Axis axis, Judge judge, List<LoadPoint> points,
                          List<Point> toolErrors, LoadPoint best, LoadPoint knee, MaxLoad maxLoad, Limit limit,
                          Recommendation recommendation, String verdict) {

    public GroupResult {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(judge, "judge");
        Objects.requireNonNull(recommendation, "recommendation");
        points = List.copyOf(points);
        toolErrors = List.copyOf(toolErrors);
    }

    /** The group's SLO. */
    public SloChoice slo() {
        return judge.slo();
    }
}
