package dev.headroom.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.analysis.Analysis;
import dev.headroom.analysis.Difference;
import dev.headroom.analysis.Inputs;
import dev.headroom.metrics.PointErrors;
import dev.headroom.results.Point;
import java.util.ArrayList;
import java.util.List;

/**
 * Measured against predicted, point by point: analysis.json's {@code comparison} where any folder's analysis holds
 * one, else the same comparison computed by analyze's own code over every point of the study (so a report of a
 * measured and a predicted sweep compares them even when each was analyzed alone).
 *
 * @param gpu       the GPU class's label, "" where analysis.json (of an older headroom) names none
 * @param load      "c=16" or "3.5 req/s"
 * @param metric    the summary key compared ({@code output_throughput}, {@code median_tpot_ms}, {@code p95_e2el_ms})
 * @param errorPct  (predicted − measured) / measured × 100, NaN when measured is 0
 */
record Gaps(String config, String workload, String gpu, String load, String metric, double measured, double predicted,
            double errorPct) {

    static List<Gaps> of(Study study) {
        List<Gaps> recorded = new ArrayList<>();
        for (SweepResults s : study.sweeps()) {
            for (JsonNode n : s.analysisIfAny().map(dev.headroom.report.Analysis::comparison).orElse(List.of())) {
                recorded.add(new Gaps(n.path("config").asText(), n.path("workload").asText(),
                        n.path("gpu").asText("").isEmpty() ? "" : GpuClass.of(n.path("gpu").asText()).label(), n.hasNonNull("rate") ? Fmt.num(n.path("rate").asDouble()) + " req/s"
                        : "c=" + Fmt.count(n.path("concurrency").asDouble()), n.path("metric").asText(),
                        n.path("measured").asDouble(Double.NaN), n.path("predicted").asDouble(Double.NaN),
                        n.path("error_pct").asDouble(Double.NaN)));
            }
        }
        if (!recorded.isEmpty()) return recorded;
        List<Point> points = new ArrayList<>();
        study.sweeps().forEach(s -> points.addAll(s.points()));
        List<Gaps> computed = new ArrayList<>();
        for (Difference d : Analysis.of(new Inputs(points, List.of()), null, PointErrors.DEFAULT_MAX_ERROR_RATE).comparison()) {
            computed.add(new Gaps(d.key().config(), d.key().workload(), GpuClass.of(d.key().gpu() == null ? "" : d.key().gpu()).label(),
                    d.rate() != null ? Fmt.num(d.rate()) + " req/s" : "c=" + Fmt.count(d.concurrency()), d.metric(),
                    d.measured(), d.predicted(), d.errorPct() == null ? Double.NaN : d.errorPct()));
        }
        return computed;
    }
}
