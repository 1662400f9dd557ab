package dev.headroom.cli;

import dev.headroom.plan.RooflineCalibration;
import dev.headroom.server.SimLauncher;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.VllmVersion;
import dev.headroom.sweep.Launch;
import dev.headroom.sweep.ServeGrid;
import dev.headroom.sweep.ServeVariant;
import dev.headroom.sweep.ServerHandle;
import dev.headroom.sweep.ServerLaunchers;
import dev.headroom.sweep.SimSettings;
import dev.headroom.sweep.SingleServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code headroom serve FILE.yaml}: one real server from a vLLM {@code --config} YAML, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start one server from a vLLM --config YAML, wait until it is healthy, keep its log, print its URL.",
                "Ctrl-C stops it (by its own process id). Recipes to start from: configs/vllm/*.yaml."})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.yaml", description = "vLLM --config YAML (keys with _ or -).")
    Path config;

    @Option(names = "--server", paramLabel = "KIND|COMMAND", defaultValue = "vllm",
            description = "vllm, llama-server, sglang, sim (the embedded simulator), or a command with {config} and "
                    + "{port}, e.g. './headroom sim --config {config} --port {port}' (default ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--dry-run", description = "Print the exact command and exit without starting anything.")
    boolean dryRun;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "Where server.log goes (default: this folder).")
    Path out;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0", description = "Port on 127.0.0.1 (default: a free one).")
    int port;

    @Option(names = "--startup-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "How long to wait for /health (default 10m).")
    Duration startupTimeout;

    @Option(names = "--gpu", paramLabel = "GPU", defaultValue = "t4", description = "GPU the simulator models (--server sim; default ${DEFAULT-VALUE}).")
    String gpu;

    @Option(names = "--vllm-version", paramLabel = "VERSION", defaultValue = "0.11.0",
            description = "vLLM release the simulator imitates (--server sim; default ${DEFAULT-VALUE}).")
    String vllmVersion;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) throw new Errors.UserError("--port: " + port + " is not a port; use 1-65535 or 0 for a free one");
        SimSettings sim = new SimSettings(GpuSpec.of(Gpu.parse(gpu)), VllmVersion.parse(vllmVersion),
                RooflineCalibration.DEFAULTS, SimLauncher.DEFAULT_MODEL);
        SingleServer single = new SingleServer(server, sim, startupTimeout);
        ServeVariant variant = ServeGrid.single(config);
        PrintWriter console = spec.commandLine().getOut();
        if (dryRun) {
            console.println(single.command(variant, out, port));
            return 0;
        }
        ServerLaunchers.requireProgram(server);
        console.println("starting " + variant.label() + " (" + server + "); log: " + out.resolve("server.log"));
        console.flush();
        return switch (single.start(variant, out, port)) {
            case Launch.FailedToStart f -> {
                spec.commandLine().getErr().println("headroom: the server failed to start ("
                        + f.cause().name().toLowerCase(Locale.ROOT) + "): " + f.message() + " (log: " + f.log() + ")");
                yield Errors.FAILURE;
            }
            case Launch.Running r -> serveUntilStopped(r.server(), console);
        };
    }

    private int serveUntilStopped(ServerHandle running, PrintWriter console) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }));
        console.println("serving at " + running.baseUrl() + "/v1 (health: " + running.baseUrl() + "/health)"
                + kvLine(running) + "; Ctrl-C stops it");
        console.flush();
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            if (!running.alive()) {
                running.close(); // what it forked goes with it
                spec.commandLine().getErr().println("headroom: the server exited; see " + running.log());
                return Errors.FAILURE;
            }
        }
        return 0;
    }

    private static String kvLine(ServerHandle s) {
        if (s.reportedKvCacheTokens().isEmpty()) return "";
        return String.format(Locale.US, "; GPU KV cache size: %,d tokens", s.reportedKvCacheTokens().getAsLong())
                + (s.reportedMaxConcurrency().isPresent()
                        ? String.format(Locale.US, ", maximum concurrency %.2fx", s.reportedMaxConcurrency().getAsDouble()) : "");
    }
}
