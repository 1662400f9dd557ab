package dev.headroom.pipeline;

import dev.headroom.results.BenchmarkReport;
import java.io.IOException;

/**
 * The run-point pipeline that {@code run}, {@code run --offline} and {@code sweep} share: one load point (prompts →
 * HTTP load or the simulated engine → records → summary) written as a run folder (requests.jsonl, summary.json,
 * run.yaml, telemetry.csv, benchmark_report.json; docs/formats.md). A measured point and a predicted one send the
 * same prompts with the same warm-up, request counts and durations ({@link LoadPoint}).
 */
public final class RunPoint {

    private RunPoint() {}

    /**
     * Runs {@code point} against {@code target} and writes its folder {@code ctx.dir()}.
     *
     * @throws PointError when the point cannot run at all (server unreachable, setup refused)
     * @throws IllegalArgumentException on bad input, naming the option
     */
    public static PointResult run(LoadPoint point, PointTarget target, PointContext ctx) throws IOException {
        PointResult result = switch (target) {
            case PointTarget.Measured m -> MeasuredPoint.run(point, m, ctx);
            case PointTarget.Predicted p -> PredictedPoint.run(point, p, ctx);
        };
        // Last, from the folder's own files, so `headroom export` turns an older folder into the same report. The folder
        // is headroom's own: a file it cannot read back is headroom's failure, not bad input.
        try {
            BenchmarkReport.write(ctx.dir());
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot write " + BenchmarkReport.FILE + ": " + e.getMessage(), e);
        }
        return result;
    }
}
