package dev.headroom.pipeline;

import dev.headroom.results.BenchmarkReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run-point pipeline that {@code run}, {@code run --offline} and {@code sweep} share: one load point (prompts →
 * HTTP load or the simulated engine → records → summary) written as a run folder (requests.jsonl, summary.json,
 * run.yaml, telemetry.csv; docs/formats.md), and its benchmark_report.json once the command's points are done. A measured point and a predicted one send the same prompts with the
 * same warm-up, request counts and durations ({@link LoadPoint}).
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
        return switch (target) {
            case PointTarget.Measured m -> MeasuredPoint.run(point, m, ctx);
            case PointTarget.Predicted p -> PredictedPoint.run(point, p, ctx);
        };
    }

    /**
     * Writes benchmark_report.json (llm-d's Benchmark Report, from each folder's own files) for every run folder
     * under {@code root}, itself included. Commands call it once their points are done, never between two points:
     * the work would run beside the next point's load on the client's cores. A run folder that cannot be read back
     * is headroom's own failure, not bad input.
     */
    public static void writeReports(Path root) throws IOException {
        List<Path> runs;
        try (Stream<Path> paths = Files.walk(root)) {
            runs = paths.filter(Files::isDirectory).filter(BenchmarkReport::isRunFolder).sorted().toList();
        }
        for (Path dir : runs) {
            try {
                BenchmarkReport.write(dir);
            } catch (IllegalArgumentException e) {
                throw new IOException("cannot write " + BenchmarkReport.FILE + ": " + e.getMessage(), e);
            }
        }
    }
}
