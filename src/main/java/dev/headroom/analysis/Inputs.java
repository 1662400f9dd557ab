package dev.headroom.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code analyze} reads: any mix of sweep folders ({@code capacity.csv}, with {@code configs.csv} and
 * {@code sweep.json} when present) and run folders ({@code summary.json} + {@code run.yaml}), as docs/formats.md
 * describes them. Bad input (a missing folder, neither file, a malformed file) is one IllegalArgumentException line.
 *
 * @param points  every load point, in the order read
 * @param configs every configs.csv row, in the order read
 */
public record Inputs(List<Point> points, List<ConfigRow> configs) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = new YAMLMapper();
    /** capacity.csv's columns that are identity or text, not numbers of the point. */
    private static final Set<String> TEXT_COLUMNS = Set.of("config", "workload", "concurrency", "rate", "repeat",
            "predicted", "status", "dir", "model", "gpu", "client_limited", "valid");

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
        if (Files.isRegularFile(dir) && dir.toString().endsWith(".json")) {
            addRun(readVllmBench(dir), points, runRepeats);
            return;
        }
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("DIR " + dir + " is not a folder (nor a vllm bench serve result .json)");
        if (Files.isRegularFile(dir.resolve("capacity.csv"))) {
            points.addAll(readSweep(dir));
            Path configsCsv = dir.resolve("configs.csv");
            if (Files.isRegularFile(configsCsv)) {
                for (Map<String, String> row : rows(configsCsv)) configs.add(new ConfigRow(row));
            }
        } else if (Files.isRegularFile(dir.resolve("summary.json"))) {
            addRun(readRun(dir), points, runRepeats);
        } else {
            List<Path> results = vllmBenchResults(dir);
            if (results.isEmpty()) {
                throw new IllegalArgumentException("DIR " + dir + " holds neither capacity.csv (a sweep folder), "
                        + "summary.json (a run folder) nor vllm bench serve result files (--save-result .json)");
            }
            for (Path result : results) addRun(readVllmBench(result), points, runRepeats);
        }
    }

    /** A single run's point, as the next repeat of its group and load. */
    private static void addRun(Point p, List<Point> points, Map<String, Integer> runRepeats) {
        String key = p.group() + "|" + p.concurrency() + "|" + p.rate();
        points.add(p.withRepeat(runRepeats.merge(key, 1, Integer::sum) - 1));
    }

    /** The {@code .json} files under {@code dir} (three levels down, as {@code vllm bench sweep} nests them) that are vLLM results. */
    private static List<Path> vllmBenchResults(Path dir) throws IOException {
        try (var files = Files.find(dir, 3, (f, a) -> a.isRegularFile() && f.toString().endsWith(".json"))) {
            List<Path> results = new ArrayList<>();
            for (Path f : files.sorted().toList()) {
                if (isVllmBenchResult(JSON.readTree(f.toFile()))) results.add(f);
            }
            return results;
        }
    }

    /** vLLM's {@code --save-result} JSON (vllm/benchmarks/serve.py): traffic keys, then the benchmark result's. */
    private static boolean isVllmBenchResult(JsonNode n) {
        return n != null && n.isObject() && n.has("request_rate") && n.has("completed") && n.has("duration")
                && n.has("output_throughput");
    }

    /**
     * One {@code vllm bench serve --save-result} file as a run point: {@code max_concurrency} and
     * {@code request_rate} ({@code "inf"}: none) place it on the load axis; every numeric key is a value under the
     * same name headroom uses; {@code failed} is {@code num_prompts − completed} where the file has no count.
     * The workload is {@code --metadata workload=NAME} when given, else {@code vllm-bench}; a {@code gpu} metadata
     * key names the GPU.
     */
    static Point readVllmBench(Path file) throws IOException {
        JsonNode n = JSON.readTree(file.toFile());
        String where = file.toString();
        if (!isVllmBenchResult(n)) {
            throw new IllegalArgumentException(where + " is not a vllm bench serve result (--save-result JSON with "
                    + "request_rate, completed, duration and output_throughput)");
        }
        Map<String, Double> values = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) values.put(e.getKey(), e.getValue().asDouble());
        });
        if (!values.containsKey("failed") && values.containsKey("num_prompts")) {
            values.put("failed", Math.max(0, values.get("num_prompts") - values.getOrDefault("completed", 0.0)));
        }
        JsonNode rate = n.get("request_rate");
        Double ratePerSecond = rate.isNumber() && Double.isFinite(rate.asDouble()) ? rate.asDouble() : null;
        if (ratePerSecond != null && ratePerSecond <= 0) throw new IllegalArgumentException(where + ": request_rate must be positive, was " + rate);
        JsonNode cap = n.get("max_concurrency");
        Integer concurrency = cap != null && cap.canConvertToInt() && cap.asInt() > 0 ? cap.asInt() : null;
        if (ratePerSecond == null && concurrency == null) {
            throw new IllegalArgumentException(where + ": neither request_rate nor max_concurrency sets its load (an unlimited burst)");
        }
        String workload = textOf(n.path("workload")) != null ? textOf(n.path("workload")) : "vllm-bench";
        return new Point("default", workload, false, concurrency, ratePerSecond, 0, "ok", textOf(n.path("model_id")),
                textOf(n.path("gpu")), values, false, true, null, null, where);
    }

    private static String firstLine(IOException e) {
        String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        if (message == null) return e.getClass().getSimpleName();
        return message.lines().findFirst().orElse(message).strip();
    }

    private static List<Map<String, String>> rows(Path csv) throws IOException {
        try {
            return Csv.rows(Files.readString(csv), csv.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(csv + ": " + e.getMessage());
        }
    }

    private static List<Point> readSweep(Path dir) throws IOException {
        Path csv = dir.resolve("capacity.csv");
        String sweepSlo = sweepSlo(dir.resolve("sweep.json"));
        Map<String, String> errors = sweepErrors(dir.resolve("sweep.json"));
        List<Point> points = new ArrayList<>();
        int line = 1;
        for (Map<String, String> row : rows(csv)) {
            line++;
            points.add(sweepPoint(row, sweepSlo, errors.get(row.get("dir")), csv + " line " + line));
        }
        return points;
    }

    private static Point sweepPoint(Map<String, String> row, String slo, String error, String where) {
        Map<String, Double> values = new LinkedHashMap<>();
        row.forEach((column, cell) -> {
            if (!TEXT_COLUMNS.contains(column) && !cell.isBlank()) {
                Double v = number(cell);
                if (v != null) values.put(column, v);
            }
        });
        String workload = row.getOrDefault("workload", "");
        if (workload.isBlank()) throw new IllegalArgumentException(where + " has no workload");
        return new Point(text(row.get("config"), "default"), workload, "true".equalsIgnoreCase(row.get("predicted")),
                integer(row.get("concurrency"), where), positive(row.get("rate"), where),
                repeat(row.get("repeat"), where), text(row.get("status"), "ok"), blankToNull(row.get("model")),
                blankToNull(row.get("gpu")), values, "true".equalsIgnoreCase(row.get("client_limited")),
                !"false".equalsIgnoreCase(row.getOrDefault("valid", "")), slo, error, where);
    }

    private static String sweepSlo(Path sweepJson) throws IOException {
        if (!Files.isRegularFile(sweepJson)) return null;
        JsonNode slo = JSON.readTree(sweepJson.toFile()).path("inputs").path("slo");
        return slo.isTextual() && !slo.asText().isBlank() ? slo.asText() : null;
    }

    /** sweep.json's {@code error} of each point that has one, by the point's {@code dir}. */
    private static Map<String, String> sweepErrors(Path sweepJson) throws IOException {
        Map<String, String> errors = new HashMap<>();
        if (!Files.isRegularFile(sweepJson)) return errors;
        for (JsonNode p : JSON.readTree(sweepJson.toFile()).path("points")) {
            if (textOf(p.path("dir")) != null && textOf(p.path("error")) != null) errors.put(p.path("dir").asText(), p.path("error").asText());
        }
        return errors;
    }

    private static Point readRun(Path dir) throws IOException {
        Path yaml = dir.resolve("run.yaml");
        if (!Files.isRegularFile(yaml)) {
            throw new IllegalArgumentException("DIR " + dir + " has summary.json but no run.yaml (its inputs)");
        }
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        JsonNode run = YAML.readTree(yaml.toFile());
        JsonNode inputs = run.path("inputs");
        JsonNode target = run.path("simulated_target");
        Map<String, Double> values = new LinkedHashMap<>();
        summary.fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) values.put(e.getKey(), e.getValue().asDouble());
        });
        String where = dir.toString();
        String workload = textOf(inputs.path("workload"));
        if (workload == null) throw new IllegalArgumentException("DIR " + dir + ": run.yaml names no inputs.workload");
        String model = textOf(inputs.path("model")) != null ? textOf(inputs.path("model")) : textOf(target.path("model"));
        return new Point("default", workload, summary.path("predicted").asBoolean(false),
                integer(textOf(inputs.path("concurrency")), where), positive(textOf(inputs.path("rate")), where), 0,
                "ok", model, textOf(target.path("gpu")), values, summary.path("client_limited").asBoolean(false),
                summary.path("valid").asBoolean(true), textOf(inputs.path("slo")), null, where);
    }

    private static String textOf(JsonNode node) {
        return node.isMissingNode() || node.isNull() || node.asText().isBlank() ? null : node.asText();
    }

    private static String text(String cell, String otherwise) {
        return cell == null || cell.isBlank() ? otherwise : cell.strip();
    }

    private static String blankToNull(String cell) {
        return cell == null || cell.isBlank() ? null : cell.strip();
    }

    private static Double number(String cell) {
        try {
            return Double.parseDouble(cell.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer integer(String cell, String where) {
        if (cell == null || cell.isBlank()) return null;
        Double v = number(cell);
        if (v == null || v < 1 || v != Math.rint(v)) {
            throw new IllegalArgumentException(where + ": concurrency '" + cell + "' is not a whole number ≥ 1");
        }
        return v.intValue();
    }

    private static Double positive(String cell, String where) {
        if (cell == null || cell.isBlank()) return null;
        Double v = number(cell);
        if (v == null || !(v > 0)) throw new IllegalArgumentException(where + ": rate '" + cell + "' is not a number > 0");
        return v;
    }

    private static int repeat(String cell, String where) {
        if (cell == null || cell.isBlank()) return 0;
        Double v = number(cell);
        if (v == null || v < 0 || v != Math.rint(v)) {
            throw new IllegalArgumentException(where + ": repeat '" + cell + "' is not a whole number ≥ 0");
        }
        return v.intValue();
    }
}
