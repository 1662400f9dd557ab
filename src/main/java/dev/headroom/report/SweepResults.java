package dev.headroom.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.analysis.Inputs;
import dev.headroom.results.ConfigRow;
import dev.headroom.results.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One results folder as docs/formats.md lays it out, read as {@code analyze} reads it ({@link Inputs}): a sweep
 * folder or a single run folder (a one-point sweep), with the {@code analysis.json} that {@code analyze} wrote
 * beside it, when there is one.
 *
 * @param points  its load points
 * @param configs its configs.csv rows (none for a run folder)
 */
public record SweepResults(Path dir, List<Point> points, List<ConfigRow> configs, Analysis analysis) {

    static final ObjectMapper JSON = new ObjectMapper();

    public SweepResults {
        points = List.copyOf(points);
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

    /**
     * Reads {@code dir}; a missing folder or one with neither capacity.csv, summary.json nor another tool's results
     * files (analysis.Inputs) is bad input.
     */
    public static SweepResults read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("DIR: no such folder '" + dir + "' (give a sweep or run folder)");
        }
        Analysis analysis = Files.isRegularFile(dir.resolve("analysis.json"))
                ? Analysis.of(JSON.readTree(dir.resolve("analysis.json").toFile())) : null;
        Inputs inputs = Inputs.load(List.of(dir));
        return new SweepResults(dir, inputs.points(), inputs.configs(), analysis);
    }
}
