package dev.headroom.fleet;

import dev.headroom.spec.GpuSpec;
import dev.headroom.sweep.ConfigOutcome;
import dev.headroom.sweep.GridPoint;
import dev.headroom.sweep.GridSpec;
import dev.headroom.sweep.LoadGrid;
import dev.headroom.sweep.PlanCheck;
import dev.headroom.sweep.PointStatus;
import dev.headroom.sweep.ServeVariant;
import dev.headroom.sweep.SimSettings;
import dev.headroom.sweep.SweepFolder;
import dev.headroom.sweep.SweepLedger;
import dev.headroom.sweep.SweepOutcome;
import dev.headroom.sweep.SweepProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The coordinator of a fleet study: every server config on every GPU class, up to {@code --parallel} at once, each
 * a {@link UnitRun}; one sweep folder per class ({@code <study>/<class>/}), laid out as a local sweep of those
 * configs on that GPU, so analyze, report and playbook read it unchanged. A config that fails is a configs.csv row
 * and the study goes on; a stopped study leaves its running objects for {@code --resume} (or {@code --clean}).
 */
public final class FleetStudy {

    /** How one GPU class's sweep turned out. */
    public record ClassOutcome(GpuPool pool, Path dir, SweepOutcome outcome) {}

    private final FleetSpec spec;
    private final Cluster cluster;
    private final Manifests manifests;
    private final GridSpec grid;
    private final List<String> loadArgs;
    private final PrintWriter err;
    private final BooleanSupplier stopped;

    /**
     * @param loadArgs the grid's options as the load Job passes them to {@code headroom sweep}
     * @param stopped  true once the study should start nothing more (a signal came)
     */
    public FleetStudy(FleetSpec spec, Cluster cluster, GridSpec grid, List<String> loadArgs, PrintWriter err,
                      BooleanSupplier stopped) {
        this.spec = spec;
        this.cluster = cluster;
        this.manifests = new Manifests(spec);
        this.grid = grid;
        this.loadArgs = List.copyOf(loadArgs);
        this.err = err;
        this.stopped = stopped;
    }

    /** The units of a study: each config on each class, class by class. */
    public static List<Unit> units(FleetSpec spec, List<ServeVariant> variants) {
        List<Unit> units = new ArrayList<>();
        for (GpuPool pool : spec.pools()) {
            for (int i = 0; i < variants.size(); i++) units.add(new Unit(spec.study(), pool, i, variants.get(i)));
        }
        return units;
    }

    /**
     * Runs the study into {@code dir}.
     *
     * @param inputs what sweep.json records as the inputs (each class adds its GPU and node label)
     * @param sim    the vLLM release, calibration and default model the planner uses (its GPU is each class's)
     */
    public List<ClassOutcome> run(List<ServeVariant> variants, Path dir, String command, Map<String, Object> inputs,
                                  boolean resume, SimSettings sim) throws IOException, InterruptedException {
        Map<GpuPool, ClassSweep> sweeps = new LinkedHashMap<>();
        try {
            for (GpuPool pool : spec.pools()) sweeps.put(pool, open(pool, variants.size(), dir, command, inputs, resume, sim));
            boolean complete = runUnits(units(spec, variants), sweeps);
            List<ClassOutcome> outcomes = new ArrayList<>();
            for (ClassSweep s : sweeps.values()) {
                outcomes.add(new ClassOutcome(s.pool(), s.folder().root(), s.folder().finish(!complete)));
            }
            if (!complete) {
                progress("stopped; the running configs' objects stay in namespace " + spec.namespace() + ": --resume "
                        + "continues the study, --clean " + spec.study() + " deletes them");
            }
            return outcomes;
        } finally {
            for (ClassSweep s : sweeps.values()) s.folder().close();
        }
    }

    private ClassSweep open(GpuPool pool, int configs, Path dir, String command, Map<String, Object> inputs,
                            boolean resume, SimSettings sim) throws IOException {
        Map<String, Object> classInputs = new LinkedHashMap<>(inputs);
        classInputs.put("gpu", pool.name());
        classInputs.put("server", spec.server().name().toLowerCase(Locale.ROOT));
        Map<String, Object> kubernetes = new LinkedHashMap<>();
        kubernetes.put("namespace", spec.namespace());
        kubernetes.put("study", spec.study());
        kubernetes.put("node_selector", pool.labelKey() + "=" + pool.labelValue());
        kubernetes.put("server_image", spec.serverImage());
        classInputs.put("kubernetes", kubernetes);
        SweepFolder folder = SweepFolder.open(dir.resolve(pool.name()), command, classInputs, resume);
        SweepLedger ledger = new SweepLedger(folder, grid, new SweepProgress(err, grid, configs));
        return new ClassSweep(pool, folder, ledger,
                new SimSettings(GpuSpec.of(pool.gpu()), sim.version(), sim.calibration(), sim.defaultModel()));
    }

    /**
     * Runs every unit, {@code --parallel} at once, and records each in the order of the configs (so the folder reads
     * as a local sweep's whatever finished first); false when the study was stopped before all ended.
     */
    private boolean runUnits(List<Unit> units, Map<GpuPool, ClassSweep> sweeps) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(spec.parallel());
        try {
            Map<Unit, Future<UnitRun.Result>> running = new LinkedHashMap<>();
            for (Unit u : units) {
                ClassSweep sweep = sweeps.get(u.pool());
                if (sweep.ledger().finished(u.variant())) {
                    cluster.delete(Labels.of(u));
                    progress(u.describe() + ": finished before; not started again");
                    continue;
                }
                running.put(u, pool.submit(() -> stopped() ? null
                        : new UnitRun(u, this, sweep.folder().root()).run(PlanCheck.of(u.variant(), sweep.sim()))));
            }
            boolean complete = true;
            for (Map.Entry<Unit, Future<UnitRun.Result>> e : running.entrySet()) {
                UnitRun.Result result = result(e.getValue());
                if (result == null) {
                    complete = false;
                    continue;
                }
                record(e.getKey(), sweeps.get(e.getKey().pool()), result);
            }
            return complete;
        } finally {
            // A stopped coordinator leaves its objects (resume finds them); interrupting its waits is enough.
            pool.shutdownNow();
        }
    }

    /** A unit's result; null when the study was stopped before it ended. */
    private static UnitRun.Result result(Future<UnitRun.Result> f) throws IOException, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnitRun.Stopped) return null;
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof InterruptedException i) throw i;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IOException(e.getCause());
        }
    }

    /**
     * Folds a unit's records into its class's folder and records its config; records that could not be read make
     * every point of the config {@code tool_error} with the cause (the load is headroom's, never the server's failure).
     */
    private void record(Unit unit, ClassSweep sweep, UnitRun.Result result) throws IOException {
        String config = unit.variant().label();
        Map<String, Object> columns = LoadGrid.configColumns(result.outcome().plan().serverValues());
        if (result.records() != null) {
            try {
                StudyMerge.merge(result.records(), sweep.folder(), grid, config, columns);
            } finally {
                deleteTree(result.records());
            }
        } else if (result.recordsError() != null) {
            for (GridPoint p : grid.points(config)) {
                sweep.folder().record(p, columns, false, PointStatus.TOOL_ERROR, null, result.recordsError());
            }
            progress("headroom failed to bring back the records of " + unit.describe() + ": " + result.recordsError());
        }
        sweep.ledger().record(result.outcome());
        progress(line(unit, result.outcome()));
    }

    /** {@code max_num_seqs=64 on t4: failed_to_start (unschedulable): <message>}. */
    static String line(Unit unit, ConfigOutcome o) {
        StringBuilder s = new StringBuilder(unit.describe() + ": " + o.status().csv());
        if (o.failure() != null) s.append(" (").append(o.failure().name().toLowerCase(Locale.ROOT)).append(")");
        if (o.message() != null) s.append(": ").append(o.message());
        return s.toString();
    }

    void progress(String line) {
        synchronized (err) {
            err.println("headroom: " + line);
            err.flush();
        }
    }

    FleetSpec spec() {
        return spec;
    }

    Cluster cluster() {
        return cluster;
    }

    Manifests manifests() {
        return manifests;
    }

    GridSpec grid() {
        return grid;
    }

    List<String> loadArgs() {
        return loadArgs;
    }

    boolean stopped() {
        return stopped.getAsBoolean() || Thread.currentThread().isInterrupted();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
