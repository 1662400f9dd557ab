package dev.headroom.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;

/**
 * {@code benchmark_report.json}: a run folder as llm-d's Benchmark Report v0.2.1 (llm-d-benchmark's
 * {@code br_v0_2_1_json_schema.json}), one report per load point, which llm-d calls a stage. Written from the run
 * folder's own files, so a finished run and an older folder ({@code headroom export}) give the same report.
 * docs/formats.md maps every field.
 */
public final class BenchmarkReport {

    /** The file's name in a run folder. */
    public static final String FILE = "benchmark_report.json";

    /** The Benchmark Report version written. */
    public static final String VERSION = "0.2.1";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private BenchmarkReport() {}

    /** Whether {@code dir} is a run folder (it holds a summary.json). */
    public static boolean isRunFolder(Path dir) {
        return BrSource.isRunFolder(dir);
    }

    /** Writes {@code runDir/benchmark_report.json}; see {@link #write(Path, Path)}. */
    public static Path write(Path runDir) throws IOException {
        return write(runDir, runDir.resolve(FILE));
    }

    /**
     * Writes the report of the run folder {@code runDir} to {@code file} (parent folders created, an earlier file
     * replaced whole). The GPU's power is the run's own, as its summary.json states it.
     *
     * @throws IllegalArgumentException when {@code runDir} is not a complete, readable run folder (the message names
     *                                  the file)
     */
    public static Path write(Path runDir, Path file) throws IOException {
        ObjectNode report = of(BrSource.read(runDir));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, JSON.writeValueAsString(report) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    static ObjectNode of(BrSource s) {
        ObjectNode report = BrStats.NODES.objectNode();
        report.put("version", VERSION);
        report.set("run", run(s));
        report.set("scenario", BrScenario.of(s));
        ObjectNode results = report.putObject("results");
        results.set("request_performance", BrRequests.of(s));
        results.set("observability", BrObservability.of(s));
        BrStats.putIf(results, "component_health", BrObservability.componentHealth(s));
        return report;
    }

    /**
     * {@code run}: {@code uid} from summary.json's bytes (the same run keeps its id when exported again), {@code eid}
     * from the experiment (a sweep's folder and config: its points share it; a run alone has its own), the time of a
     * run on the wall clock (a predicted run has only its virtual duration), and the label llm-d's consumers show.
     */
    private static ObjectNode run(BrSource s) {
        ObjectNode run = BrStats.NODES.objectNode();
        run.put("uid", s.uid());
        BrExperiment e = s.experiment();
        // As llm-d names an archived run's experiment by its results folder: a sweep's config by its folder and label.
        String experiment = e.inSweep() ? e.id() : e.id() + "@" + s.uid();
        run.put("eid", UUID.nameUUIDFromBytes(experiment.getBytes(StandardCharsets.UTF_8)).toString());
        ObjectNode time = run.putObject("time");
        if (s.endedAt() != null) {
            time.put("start", s.startedAt().toString());
            time.put("end", s.endedAt().toString());
        }
        time.put("duration", Duration.ofNanos(Math.round(s.durationSeconds() * 1e9)).toString());
        String label = s.model() + " [" + e.id() + "]";
        run.put("description", s.source() == RunSource.PREDICTED ? label + " (predicted by headroom, not measured)"
                : s.source() == RunSource.SIMULATED ? label + " (headroom's simulator over HTTP)" : label);
        run.putArray("keywords").add(s.source().word());
        return run;
    }
}
