package dev.headroom.sweep;

import dev.headroom.pipeline.PointContext;
import dev.headroom.pipeline.PointError;
import dev.headroom.pipeline.PointResult;
import dev.headroom.pipeline.PointTarget;
import dev.headroom.pipeline.RunPoint;
import dev.headroom.pipeline.ToolError;
import dev.headroom.results.ServedConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The load half of a sweep: every point of the {@link GridSpec} against one server config, each through the
 * run-point pipeline into its own folder, recorded in capacity.csv and sweep.json as it ends. Finished points
 * (on {@code --resume}) are kept, not run; a failed point is recorded with its status and the grid goes on; a
 * workload's ramp stops early by {@link RampStop}'s rule; once the server is gone the rest are {@code server_died}.
 */
public final class LoadGrid implements LoadGridOnServer {

    /**
     * How the load client reaches a server a sweep started.
     *
     * @param servedModel the model name to send, or null for the first of {@code /v1/models}
     */
    public record Client(String servedModel, Map<String, String> headers, String apiKeyEnv) {
        public Client {
            headers = Map.copyOf(headers);
        }
    }

    private final GridSpec grid;
    private final SweepFolder folder;
    private final PointContext ctx;
    private final Client client;
    private final SweepProgress progress;

    /**
     * @param ctx the context every point runs in (its folder is replaced by each point's)
     */
    public LoadGrid(GridSpec grid, SweepFolder folder, PointContext ctx, Client client, SweepProgress progress) {
        this.grid = grid;
        this.folder = folder;
        this.ctx = ctx;
        this.client = client;
        this.progress = progress;
    }

    @Override
    public boolean run(ServeVariant variant, PlanCheck plan, ServerHandle server) throws IOException {
        return runOn(variant.label(), configColumns(plan.serverValues()), server);
    }

    /** Runs the grid against a running {@code server} under the config label {@code config}. */
    public boolean runOn(String config, Map<String, Object> configColumns, ServerHandle server) throws IOException {
        PointTarget.Measured target = new PointTarget.Measured(server.baseUrl(), client.servedModel(), client.headers(),
                client.apiKeyEnv(), server.simulatedTarget(), server.log());
        return runOn(config, configColumns, target, server::alive);
    }

    /** capacity.csv's server-config columns from a config's vLLM keys (absent keys stay empty). */
    public static Map<String, Object> configColumns(Map<String, Object> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : ServedConfig.KEYS) m.put(k, values.get(k));
        return m;
    }

    /**
     * Runs the grid against {@code target} under the config label {@code config}.
     *
     * @param alive whether the server still answers (always true for a predicted target)
     * @return false when the server died under load
     */
    public boolean runOn(String config, Map<String, Object> configColumns, PointTarget target, BooleanSupplier alive)
            throws IOException {
        Run run = new Run(config, configColumns, target, alive);
        folder.clearEarlyStops(config);
        for (String workload : grid.workloads()) {
            List<GridPoint> points = grid.points(config).stream().filter(p -> p.workload().equals(workload)).toList();
            runRamp(run, workload, points);
            if (ctx.signal().signalled()) break;
        }
        return !run.dead;
    }

    /** One config's run: where it goes and whether its server is gone. */
    private static final class Run {
        final String config;
        final Map<String, Object> columns;
        final PointTarget target;
        final BooleanSupplier alive;
        boolean dead;

        Run(String config, Map<String, Object> columns, PointTarget target, BooleanSupplier alive) {
            this.config = config;
            this.columns = columns;
            this.target = target;
            this.alive = alive;
        }

        boolean predicted() {
            return target instanceof PointTarget.Predicted;
        }
    }

    private void runRamp(Run run, String workload, List<GridPoint> points) throws IOException {
        RampStop stop = grid.earlyStop() ? new RampStop(grid.sloFor(workload), grid.base().maxErrorRate()) : null;
        int levels = grid.levels().size();
        for (int level = 0; level < levels; level++) {
            int l = level;
            List<GridPoint> cell = points.stream().filter(p -> p.level() == l).toList();
            List<Map<String, Object>> summaries = new ArrayList<>();
            for (GridPoint p : cell) {
                if (ctx.signal().signalled()) return;
                summaries.add(runPoint(run, p));
            }
            if (stop == null || run.dead) continue;
            stop.levelDone(cell.get(0).label().replaceFirst(" repeat \\d+$", ""), summaries);
            if (stop.reason() != null) {
                stopRamp(run, workload, stop.reason(), points.stream().filter(p -> p.level() > l).toList());
                return;
            }
        }
    }

    private void stopRamp(Run run, String workload, String reason, List<GridPoint> rest) throws IOException {
        if (rest.isEmpty()) return;
        progress.note("stopped the " + workload + " ramp of " + run.config + " early: " + reason + "; skipping "
                + rest.size() + " point(s)");
        progress.skipped(rest, false);
        folder.earlyStop(run.config, workload, reason, rest.stream().map(GridPoint::dir).toList());
    }

    /** Runs (or, when finished before, reads) one point; returns its summary, or null when it did not run. */
    private Map<String, Object> runPoint(Run run, GridPoint p) throws IOException {
        if (folder.finished(p.dir())) {
            Map<String, Object> summary = folder.summary(p);
            folder.recordIfMissing(p, run.columns, summary, PointStatus.of(summary, grid.maxServerErrorRate()));
            progress.skipped(List.of(p), true);
            return summary;
        }
        long start = System.nanoTime();
        if (run.dead) {
            folder.record(p, run.columns, run.predicted(), PointStatus.SERVER_DIED, null, "the server was gone");
            progress.pointDone(p, PointStatus.SERVER_DIED, null, null, 0);
            return null;
        }
        Map<String, Object> summary = null;
        PointStatus status;
        String error = null;
        try {
            PointResult result = RunPoint.run(p.point(), run.target, ctx.in(folder.pointDir(p)));
            summary = result.summaryJson();
            status = PointStatus.of(summary, grid.maxServerErrorRate());
        } catch (PointError e) {
            error = e.getMessage();
            status = PointStatus.FAILED;
        } catch (IOException | RuntimeException e) {
            // headroom's own failure (its code or its files): never the server's, and the sweep goes on.
            error = ToolError.cause(e);
            status = PointStatus.TOOL_ERROR;
        }
        if (!run.predicted() && status != PointStatus.TOOL_ERROR && !run.alive.getAsBoolean()) {
            run.dead = true;
            status = PointStatus.SERVER_DIED;
            progress.note("the server of " + run.config + " is gone; the rest of its grid is recorded as server_died");
        }
        folder.record(p, run.columns, run.predicted(), status, summary, error);
        progress.pointDone(p, status, summary, error, System.nanoTime() - start);
        return summary;
    }
}
