package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.headroom.metrics.Slo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A run folder ({@code run}, {@code run --offline}) read back as one point: its summary.json and run.yaml. */
public final class RunResult {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private RunResult() {
    }

    /** Whether {@code dir} holds a run's summary.json. */
    public static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve("summary.json"));
    }

    /**
     * The run in {@code dir} as repeat 0 of config {@code default}: the load and workload from run.yaml's inputs,
     * the served config from its simulated target, every numeric summary key, and the {@code --slo} it ran with.
     * A run.yaml that is missing or names no workload is bad input.
     */
    public static Point read(Path dir) throws IOException {
        Path yaml = dir.resolve("run.yaml");
        if (!Files.isRegularFile(yaml)) {
            throw new IllegalArgumentException("DIR " + dir + " has summary.json but no run.yaml (its inputs)");
        }
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        RunInfo run = RunInfo.read(dir);
        String where = dir.toString();
        String workload = Cells.text(run.input("workload"));
        if (workload == null) throw new IllegalArgumentException("DIR " + dir + ": run.yaml names no inputs.workload");
        Map<String, String> served = new LinkedHashMap<>();
        for (String key : ServedConfig.KEYS) served.put(key, run.served(key));
        if (!run.input("model").isBlank()) served.put("model", run.input("model"));
        String slo = Cells.text(run.input("slo"));
        return new Point("default", workload, summary.path("predicted").asBoolean(false),
                Cells.whole(run.input("concurrency"), where + ": concurrency", 1), Cells.number(run.input("rate")), 0,
                "ok", dir, ServedConfig.of(served), numbers(summary), summary.path("client_limited").asBoolean(false),
                summary.path("valid").asBoolean(true), slo == null ? null : parse(slo, where), null, where);
    }

    /** The numeric keys of a flat JSON object, whole numbers kept whole. */
    static Map<String, Number> numbers(JsonNode object) {
        Map<String, Number> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            JsonNode v = e.getValue();
            if (v.isIntegralNumber()) values.put(e.getKey(), v.asLong());
            else if (v.isNumber()) values.put(e.getKey(), v.asDouble());
        }
        return values;
    }

    private static Slo parse(String spec, String where) {
        try {
            return Slo.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": run.yaml's inputs.slo '" + spec + "' is not an SLO (" + e.getMessage() + ")");
        }
    }
}
