package dev.headroom.tune;

import dev.headroom.pipeline.LoadPoint;
import dev.headroom.pipeline.PointContext;
import dev.headroom.pipeline.PointResult;
import dev.headroom.pipeline.PointTarget;
import dev.headroom.pipeline.RunPoint;
import dev.headroom.results.CapacityCsv;
import dev.headroom.results.Point;
import dev.headroom.results.ServedConfig;
import dev.headroom.sweep.GridSpec;
import dev.headroom.workload.LoadPattern;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one config's load points through the run-point pipeline (predicted on the virtual clock, or measured against
 * a started server) and turns each into analyze's point, so the search and the confirmation judge alike.
 *
 * @param candidate the config
 * @param base      the load point of the tune (workload, lengths, seed, SLO); its pattern and count are replaced
 * @param requests  requests per load point
 * @param target    what serves it
 * @param ctx       where its folders go: one per load, {@code <dir>/<workload>-c<N>}
 * @param csv       where each point's row is appended as soon as it ran (measured points), or null
 */
record ConfigPoints(Candidate candidate, LoadPoint base, int requests, PointTarget target, PointContext ctx,
                    CapacityCsv csv) {

    /** Runs closed-loop concurrency {@code c} and returns it as a point of this config's group. */
    Point run(int c) throws IOException {
        LoadPattern pattern = LoadPattern.closedLoop(c);
        // Each load draws its own prompts, as a sweep's points do: the server keeps the earlier loads' prompts in its
        // prefix cache, and resending them made every later load look faster than fresh traffic (97% cache hits).
        LoadPoint point = new LoadPoint(base.api(), base.workload(), base.inputLengths(), base.outputLengths(),
                pattern, requests, null, base.warmup(), GridSpec.pointSeed(base.seed(), base.workload(), pattern, 0),
                base.exactOutput(),
                base.extraBody(), base.requestTimeout(), base.maxErrorRate(), base.slo(), base.traffic());
        Path dir = ctx.dir().resolve(base.workload().replaceAll("[^A-Za-z0-9._-]", "_") + "-c" + c);
        PointResult result = RunPoint.run(point, target, ctx.in(dir));
        Map<String, Number> values = new LinkedHashMap<>();
        result.summaryJson().forEach((k, v) -> {
            if (v instanceof Number n) values.put(k, n);
        });
        boolean clientLimited = Boolean.TRUE.equals(result.summaryJson().get("client_limited"));
        boolean delivered = !Boolean.FALSE.equals(result.summaryJson().get("valid"));
        Map<String, Object> served = new LinkedHashMap<>(candidate.setup().serve().knobs());
        served.put("model", candidate.setup().model().name());
        served.put("gpu", candidate.setup().gpu().gpu().id());
        String status = result.stopReason() == null ? "ok" : "stopped_early";
        Point p = new Point(candidate.label(), base.workload(), result.predicted(), c, null, 0, status, dir,
                ServedConfig.of(served), values, clientLimited, delivered, base.slo(), null, dir.toString());
        if (csv != null) csv.append(p);
        return p;
    }
}
