package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The experiment a run folder belongs to, as the Benchmark Report groups reports: one server config of one sweep
 * (llm-d's "treatment"), whose load points are its stages. A run outside a sweep is an experiment of one stage.
 *
 * @param id        the experiment's name: {@code <sweep folder>/<config>}, or the run folder's name
 * @param config    the server config's label ({@code default} outside a sweep)
 * @param stage     the point's index among its config's points in sweep.json's order (0 outside a sweep)
 * @param inSweep   whether the run is a sweep's point
 * @param configRow the config's entry in sweep.json (the served config, its command line), or null
 */
record BrExperiment(String id, String config, int stage, boolean inSweep, JsonNode configRow) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * The experiment of {@code runDir}: a sweep's when the folder sits at {@code SWEEP/points/<config>/<point>/}
     * beside {@code SWEEP/sweep.json} (a point not yet in sweep.json is the config's next stage), else its own.
     *
     * @throws IllegalArgumentException when that sweep.json cannot be read
     */
    static BrExperiment of(Path runDir) {
        Path dir = runDir.toAbsolutePath().normalize();
        Path configDir = dir.getParent();
        Path points = configDir == null ? null : configDir.getParent();
        Path sweep = points == null ? null : points.getParent();
        if (sweep == null || !points.getFileName().toString().equals("points")
                || !Files.isRegularFile(sweep.resolve("sweep.json"))) {
            return new BrExperiment(name(dir), "default", 0, false, null);
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(sweep.resolve("sweep.json").toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(sweep.resolve("sweep.json") + " is not readable: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
        String config = configDir.getFileName().toString();
        String pointDir = sweep.relativize(dir).toString().replace('\\', '/');
        int stage = 0;
        for (JsonNode p : doc.path("points")) {
            if (!config.equals(p.path("config").asText())) continue;
            if (pointDir.equals(p.path("dir").asText())) break;
            stage++;
        }
        JsonNode row = null;
        for (JsonNode c : doc.path("configs")) {
            if (config.equals(c.path("config").asText())) row = c;
        }
        return new BrExperiment(name(sweep) + "/" + config, config, stage, true, row);
    }

    private static String name(Path dir) {
        Path n = dir.getFileName();
        return n == null ? dir.toString() : n.toString();
    }
}
