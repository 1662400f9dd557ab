package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.metrics.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one run folder tells its Benchmark Report, read once: summary.json, run.yaml, requests.jsonl,
 * telemetry.csv, the experiment it belongs to, and when it ended.
 *
 * @param dir        the run folder
 * @param uid        the report's id: a name-based UUID of summary.json's bytes, so a run exported again keeps it
 * @param summary    summary.json
 * @param run        run.yaml
 * @param records    requests.jsonl, the measured requests
 * @param stats      the requests' statistics, computed from {@code records} as summary.json's are
 * @param telemetry  telemetry.csv's columns by name (empty without the file)
 * @param endedAt    when the run ended: the end an earlier report of this summary states, else summary.json's
 *                   file time (it is written as the run ends); null for a predicted run, whose time is virtual
 * @param experiment the sweep and config the run belongs to
 * @param power      the GPU's power over the run as summary.json states it (null values: not measured)
 */
record BrSource(Path dir, String uid, JsonNode summary, RunInfo run, List<RequestRecord> records, Summary stats,
                Map<String, double[]> telemetry, Instant endedAt, BrExperiment experiment, GpuPower power) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Whether {@code dir} is a run folder: it holds a summary.json. */
    static boolean isRunFolder(Path dir) {
        return Files.isRegularFile(dir.resolve("summary.json"));
    }

    /**
     * Reads the run folder {@code dir}. A folder without summary.json, run.yaml or requests.jsonl, or with a file
     * that does not parse, is bad input named by its file.
     */
    static BrSource read(Path dir) throws IOException {
        Path summaryFile = dir.resolve("summary.json");
        if (!Files.isRegularFile(summaryFile)) {
            throw new IllegalArgumentException(dir + " is not a run folder: it has no summary.json");
        }
        for (String file : List.of("run.yaml", "requests.jsonl")) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new IllegalArgumentException(dir + " is not a complete run folder: it has no " + file);
            }
        }
        byte[] bytes = readable(summaryFile, () -> Files.readAllBytes(summaryFile));
        JsonNode summary = readable(summaryFile, () -> JSON.readTree(bytes));
        if (!summary.isObject() || !summary.path("duration").isNumber()) {
            throw new IllegalArgumentException(summaryFile + " is not a headroom summary: it has no numeric 'duration'");
        }
        RunInfo run = readable(dir.resolve("run.yaml"), () -> RunInfo.read(dir));
        Path requests = dir.resolve("requests.jsonl");
        List<RequestRecord> records = readable(requests, () -> RequestLog.read(requests));
        Path telemetryFile = dir.resolve("telemetry.csv");
        Map<String, double[]> telemetry = readable(telemetryFile, () -> TelemetryCsv.read(telemetryFile));
        long durationNanos = Math.max(1, Math.round(summary.path("duration").asDouble() * 1e9));
        Summary stats = Summary.compute(records, durationNanos, null);
        RunSource source = RunSource.of(run, summary);
        String uid = UUID.nameUUIDFromBytes(bytes).toString();
        Instant ended = source == RunSource.PREDICTED ? null : endedAt(dir, summaryFile, uid);
        return new BrSource(dir, uid, summary, run, records, stats, telemetry, ended,
                BrExperiment.of(dir), GpuPower.of(summary));
    }

    /**
     * When the run ended: the end the folder's report already states for this summary (written as the run ended; a
     * copy of the folder, as a fleet study brings back, does not keep file times), else summary.json's file time.
     */
    private static Instant endedAt(Path dir, Path summaryFile, String uid) throws IOException {
        Path earlier = dir.resolve(BenchmarkReport.FILE);
        if (Files.isRegularFile(earlier)) {
            try {
                JsonNode run = JSON.readTree(earlier.toFile()).path("run");
                if (uid.equals(run.path("uid").asText()) && run.path("time").path("end").isTextual()) {
                    return Instant.parse(run.path("time").path("end").asText());
                }
            } catch (IOException | java.time.format.DateTimeParseException unreadable) {
                // A report that does not parse is replaced: the summary's file time stands.
            }
        }
        return Files.getLastModifiedTime(summaryFile).toInstant();
    }

    private interface Reader<T> {
        T read() throws IOException;
    }

    /** A file of the folder that cannot be read or parsed is bad input, named by its path. */
    private static <T> T readable(Path file, Reader<T> reader) {
        try {
            return reader.read();
        } catch (IOException | RuntimeException e) {
            String m = String.valueOf(e.getMessage());
            int nl = m.indexOf('\n');
            throw new IllegalArgumentException(file + " is not readable: " + (nl < 0 ? m : m.substring(0, nl)), e);
        }
    }

    /** Where the numbers came from. */
    RunSource source() {
        return RunSource.of(run, summary);
    }

    /** The run's duration in seconds (summary.json's {@code duration}: first dispatch to last completion). */
    double durationSeconds() {
        return summary.path("duration").asDouble();
    }

    /** When the measured window opened: {@link #endedAt} less the duration; the epoch for a predicted run. */
    Instant startedAt() {
        return endedAt == null ? Instant.EPOCH : endedAt.minusNanos(Math.round(durationSeconds() * 1e9));
    }

    /** A number of summary.json, or null when absent or null there. */
    Double number(String key) {
        JsonNode v = summary.get(key);
        return v != null && v.isNumber() ? v.asDouble() : null;
    }

    /** The served model's name: run.yaml's input, else summary.json's {@code model_id}. */
    String model() {
        String m = run.input("model");
        return m.isBlank() ? summary.path("model_id").asText("unknown") : m;
    }
}
