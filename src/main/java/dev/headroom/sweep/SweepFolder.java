package dev.headroom.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.pipeline.RunPoint;
import dev.headroom.pipeline.SignalStop;
import dev.headroom.results.ToolVersion;
import dev.headroom.results.CapacityCsv;
import dev.headroom.results.ConfigRow;
import dev.headroom.results.ConfigsCsv;
import dev.headroom.results.Point;
import dev.headroom.results.ServedConfig;
import dev.headroom.results.SweepJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sweep's folder (docs/formats.md): capacity.csv, configs.csv, sweep.json and {@code points/<config>/<point>/}.
 * A point is finished when its folder holds a summary.json from a load that was not cut short by a signal and
 * during which the server did not die; {@code --resume} keeps finished points (their rows and entries) and runs
 * the rest again, and refuses to continue a sweep whose recorded inputs differ from this command's.
 */
public final class SweepFolder implements AutoCloseable {

    /** summary.json's {@code stopped_early} of a point cut short by Ctrl-C: such a point runs again on resume. */
    static final String INTERRUPTED = SignalStop.REASON;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final CapacityCsv csv;
    private final SweepJson json;
    private final Set<String> diedBefore;

    private SweepFolder(Path root, CapacityCsv csv, SweepJson json, Set<String> diedBefore) {
        this.root = root;
        this.csv = csv;
        this.json = json;
        this.diedBefore = diedBefore;
    }

    /**
     * Opens {@code root} for a new sweep, or to continue one with {@code resume}: then inputs that differ from those
     * sweep.json recorded are bad input, one line naming each difference.
     */
    public static SweepFolder open(Path root, String command, Map<String, Object> inputs, boolean resume) throws IOException {
        Files.createDirectories(root);
        Path capacity = root.resolve("capacity.csv");
        Path sweep = root.resolve("sweep.json");
        if (!resume && (Files.exists(capacity) || Files.exists(sweep))) {
            throw new IllegalArgumentException("--out " + root + " already holds a sweep; add --resume to continue it, "
                    + "or choose another --out");
        }
        if (resume && Files.isRegularFile(sweep)) {
            String difference = SweepJson.difference(SweepJson.read(sweep), command, inputs);
            if (difference != null) {
                throw new IllegalArgumentException("--resume: the sweep in " + root + " ran with other inputs ("
                        + difference + "); give the same options to continue it, or choose another --out");
            }
        }
        // A point the server died under holds the failures of a dying server, not a measurement: run it again.
        Set<String> died = ConcurrentHashMap.newKeySet();
        if (resume) died.addAll(SweepJson.pointDirs(sweep, PointStatus.SERVER_DIED.label()));
        // Nor is a point headroom itself failed on, whatever it left on disk.
        if (resume) died.addAll(SweepJson.pointDirs(sweep, PointStatus.TOOL_ERROR.label()));
        SweepFolder probe = new SweepFolder(root, null, null, died);
        CapacityCsv csv = resume ? CapacityCsv.resume(capacity, root, probe::finished) : CapacityCsv.create(capacity, root);
        SweepJson json = resume ? SweepJson.resume(sweep, command, ToolVersion.version(), inputs, probe::finished)
                : SweepJson.create(sweep, command, ToolVersion.version(), inputs);
        return new SweepFolder(root, csv, json, died);
    }

    public Path root() {
        return root;
    }

    /** sweep.json. */
    public SweepJson sweepJson() {
        return json;
    }

    /**
     * Ends the sweep: how it turned out over every point and config sweep.json recorded (kept ones of a resumed sweep
     * included), stamped into sweep.json as its {@code outcome}.
     */
    public SweepOutcome finish(boolean interrupted) throws IOException {
        SweepOutcome outcome = SweepOutcome.of(json.points(), json.configs(), interrupted);
        json.finish(outcome.toMap());
        return outcome;
    }

    /** The folder of a point. */
    public Path pointDir(GridPoint p) {
        return root.resolve(p.dir());
    }

    /** Whether the point folder {@code dir} (relative to the sweep) holds a finished point. */
    boolean finished(String dir) {
        if (diedBefore.contains(dir)) return false;
        Path summary = root.resolve(dir).resolve("summary.json");
        if (!Files.isRegularFile(summary)) return false;
        try {
            return !INTERRUPTED.equals(read(summary).get("stopped_early"));
        } catch (IOException unreadable) {
            return false;
        }
    }

    /** A finished point's summary.json. */
    Map<String, Object> summary(GridPoint p) throws IOException {
        return read(pointDir(p).resolve("summary.json"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path summaryJson) throws IOException {
        return JSON.readValue(summaryJson.toFile(), Map.class);
    }

    /**
     * Records a point in capacity.csv (appended and flushed) and sweep.json.
     *
     * @param configColumns the server config under vLLM's names (capacity.csv part 2)
     * @param summary       its summary.json, or null when it did not run
     * @param error         why it failed, or null
     */
    public void record(GridPoint p, Map<String, Object> configColumns, boolean predicted, PointStatus status,
                Map<String, Object> summary, String error) throws IOException {
        Map<String, Object> identity = p.identity(predicted, status);
        // A server at --url has no config headroom knows; the model it served is still known from the run.
        ServedConfig served = ServedConfig.of(configColumns)
                .orModel(summary == null || summary.get("model_id") == null ? null : String.valueOf(summary.get("model_id")));
        csv.append(point(p, predicted, status, served, summary, error));
        json.putPoint(identity, summary, error);
        diedBefore.remove(p.dir());
    }

    private Point point(GridPoint p, boolean predicted, PointStatus status, ServedConfig served,
                        Map<String, Object> summary, String error) {
        Map<String, Number> values = new LinkedHashMap<>();
        if (summary != null) {
            for (String k : CapacityCsv.SUMMARY) if (summary.get(k) instanceof Number n) values.put(k, n);
        }
        boolean clientLimited = summary != null && Boolean.TRUE.equals(summary.get("client_limited"));
        boolean delivered = summary == null || !Boolean.FALSE.equals(summary.get("valid"));
        return new Point(p.config(), p.workload(), predicted, p.point().concurrencyOrNull(), p.point().rateOrNull(),
                p.repeat(), status.label(), pointDir(p), served, values, clientLimited, delivered, null, error, p.dir());
    }

    /** {@code configs.csv} in the sweep folder. */
    public Path configsCsv() {
        return root.resolve("configs.csv");
    }

    /**
     * Records how a server config turned out: its row of configs.csv (replacing an earlier one) and sweep.json's entry;
     * then its points' benchmark_report.json, now that its points are done and sweep.json names the config's server.
     */
    public void recordConfig(ConfigOutcome outcome) throws IOException {
        ConfigRow row = ConfigRow.of(outcome.toMap());
        ConfigsCsv.append(configsCsv(), row);
        json.putConfig(row);
        for (Map<String, Object> p : json.points()) {
            Path dir = root.resolve(String.valueOf(p.get("dir")));
            if (outcome.config().equals(p.get("config")) && Files.isDirectory(dir)) RunPoint.writeReports(dir);
        }
    }

    /** On resume: whether every point of a config finished before, or was skipped by an early stop of its ramp. */
    boolean allFinished(List<GridPoint> points) {
        return points.stream().allMatch(p -> finished(p.dir()) || json.skippedByEarlyStop(p.dir()));
    }

    /** A config's ramps run again: the early stops recorded for it go. */
    void clearEarlyStops(String config) throws IOException {
        json.clearEarlyStops(config);
    }

    /** On resume: the row of a finished point that capacity.csv lacks (the sweep stopped between its files). */
    void recordIfMissing(GridPoint p, Map<String, Object> configColumns, Map<String, Object> summary,
                         PointStatus status) throws IOException {
        if (csv.has(p.dir())) return;
        boolean predicted = Boolean.TRUE.equals(summary.get("predicted"));
        record(p, configColumns, predicted, status, summary, null);
    }

    /** Records that a ramp stopped early. */
    public void earlyStop(String config, String workload, String reason, List<String> skipped) throws IOException {
        json.addEarlyStop(config, workload, reason, skipped);
    }

    @Override
    public void close() throws IOException {
        csv.close();
    }
}
