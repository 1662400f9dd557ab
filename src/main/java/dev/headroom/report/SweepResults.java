package dev.headroom.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One results folder as docs/formats.md lays it out: a sweep folder ({@code capacity.csv}, {@code configs.csv},
 * {@code sweep.json}, {@code points/...}) or a single run folder ({@code summary.json}, read as a one-point sweep),
 * with the {@code analysis.json} that {@code analyze} wrote beside it, when there is one.
 */
public record SweepResults(Path dir, List<Row> capacity, List<Row> configs, JsonNode sweep, Analysis analysis) {

    static final ObjectMapper JSON = new ObjectMapper();

    public SweepResults {
        capacity = List.copyOf(capacity);
        configs = List.copyOf(configs);
    }

    /** The folder's name, used to tell sweeps apart. */
    public String label() {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? dir.toString() : name.toString();
    }

    /** The analysis beside the sweep, if {@code analyze} wrote one. */
    public Optional<Analysis> analysisIfAny() {
        return Optional.ofNullable(analysis);
    }

    /** Reads {@code dir}; a missing folder or one with neither capacity.csv nor summary.json is bad input. */
    public static SweepResults read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("DIR: no such folder '" + dir + "' (give a sweep or run folder)");
        }
        Analysis analysis = Files.isRegularFile(dir.resolve("analysis.json"))
                ? Analysis.of(JSON.readTree(dir.resolve("analysis.json").toFile())) : null;
        if (Files.isRegularFile(dir.resolve("capacity.csv"))) {
            List<Row> configs = Files.isRegularFile(dir.resolve("configs.csv")) ? Csv.read(dir.resolve("configs.csv")) : List.of();
            JsonNode sweep = Files.isRegularFile(dir.resolve("sweep.json"))
                    ? JSON.readTree(dir.resolve("sweep.json").toFile()) : MissingNode.getInstance();
            return new SweepResults(dir, Csv.read(dir.resolve("capacity.csv")), configs, sweep, analysis);
        }
        if (Files.isRegularFile(dir.resolve("summary.json"))) {
            return new SweepResults(dir, List.of(runRow(dir)), List.of(), MissingNode.getInstance(), analysis);
        }
        throw new IllegalArgumentException("DIR: '" + dir + "' holds neither capacity.csv (a sweep) nor summary.json (a run)");
    }

    /** A run folder's summary.json as a row of its flat keys; an absent file reads as an empty row. */
    public static Row summary(Path runDir) throws IOException {
        Map<String, String> cells = new LinkedHashMap<>();
        Path file = runDir.resolve("summary.json");
        if (!Files.isRegularFile(file)) return new Row(cells);
        JSON.readTree(file.toFile()).fields().forEachRemaining(e -> {
            if (!e.getValue().isNull() && e.getValue().isValueNode()) cells.put(e.getKey(), e.getValue().asText());
        });
        return new Row(cells);
    }

    /** A run folder as one capacity.csv row: its summary's keys, the load and the served config from run.yaml. */
    private static Row runRow(Path dir) throws IOException {
        Map<String, String> cells = new LinkedHashMap<>(summary(dir).cells());
        RunInfo run = RunInfo.read(dir);
        cells.put("config", "default");
        cells.put("workload", run.input("workload"));
        cells.put("concurrency", run.input("concurrency"));
        cells.put("rate", run.input("rate"));
        cells.put("repeat", "0");
        cells.put("predicted", Boolean.toString(run.predicted()));
        cells.put("status", "ok");
        cells.put("dir", ".");
        for (String key : RunInfo.SERVE_KEYS) cells.put(key, run.served(key));
        return new Row(cells);
    }
}
