package dev.headroom.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.JsonNode;
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

    /**
     * What a sweep.json recorded, read back.
     *
     * @param command the verb ({@code sweep} or {@code sweep --offline})
     * @param inputs  every resolved option, by its key
     * @param slo     the SLO per workload it ran with
     */
    public record Recorded(String command, Map<String, Object> inputs, SweepSlo slo) {
        public Recorded {
            inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        }
    }

    /** Reads {@code file}; a malformed file or SLO is bad input naming it. */
    @SuppressWarnings("unchecked")
    public static Recorded read(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        if (root == null || !root.isObject()) throw new IllegalArgumentException(file + " is not a sweep.json object");
        JsonNode inputs = root.path("inputs");
        return new Recorded(root.path("command").asText(""), inputs.isObject() ? JSON.convertValue(inputs, Map.class)
                : Map.of(), SweepSlo.of(inputs, file.toString()));
    }

    /** Inputs that do not change what a point measures, so a resumed sweep may give them anew. */
    private static final Set<String> FREE_ON_RESUME = Set.of("startup_timeout", "header_names", "api_key_env",
            "early_stop");

    /**
     * How {@code inputs} differ from those {@code recorded} (one clause per differing key, e.g. {@code concurrency
     * [1, 2, 4] then, [1, 2] now}), or null when a resume may continue. A key the older file lacks is not compared.
     */
    public static String difference(Recorded recorded, String command, Map<String, Object> inputs) {
        List<String> clauses = new ArrayList<>();
        if (!recorded.command().isEmpty() && !recorded.command().equals(command)) {
            clauses.add("'" + recorded.command() + "' then, '" + command + "' now");
        }
        for (Map.Entry<String, Object> e : inputs.entrySet()) {
            String key = e.getKey();
            if (FREE_ON_RESUME.contains(key) || !recorded.inputs().containsKey(key)) continue;
            JsonNode then = JSON.valueToTree(recorded.inputs().get(key));
            JsonNode now = JSON.valueToTree(e.getValue());
            if (!sameValue(then, now)) clauses.add(key + " " + compact(then) + " then, " + compact(now) + " now");
        }
        return clauses.isEmpty() ? null : String.join("; ", clauses);
    }

    /** Equal as JSON, numbers by value (4 and 4.0 agree). */
    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
        if (a.isContainerNode() && b.isContainerNode() && a.size() == b.size() && a.isArray() == b.isArray()) {
            if (a.isArray()) {
                for (int i = 0; i < a.size(); i++) if (!sameValue(a.get(i), b.get(i))) return false;
                return true;
            }
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                if (!b.has(e.getKey()) || !sameValue(e.getValue(), b.get(e.getKey()))) return false;
            }
            return true;
        }
        return a.equals(b);
    }

    private static String compact(JsonNode n) {
        return n.isNull() ? "(none)" : n.isTextual() ? "'" + n.asText() + "'" : n.toString();
    }

    /** A new sweep.json for {@code command} of headroom {@code version}, with its resolved {@code inputs}. */
    public static SweepJson create(Path file, String command, String version, Map<String, Object> inputs)
            throws IOException {
        Map<String, Object> doc = header(command, version, inputs, Instant.now().toString());
        SweepJson s = new SweepJson(file, doc, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        s.write();
        return s;
    }

    /**
     * Continues the sweep.json of an interrupted sweep: keeps its start, its configs, its early stops (a config run
     * again replaces its own) and the points {@code keep} accepts.
     */
    @SuppressWarnings("unchecked")
    public static SweepJson resume(Path file, String command, String version, Map<String, Object> inputs,
                                   Predicate<String> keep) throws IOException {
        if (!Files.exists(file)) return create(file, command, version, inputs);
        Map<String, Object> old = JSON.readValue(file.toFile(), Map.class);
        Map<String, Object> doc = header(command, version, inputs,
                String.valueOf(old.getOrDefault("started_at", Instant.now().toString())));
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
    public static Set<String> pointDirs(Path file, String status) throws IOException {
        if (!Files.exists(file)) return Set.of();
        Map<String, Object> old = JSON.readValue(file.toFile(), Map.class);
        Set<String> dirs = new HashSet<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) old.getOrDefault("points", List.of())) {
            if (status.equals(p.get("status"))) dirs.add(String.valueOf(p.get("dir")));
        }
        return dirs;
    }

    private static Map<String, Object> header(String command, String version, Map<String, Object> inputs,
                                              String startedAt) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tool", "headroom");
        doc.put("version", version);
        doc.put("command", command);
        doc.put("inputs", inputs);
        doc.put("started_at", startedAt);
        doc.put("finished_at", null);
        return doc;
    }

    /** Records one server config (configs.csv's row as an object), replacing an earlier entry of the same label. */
    public synchronized void putConfig(ConfigRow row) throws IOException {
        configs.removeIf(c -> Objects.equals(c.get("config"), row.config()));
        configs.add(row.toMap());
        write();
    }

    /** Records one point: capacity.csv's identity columns, its summary (or null) and the error that stopped it. */
    public synchronized void putPoint(Map<String, Object> identity, Map<String, Object> summary, String error) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>(identity);
        if (error != null) p.put("error", error);
        p.put("summary", summary);
        points.removeIf(old -> Objects.equals(old.get("dir"), identity.get("dir")));
        points.add(p);
        write();
    }

    /** Records that a workload's ramp stopped early, and why. */
    public synchronized void addEarlyStop(String config, String workload, String reason, List<String> skippedDirs) throws IOException {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("config", config);
        e.put("workload", workload);
        e.put("reason", reason);
        e.put("skipped", skippedDirs);
        earlyStops.add(e);
        write();
    }

    /** Forgets the early stops of {@code config}: its ramps run again and stop again where they do. */
    public synchronized void clearEarlyStops(String config) throws IOException {
        if (earlyStops.removeIf(e -> Objects.equals(e.get("config"), config))) write();
    }

    /** Whether an early stop recorded so far skipped the point folder {@code dir}. */
    public synchronized boolean skippedByEarlyStop(String dir) {
        return earlyStops.stream().anyMatch(e -> e.get("skipped") instanceof List<?> l && l.contains(dir));
    }

    /** The points recorded so far (kept ones of a resumed sweep included), each with its {@code status}. */
    public synchronized List<Map<String, Object>> points() {
        return List.copyOf(points);
    }

    /** The server configs recorded so far, each with its {@code status}. */
    public synchronized List<Map<String, Object>> configs() {
        return List.copyOf(configs);
    }

    /** Stamps the end of the sweep and its {@code outcome} (how the whole sweep turned out). */
    public synchronized void finish(Map<String, Object> outcome) throws IOException {
        doc.put("finished_at", Instant.now().toString());
        doc.put("outcome", outcome);
        write();
    }

    private void write() throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, JSON.writeValueAsString(doc) + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
