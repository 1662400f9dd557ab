package dev.headroom.sweep;

import dev.headroom.load.Endpoint;
import dev.headroom.pipeline.EmbeddedSimulator;
import dev.headroom.pipeline.PointError;
import dev.headroom.pipeline.PointTarget;
import dev.headroom.pipeline.SimulatedSetup;
import dev.headroom.plan.MemoryPlan;
import dev.headroom.plan.Planner;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.server.SimLauncher;
import dev.headroom.server.SimServer;
import dev.headroom.sweep.ConfigOutcome.Status;
import dev.headroom.sweep.Launch.StartFailure;
import dev.headroom.spec.ServingSetup;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * A sweep without server configs: one config labelled {@code default} — the embedded simulator (started once for
 * the whole sweep, its log in {@code servers/default/server.log}), a server at {@code --url}, or the simulated
 * engine on a virtual clock ({@code --offline}).
 */
public final class DefaultTarget {

    /** The config label of a sweep without server configs. */
    public static final String LABEL = "default";

    private DefaultTarget() {}

    /**
     * The grid predicted on the virtual clock; vLLM's refusal of the setup is a {@link PointError}.
     *
     * @param model the model as the sweep names it (capacity.csv's and configs.csv's {@code model})
     */
    public static boolean offline(LoadGrid grid, SweepFolder folder, ServingSetup setup, String model,
                                  RooflineCalibration calibration) throws IOException {
        refuseWhatVllmWouldNot(setup);
        PlanCheck plan = PlanCheck.of(setup, model);
        grid.runOn(LABEL, LoadGrid.configColumns(plan.serverValues()),
                new PointTarget.Predicted(setup, calibration, SimulatedSetup.describe(setup, "offline simulation")), () -> true);
        folder.recordConfig(new ConfigOutcome(LABEL, plan, Status.RAN, null, null, null, null));
        return true;
    }

    /**
     * The grid measured against the embedded simulator for {@code setup}, started once; it reports its KV cache
     * figures in its log as vLLM does.
     *
     * @param servedModel the name it serves under, or null for the playbook's chat model
     */
    public static boolean embedded(LoadGrid grid, SweepFolder folder, ServingSetup setup, String servedModel,
                                   RooflineCalibration calibration) throws IOException {
        refuseWhatVllmWouldNot(setup);
        Path log = folder.root().resolve("servers").resolve(LABEL).resolve("server.log");
        Files.createDirectories(log.getParent());
        PlanCheck plan = PlanCheck.of(setup, servedModel != null ? servedModel : SimLauncher.DEFAULT_MODEL);
        PrintStream out = new PrintStream(Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                true, StandardCharsets.UTF_8);
        SimServer sim;
        try {
            sim = EmbeddedSimulator.start(setup, servedModel, calibration, out);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
        VllmStartupLog figures = VllmStartupLog.parse(LogFile.lines(log), setup.serve().blockSize());
        try (ServerHandle server = new EmbeddedServer(sim, out, log, figures, SimulatedSetup.describe(setup, "embedded simulator"))) {
            return runDefault(grid, folder, plan, server);
        }
    }

    /**
     * The grid measured against the server at {@code url}: nothing is planned or reported for it.
     *
     * @param gpuId the GPU the server runs on as the user named it ({@code --server-gpu}), or null when not given
     */
    public static boolean url(LoadGrid grid, SweepFolder folder, String url, String gpuId) throws IOException {
        return runDefault(grid, folder, gpuId == null ? PlanCheck.none() : PlanCheck.onGpu(gpuId), new AtUrl(url));
    }

    /** Fails with a {@link PointError} when nothing answers HTTP at {@code url}; call it before creating any file. */
    public static void requireReachable(String url) {
        Endpoint.parse(url);
        if (!new AtUrl(url).alive()) throw new PointError(PointError.Kind.UNREACHABLE, "cannot reach " + url);
    }

    private static boolean runDefault(LoadGrid grid, SweepFolder folder, PlanCheck plan, ServerHandle server)
            throws IOException {
        boolean alive = grid.runOn(LABEL, LoadGrid.configColumns(plan.serverValues()), server);
        VllmStartupLog logged = server.startupFigures();
        Status status = alive ? Status.RAN : Status.DIED_UNDER_LOAD;
        String why = alive ? null : "the server stopped answering";
        folder.recordConfig(new ConfigOutcome(LABEL, plan, status, alive ? null : StartFailure.EXITED, why,
                logged.kvCacheTokensOrNull(), logged.maxConcurrencyOrNull()));
        return alive;
    }

    private static void refuseWhatVllmWouldNot(ServingSetup setup) {
        MemoryPlan plan = Planner.plan(setup);
        if (!plan.fits()) throw new PointError(PointError.Kind.REFUSED, "vLLM would not start this setup: " + plan.error());
    }

    /** A server at a URL that headroom did not start: alive while it answers HTTP at all. */
    private record AtUrl(String baseUrl) implements ServerHandle {
        private static final Duration TIMEOUT = Duration.ofSeconds(3);

        public Path log() {
            return null;
        }

        public boolean alive() {
            String base = baseUrl.replaceAll("/+$", "").replaceAll("/v1$", "");
            HttpRequest health = HttpRequest.newBuilder(URI.create(base + "/health")).timeout(TIMEOUT).GET().build();
            try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
                client.send(health, HttpResponse.BodyHandlers.discarding());
                return true;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }

        public void close() {
            // headroom did not start it, so it does not stop it.
        }
    }
}
