package dev.headroom.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.headroom.results.CapacityCsv;
import dev.headroom.results.ConfigRow;
import dev.headroom.results.ConfigsCsv;
import dev.headroom.results.ForeignResults;
import dev.headroom.results.Point;
import dev.headroom.results.RunResult;
import dev.headroom.results.SweepJson;
import dev.headroom.results.SweepSlo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code analyze} and {@code report} read: any mix of sweep folders ({@code capacity.csv}, with
 * {@code configs.csv} and {@code sweep.json} when present), run folders ({@code summary.json} + {@code run.yaml}) and
 * other tools' results files ({@code vllm bench serve}, GuideLLM, AIPerf, inference-perf, llm-d Benchmark Report;
 * {@link ForeignResults}), as docs/formats.md describes them. Bad input (a missing folder, neither
 * file, a malformed file) is one IllegalArgumentException line.
 *
 * @param points  every load point, in the order read, each with the {@code --slo} its sweep or run was given
 * @param configs every configs.csv row, in the order read
 */
public record Inputs(List<Point> points, List<ConfigRow> configs) {

    public Inputs {
        points = List.copyOf(points);
        configs = List.copyOf(configs);
    }

    /** Reads every folder; a run folder's repeat index counts earlier run folders at the same group and load. */
    public static Inputs load(List<Path> dirs) {
        if (dirs.isEmpty()) throw new IllegalArgumentException("analyze needs at least one DIR (a sweep or run folder)");
        List<Point> points = new ArrayList<>();
        List<ConfigRow> configs = new ArrayList<>();
        Map<String, Integer> runRepeats = new HashMap<>();
        for (Path dir : dirs) {
            try {
                readOne(dir, points, configs, runRepeats);
            } catch (IOException e) {
                throw new IllegalArgumentException("DIR " + dir + ": cannot read it (" + firstLine(e) + ")");
            }
        }
        return new Inputs(points, configs);
    }

    private static void readOne(Path dir, List<Point> points, List<ConfigRow> configs,
                                Map<String, Integer> runRepeats) throws IOException {
        if (Files.isRegularFile(dir) && ForeignResults.candidate(dir)) {
            for (Point p : ForeignResults.read(dir)) addRun(p, points, runRepeats);
            return;
        }
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("DIR " + dir + " is not a folder (nor another tool's results file: " + ForeignResults.SUPPORTED + ")");
        if (Files.isRegularFile(dir.resolve("capacity.csv"))) {
            points.addAll(readSweep(dir));
            Path configsCsv = dir.resolve("configs.csv");
            if (Files.isRegularFile(configsCsv)) configs.addAll(ConfigsCsv.read(configsCsv));
        } else if (RunResult.isRun(dir)) {
            addRun(RunResult.read(dir), points, runRepeats);
        } else {
            List<Path> results = ForeignResults.under(dir);
            if (results.isEmpty()) {
                throw new IllegalArgumentException("DIR " + dir + " holds neither capacity.csv (a sweep folder), "
                        + "summary.json (a run folder) nor another tool's results files (" + ForeignResults.SUPPORTED + ")");
            }
            for (Path result : results) {
                for (Point p : ForeignResults.read(result)) addRun(p, points, runRepeats);
            }
        }
    }

    /** A single run's point, as the next repeat of its group and load. */
    private static void addRun(Point p, List<Point> points, Map<String, Integer> runRepeats) {
        String key = p.group() + "|" + p.concurrency() + "|" + p.rate();
        points.add(p.withRepeat(runRepeats.merge(key, 1, Integer::sum) - 1));
    }

    /** A sweep's points, each with the {@code --slo} sweep.json says the sweep was given for its workload. */
    private static List<Point> readSweep(Path dir) throws IOException {
        Path sweepJson = dir.resolve("sweep.json");
        SweepSlo slo = Files.isRegularFile(sweepJson) ? SweepJson.read(sweepJson).slo() : null;
        List<Point> points = new ArrayList<>();
        for (Point p : CapacityCsv.read(dir.resolve("capacity.csv"))) {
            points.add(slo == null ? p : p.withSlo(slo.givenFor(p.workload())));
        }
        return points;
    }

    private static String firstLine(IOException e) {
        String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        if (message == null) return e.getClass().getSimpleName();
        return message.lines().findFirst().orElse(message).strip();
    }
}
