package dev.headroom.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One measured load point for {@code calibrate}: a closed loop of {@code concurrency} streams with mean prompt
 * and output lengths, its median time per output token, and for the API server's costs its median TTFT, the rate
 * requests completed at and, where the server reported it, the TTFT split (a run folder's summary.json and run.yaml).
 *
 * @param label          the run folder
 * @param concurrency    streams in flight
 * @param inputTokens    mean prompt tokens per request
 * @param outputTokens   mean output tokens per request
 * @param tpotMs         median TPOT measured, milliseconds
 * @param outsideEngineMs median part of the client's TTFT the engine does not account for (the server's
 *                        per-request metrics), milliseconds; NaN where the server did not report them
 * @param ttftMs          median TTFT measured, milliseconds; NaN where the summary has none
 * @param requestsPerSecond requests completed per second of the run ({@code request_throughput}); NaN where absent
 * @param requests        requests the run completed ({@code completed}), so the simulator runs as many waves; 0 where
 *                        not known
 */
public record CalibrationPoint(String label, int concurrency, double inputTokens, double outputTokens, double tpotMs,
                               double outsideEngineMs, double ttftMs, double requestsPerSecond, int requests) {

    /** A point without the server's TTFT split, TTFT or rate. */
    public CalibrationPoint(String label, int concurrency, double inputTokens, double outputTokens, double tpotMs) {
        this(label, concurrency, inputTokens, outputTokens, tpotMs, Double.NaN);
    }

    /** A point with the server's TTFT split and no TTFT or rate. */
    public CalibrationPoint(String label, int concurrency, double inputTokens, double outputTokens, double tpotMs,
                            double outsideEngineMs) {
        this(label, concurrency, inputTokens, outputTokens, tpotMs, outsideEngineMs, Double.NaN, Double.NaN);
    }

    /** A point whose number of requests is not known. */
    public CalibrationPoint(String label, int concurrency, double inputTokens, double outputTokens, double tpotMs,
                            double outsideEngineMs, double ttftMs, double requestsPerSecond) {
        this(label, concurrency, inputTokens, outputTokens, tpotMs, outsideEngineMs, ttftMs, requestsPerSecond, 0);
    }

    private static final Pattern CONCURRENCY_IN_NAME = Pattern.compile("-c(\\d+)(?:-r\\d+)?$");

    public CalibrationPoint {
        if (concurrency < 1 || !(tpotMs > 0) || !(inputTokens >= 0) || !(outputTokens > 1) || requests < 0) {
            throw new IllegalArgumentException(label + ": a calibration point needs concurrency >= 1, a positive "
                    + "median TPOT and more than one output token per request");
        }
    }

    /** Every run folder (a folder holding summary.json) under {@code dirs}, in path order. */
    public static List<CalibrationPoint> read(List<Path> dirs) {
        List<CalibrationPoint> points = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) throw new IllegalArgumentException("calibrate: '" + dir + "' is not a folder");
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path summary : files.filter(p -> p.getFileName().toString().equals("summary.json")).sorted().toList()) {
                    points.add(of(summary.getParent()));
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("calibrate: cannot read '" + dir + "': " + e.getMessage());
            }
        }
        if (points.isEmpty()) throw new IllegalArgumentException("calibrate: no run folder (summary.json) under " + dirs);
        return points;
    }

    /**
     * Reads one run folder: summary.json's median TPOT, requests and token totals, median TTFT, request throughput and, where
     * the server reported per-request metrics, the median TTFT outside the engine; concurrency from run.yaml or the
     * name.
     */
    static CalibrationPoint of(Path run) throws IOException {
        JsonNode s = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        double completed = s.path("completed").asDouble(0);
        if (completed <= 0 || !s.path("median_tpot_ms").isNumber()) {
            throw new IllegalArgumentException("calibrate: " + run + "/summary.json has no completed requests or no "
                    + "median_tpot_ms");
        }
        return new CalibrationPoint(run.toString(), concurrency(run), s.path("total_input_tokens").asDouble() / completed,
                s.path("total_output_tokens").asDouble() / completed, s.get("median_tpot_ms").asDouble(),
                number(s, "median_ttft_outside_engine_ms"), number(s, "median_ttft_ms"), number(s, "request_throughput"),
                (int) Math.min(Integer.MAX_VALUE, Math.round(completed)));
    }

    private static double number(JsonNode summary, String key) {
        return summary.path(key).isNumber() ? summary.get(key).asDouble() : Double.NaN;
    }

    private static int concurrency(Path run) throws IOException {
        Path yaml = run.resolve("run.yaml");
        if (Files.isRegularFile(yaml)) {
            JsonNode c = new ObjectMapper(new YAMLFactory()).readTree(yaml.toFile()).findValue("concurrency");
            if (c != null && c.isInt()) return c.asInt();
        }
        Matcher m = CONCURRENCY_IN_NAME.matcher(run.getFileName().toString());
        if (m.find()) return Integer.parseInt(m.group(1));
        throw new IllegalArgumentException("calibrate: " + run + " is not a closed-loop run (no concurrency in run.yaml "
                + "or in its name)");
    }
}
