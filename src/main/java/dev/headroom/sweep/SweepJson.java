package dev.headroom.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.headroom.pipeline.ToolVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * sweep.json (docs/formats.md): the grid, its inputs, one entry per server config and per point, and the early
 * stops of load ramps. Rewritten whole (to a temporary file, then moved) after every point, so it is never torn.
 */
public final class SweepJson {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Path file;
    private final Map<String, Object> doc;
    private final List<Map<String, Object>> configs;
    private final List<Map<String, Object>> points;
    private final List<Map<String, Object>> earlyStops;

    private SweepJson(Path file, Map<String, Object> doc, List<Map<String, Object>> configs,
                      List<Map<String, Object>> points, List<Map<String, Object>> earlyStops) {
        this.file = file;
        this.doc = doc;
        this.configs = configs;
        this.points = points;
        this.earlyStops = earlyStops;
        doc.put("configs", configs);
        doc.put("points", points);
        doc.put("early_stops", earlyStops);
    }

    /** A new sweep.json for {@code command} with its resolved {@code inputs}. */
    public static SweepJson create(Path file, String command, Map<String, Object> inputs) throws IOException {
        Map<String, Object> doc = header(command, inputs, Instant.now().toString());
        SweepJson s = new SweepJson(file, doc, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        s.write();
        return s;
    }

    /**
     * Continues the sweep.json of an interrupted sweep: keeps its start, its configs, its early stops (a config run
     * again replaces its own) and the points {@code keep} accepts.
     */
    @SuppressWarnings("unchecked")
    public static SweepJson resume(Path file, String command, Map<String, Object> inputs, Predicate<String> keep)
            throws IOException {
        if (!Files.exists(file)) return create(file, command, inputs);
        Map<String, Object> old = JSON.readValue(file.toFile(), Map.class);
        Map<String, Object> doc = header(command, inputs, String.valueOf(old.getOrDefault("started_at", Instant.now().toString())));
        List<Map<String, Object>> points = new ArrayList<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) old.getOrDefault("points", List.of())) {
            if (keep.test(String.valueOf(p.get("dir")))) points.add(p);
        }
        SweepJson s = new SweepJson(file, doc, new ArrayList<>((List<Map<String, Object>>) old.getOrDefault("configs", List.of())),
                points, new ArrayList<>((List<Map<String, Object>>) old.getOrDefault("early_stops", List.of())));
        s.write();
        return s;
    }

    /** The folders of the points an earlier run of {@code file} recorded with {@code status}; empty without the file. */
    @SuppressWarnings("unchecked")
    static Set<String> pointDirs(Path file, PointStatus status) throws IOException {
        if (!Files.exists(file)) return Set.of();
        Map<String, Object> old = JSON.readValue(file.toFile(), Map.class);
        Set<String> dirs = new HashSet<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) old.getOrDefault("points", List.of())) {
            if (status.label().equals(p.get("status"))) dirs.add(String.valueOf(p.get("dir")));
        }
        return dirs;
    }

    private static Map<String, Object> header(String command, Map<String, Object> inputs, String startedAt) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tool", "headroom");
        doc.put("version", ToolVersion.version());
        doc.put("command", command);
        doc.put("inputs", inputs);
        doc.put("started_at", startedAt);
        doc.put("finished_at", null);
        return doc;
    }

    /** Records one server config (configs.csv's row as an object), replacing an earlier entry of the same label. */
    public synchronized void putConfig(Map<String, Object> row) throws IOException {
        Objects.requireNonNull(row.get("config"), "a config row needs its label");
        configs.removeIf(c -> Objects.equals(c.get("config"), row.get("config")));
        configs.add(new LinkedHashMap<>(row));
        write();
    }

    /** Records one point: capacity.csv's identity columns, its summary (or null) and the error that stopped it. */
    synchronized void putPoint(Map<String, Object> identity, Map<String, Object> summary, String error) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>(identity);
        if (error != null) p.put("error", error);
        p.put("summary", summary);
        points.removeIf(old -> Objects.equals(old.get("dir"), identity.get("dir")));
        points.add(p);
        write();
    }

    /** Records that a workload's ramp stopped early, and why. */
    synchronized void addEarlyStop(String config, String workload, String reason, List<String> skippedDirs) throws IOException {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("config", config);
        e.put("workload", workload);
        e.put("reason", reason);
        e.put("skipped", skippedDirs);
        earlyStops.add(e);
        write();
    }

    /** Forgets the early stops of {@code config}: its ramps run again and stop again where they do. */
    synchronized void clearEarlyStops(String config) throws IOException {
        if (earlyStops.removeIf(e -> Objects.equals(e.get("config"), config))) write();
    }

    /** Whether an early stop recorded so far skipped the point folder {@code dir}. */
    synchronized boolean skippedByEarlyStop(String dir) {
        return earlyStops.stream().anyMatch(e -> e.get("skipped") instanceof List<?> l && l.contains(dir));
    }

    /** Stamps the end of the sweep and its {@code outcome} over every point and config recorded; returns the outcome. */
    public synchronized SweepOutcome finish(boolean interrupted) throws IOException {
        SweepOutcome outcome = SweepOutcome.of(points, configs, interrupted);
        doc.put("finished_at", Instant.now().toString());
        doc.put("outcome", outcome.toMap());
        write();
        return outcome;
    }

    private void write() throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, JSON.writeValueAsString(doc) + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
