package dev.headroom.results;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tune.json}: what {@code headroom tune} searched, predicted, confirmed and chose (docs/formats.md). The tune
 * package writes it; the report reads it through {@link #read}.
 *
 * @param workload       the workload tuned for
 * @param model          the model served
 * @param gpu            the GPU's catalog id
 * @param objective      {@code latency} or {@code throughput}
 * @param unit           the figure's unit: {@code concurrency} or {@code output tok/s}
 * @param slo            the SLO in words, e.g. {@code p95 E2E ≤ 1.50 s}
 * @param spaceSize      configs in the search space
 * @param refused        configs the planner says vLLM refuses, pruned before the search
 * @param strategy       {@code exhaustive} or {@code successive-halving}
 * @param why            why that strategy
 * @param searchPoints   load points predicted by the search
 * @param searchSeconds  wall time of the search
 * @param knobEffects    each knob's largest effect on the predicted figure, percent, between configs that differ in
 *                       it alone, from each config's first search figure
 * @param effectRequests the requests a load behind those first figures (successive halving's first rung: fewer)
 * @param unimportant    the knobs that moved it by less than 1%
 * @param configs        the contenders and the best-ranked others, best predicted first
 * @param chosen         the config chosen
 * @param chosenBy       {@code measurement} or {@code prediction} (nothing confirmed)
 * @param serveYaml      the chosen config as a {@code vllm serve --config} YAML
 * @param runnerUp       the runner-up, or null
 * @param runnerUpWhy    why it lost, in words, or null
 * @param sloMet         whether the chosen config meets the SLO (or the job's deadline)
 * @param missPercent    when not: by how much the closest config misses, percent; else null
 * @param confirmation   the real starts and GPU time, or null when nothing was confirmed
 * @param bruteForce     what a grid of the whole space with a start per config would have cost
 */
public record TuneJson(String workload, String model, String gpu, String objective, String unit, String slo,
                       int spaceSize, int refused, String strategy, String why, int searchPoints, double searchSeconds,
                       Map<String, Double> knobEffects, int effectRequests, List<String> unimportant, List<Config> configs, Config chosen,
                       String chosenBy, String serveYaml, Config runnerUp, String runnerUpWhy, boolean sloMet,
                       Double missPercent, Cost confirmation, Cost bruteForce) {

    /** The file name in a tune folder. */
    public static final String FILE = "tune.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * One config as tune saw it.
     *
     * @param label       its name in the tune folder ({@code c007})
     * @param values      the knobs, vLLM's names to values
     * @param predicted   the predicted figure
     * @param bandPercent the half-width of its predicted band, percent
     * @param measured    the measured figure, or null when not started
     * @param note        what confirmation did with it, or null
     */
    public record Config(String label, Map<String, Object> values, double predicted, double bandPercent, Double measured,
                         String note) {}

    /**
     * Server time spent.
     *
     * @param starts     server starts
     * @param loadPoints load points run on the started servers
     * @param gpuMinutes GPU time the servers held, minutes (one GPU each); null when not known (nothing was started
     *                   to time a start by)
     * @param estimated  whether the figures are estimated (the brute-force grid) rather than counted
     */
    public record Cost(int starts, int loadPoints, Double gpuMinutes, boolean estimated) {}

    public TuneJson {
        knobEffects = knobEffects == null ? Map.of() : new LinkedHashMap<>(knobEffects);
        unimportant = List.copyOf(unimportant);
        configs = List.copyOf(configs);
    }

    /** Writes {@code tune.json} in {@code dir}, with the tool version. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tool_version", ToolVersion.version());
        m.putAll(JSON.convertValue(this, Map.class));
        JSON.writeValue(dir.resolve(FILE).toFile(), m);
    }

    /** Whether {@code dir} holds a tune.json. */
    public static boolean isTune(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /** Reads {@code dir/tune.json}; a malformed file is one IllegalArgumentException line naming it. */
    public static TuneJson read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            JsonNode root = JSON.readTree(file.toFile());
            TuneJson t = JSON.treeToValue(root, TuneJson.class);
            if (t.chosen() == null || t.workload() == null) throw new IllegalArgumentException("no chosen config");
            return t;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": not a tune.json headroom can read (" + firstLine(e) + ")");
        }
    }

    /** The configs measured, in the order listed. */
    public List<Config> measured() {
        List<Config> out = new ArrayList<>();
        for (Config c : configs) if (c.measured() != null) out.add(c);
        return out;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
