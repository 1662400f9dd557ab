package dev.headroom.sweep;

import dev.headroom.sweep.ConfigOutcome.Status;
import dev.headroom.sweep.Launch.StartFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A config run by starting its server: launched (log in {@code servers/<label>/server.log}), the load grid run
 * against it, stopped by its own pid, and classified: ran, failed to start, or died under load.
 */
public final class LaunchedConfig implements ConfigSweep.ConfigRun {

    private final ServerLauncher launcher;
    private final LoadGridOnServer loadGrid;
    private final Path sweepDir;

    public LaunchedConfig(ServerLauncher launcher, LoadGridOnServer loadGrid, Path sweepDir) {
        this.launcher = launcher;
        this.loadGrid = loadGrid;
        this.sweepDir = sweepDir;
    }

    @Override
    public ServeVariant received(ServeVariant variant) {
        return launcher.received(variant);
    }

    @Override
    public boolean servesVllm() {
        return launcher.servesVllm();
    }

    @Override
    public ConfigOutcome run(ServeVariant variant, PlanCheck plan) throws IOException, InterruptedException {
        Launch launch = launcher.start(variant, sweepDir.resolve("servers").resolve(variant.label()));
        return switch (launch) {
            case Launch.FailedToStart f ->
                    new ConfigOutcome(variant.label(), plan, Status.FAILED_TO_START, f.cause(), f.message(), null, null,
                            f.command());
            case Launch.Running r -> underLoad(variant, plan, r.server());
        };
    }

    private ConfigOutcome underLoad(ServeVariant variant, PlanCheck plan, ServerHandle server)
            throws IOException, InterruptedException {
        try (server) {
            Long kv = server.startupFigures().kvCacheTokensOrNull();
            Double conc = server.startupFigures().maxConcurrencyOrNull();
            boolean survived;
            try {
                survived = loadGrid.run(variant, plan, server) && server.alive();
            } catch (IOException e) {
                if (server.alive()) throw e;
                survived = false;
            }
            if (survived) return new ConfigOutcome(variant.label(), plan, Status.RAN, null, null, kv, conc, server.command());
            StartupClassifier.Finding why = whyItDied(LogFile.lines(server.log()));
            return new ConfigOutcome(variant.label(), plan, Status.DIED_UNDER_LOAD, why.cause(), why.message(), kv, conc,
                    server.command());
        }
    }

    /** Out of memory when the log says so; otherwise the server's last words (config errors cannot strike mid-run). */
    static StartupClassifier.Finding whyItDied(List<String> lines) {
        return StartupClassifier.classify(lines).filter(f -> f.cause() == StartFailure.OUT_OF_MEMORY)
                .orElseGet(() -> new StartupClassifier.Finding(StartFailure.EXITED,
                        StartupClassifier.lastWords(lines).orElse("the server stopped answering")));
    }
}
