package dev.headroom.sweep;

import dev.headroom.results.ConfigRow;
import dev.headroom.results.ConfigsCsv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The server half of a sweep: for each server config, the planner's prediction, then the config run (a server
 * started for it and the load grid run against it, or the grid predicted on the virtual clock), and one row of
 * {@code configs.csv}. A config that fails never stops the sweep; on {@code --resume} a config whose points all
 * finished before is not started again.
 */
public final class ConfigSweep {

    /** How one planned config runs: a server started and loaded ({@link LaunchedConfig}), or predicted ({@link PredictedConfig}). */
    public interface ConfigRun {
        ConfigOutcome run(ServeVariant variant, PlanCheck plan) throws IOException, InterruptedException;

        /** What of {@code variant} its server receives: only that is planned and recorded. All of it by default. */
        default ServeVariant received(ServeVariant variant) {
            return variant;
        }

        /** Whether its server is vLLM (or the simulator of it), whose start-up the planner predicts. */
        default boolean servesVllm() {
            return true;
        }
    }

    /** Where outcomes are recorded, and which configs an earlier run of the sweep already finished. */
    public interface Ledger {
        /** True when every point of {@code variant} finished in an earlier run (then it is not started again). */
        boolean finished(ServeVariant variant);

        /** Records a config's outcome (configs.csv, sweep.json). */
        void record(ConfigOutcome outcome) throws IOException;
    }

    private final ConfigRun runner;
    private final SimSettings sim;
    private final String serverGpu;
    private final Ledger ledger;
    private final Consumer<String> progress;
    private final BooleanSupplier stopped;

    /**
     * @param sim      the GPU and vLLM release the planner predicts for (and the simulator serves)
     * @param progress receives one line per config (its outcome), e.g. the console
     * @param stopped  true once the sweep should start no further config (a signal came)
     */
    public ConfigSweep(ConfigRun runner, SimSettings sim, Ledger ledger, Consumer<String> progress, BooleanSupplier stopped) {
        this(runner, sim, null, ledger, progress, stopped);
    }

    /**
     * @param serverGpu what a server that is not vLLM runs on ({@code --server-gpu}), or null when not named; a vLLM
     *                  server is planned on {@code sim}'s GPU
     */
    public ConfigSweep(ConfigRun runner, SimSettings sim, String serverGpu, Ledger ledger, Consumer<String> progress,
                       BooleanSupplier stopped) {
        this.runner = runner;
        this.sim = sim;
        this.serverGpu = serverGpu;
        this.ledger = ledger;
        this.progress = progress;
        this.stopped = stopped;
    }

    /** Servers started by {@code launcher}, logs under {@code sweepDir/servers/}, each outcome appended to its configs.csv. */
    public static ConfigSweep launching(ServerLauncher launcher, SimSettings sim, LoadGridOnServer loadGrid, Path sweepDir,
                                        Consumer<String> progress) {
        Ledger csvOnly = new Ledger() {
            public boolean finished(ServeVariant variant) {
                return false;
            }

            public void record(ConfigOutcome outcome) throws IOException {
                ConfigsCsv.append(sweepDir.resolve("configs.csv"), ConfigRow.of(outcome.toMap()));
            }
        };
        return new ConfigSweep(new LaunchedConfig(launcher, loadGrid, sweepDir), sim, csvOnly, progress, () -> false);
    }

    /** Runs every config in order; returns the outcomes of those that ran now, each already recorded. */
    public List<ConfigOutcome> run(List<ServeVariant> variants) throws IOException, InterruptedException {
        List<ConfigOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < variants.size() && !stopped.getAsBoolean(); i++) {
            ServeVariant variant = variants.get(i);
            if (ledger.finished(variant)) {
                progress.accept("config " + (i + 1) + "/" + variants.size() + " " + variant.label()
                        + ": finished before; not started again");
                continue;
            }
            ConfigOutcome outcome = runner.run(variant, plan(variant));
            ledger.record(outcome);
            outcomes.add(outcome);
            progress.accept(line(i + 1, variants.size(), outcome));
        }
        return outcomes;
    }

    /**
     * The planner's check of what the config's server receives; no prediction for a server that is not vLLM, and no
     * recorded settings for a server that receives none of them (a command template without {@code {config}} runs
     * with its own settings).
     */
    private PlanCheck plan(ServeVariant variant) {
        ServeVariant received = runner.received(variant);
        if (received.values().isEmpty() && !variant.values().isEmpty()) return PlanCheck.none();
        return runner.servesVllm() ? PlanCheck.of(received, sim) : PlanCheck.unpredicted(received, serverGpu);
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
