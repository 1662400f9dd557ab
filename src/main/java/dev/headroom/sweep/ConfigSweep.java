package dev.headroom.sweep;

import dev.headroom.sweep.ConfigOutcome.Status;
import dev.headroom.sweep.Launch.StartFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The server half of a sweep: for each server config, the planner's prediction, a server started for it, the load
 * grid run against it, the server stopped, and one row of {@code configs.csv}. A config that fails never stops
 * the sweep. Server logs go to {@code servers/<label>/server.log} under the sweep folder.
 */
public final class ConfigSweep {

    private final ServerLauncher launcher;
    private final SimSettings sim;
    private final LoadGridOnServer loadGrid;
    private final Path sweepDir;
    private final Consumer<String> progress;

    /**
     * @param sim      the GPU and vLLM release the planner predicts for (and the simulator serves)
     * @param progress receives one line per config (its outcome), e.g. the console
     */
    public ConfigSweep(ServerLauncher launcher, SimSettings sim, LoadGridOnServer loadGrid, Path sweepDir,
                       Consumer<String> progress) {
        this.launcher = launcher;
        this.sim = sim;
        this.loadGrid = loadGrid;
        this.sweepDir = sweepDir;
        this.progress = progress;
    }

    /** {@code configs.csv} in the sweep folder. */
    public Path configsCsv() {
        return sweepDir.resolve("configs.csv");
    }

    /** The folder of a config's server (its log, its config file). */
    public Path serverDir(ServeVariant variant) {
        return sweepDir.resolve("servers").resolve(variant.label());
    }

    /** Runs every config in order; returns their outcomes, each already appended to {@code configs.csv}. */
    public List<ConfigOutcome> run(List<ServeVariant> variants) throws IOException, InterruptedException {
        List<ConfigOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            ServeVariant variant = variants.get(i);
            ConfigOutcome outcome = runOne(variant);
            ConfigsCsv.append(configsCsv(), outcome);
            outcomes.add(outcome);
            progress.accept(line(i + 1, variants.size(), outcome));
        }
        return outcomes;
    }

    /** One config: plan, start, load, stop, classify. */
    public ConfigOutcome runOne(ServeVariant variant) throws IOException, InterruptedException {
        PlanCheck plan = PlanCheck.of(variant, sim);
        Launch launch = launcher.start(variant, serverDir(variant));
        return switch (launch) {
            case Launch.FailedToStart f ->
                    new ConfigOutcome(variant.label(), plan, Status.FAILED_TO_START, f.cause(), f.message(), null, null);
            case Launch.Running r -> underLoad(variant, plan, r.server());
        };
    }

    private ConfigOutcome underLoad(ServeVariant variant, PlanCheck plan, ServerHandle server)
            throws IOException, InterruptedException {
        try (server) {
            Long kv = server.reportedKvCacheTokens().isPresent() ? server.reportedKvCacheTokens().getAsLong() : null;
            Double conc = server.reportedMaxConcurrency().isPresent() ? server.reportedMaxConcurrency().getAsDouble() : null;
            boolean survived;
            try {
                survived = loadGrid.run(variant, server) && server.alive();
            } catch (IOException e) {
                if (server.alive()) throw e;
                survived = false;
            }
            if (survived) return new ConfigOutcome(variant.label(), plan, Status.RAN, null, null, kv, conc);
            StartupClassifier.Finding why = whyItDied(LogFile.lines(server.log()));
            return new ConfigOutcome(variant.label(), plan, Status.DIED_UNDER_LOAD, why.cause(), why.message(), kv, conc);
        }
    }

    /** Out of memory when the log says so; otherwise the server's last words (config errors cannot strike mid-run). */
    static StartupClassifier.Finding whyItDied(List<String> lines) {
        return StartupClassifier.classify(lines).filter(f -> f.cause() == StartFailure.OUT_OF_MEMORY)
                .orElseGet(() -> new StartupClassifier.Finding(StartFailure.EXITED,
                        StartupClassifier.lastWords(lines).orElse("the server stopped answering")));
    }

    /** {@code config 2/4 max_num_seqs=128: failed_to_start (out_of_memory): <message>; planner: <prediction>}. */
    static String line(int n, int total, ConfigOutcome o) {
        StringBuilder s = new StringBuilder("config " + n + "/" + total + " " + o.config() + ": " + o.status().csv());
        if (o.failure() != null) s.append(" (").append(o.failure().name().toLowerCase(Locale.ROOT)).append(")");
        if (o.message() != null) s.append(": ").append(o.message());
        PlanCheck p = o.plan();
        if (p.starts() == null) {
            s.append("; planner: no prediction");
        } else if (p.starts()) {
            s.append(String.format(Locale.US, "; planner: starts, %,d KV tokens, max concurrency %.2fx",
                    p.kvCacheTokens(), p.maxConcurrency()));
        } else {
            s.append("; planner: refuses: ").append(p.error());
        }
        String d = o.disagreement();
        if (d != null) s.append(" [DISAGREES: ").append(d).append("]");
        return s.toString();
    }
}
