package dev.headroom.sweep;

import dev.headroom.pipeline.SimulatedSetup;
import dev.headroom.server.SimLauncher;
import dev.headroom.server.SimServer;
import dev.headroom.spec.ServingSetup;
import dev.headroom.sweep.Launch.StartFailure;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the embedded simulator in this process for each variant: the variant's values as vLLM flags on the
 * sweep's simulated GPU and vLLM release. It logs vLLM's lines to {@code server.log}; a setup vLLM would refuse
 * fails to start with vLLM's message quoted from that log.
 */
public final class SimServerLauncher implements ServerLauncher {

    private final SimSettings sim;

    public SimServerLauncher(SimSettings sim) {
        this.sim = sim;
    }

    @Override
    public Launch start(ServeVariant variant, Path dir) throws IOException {
        return start(variant, dir, 0);
    }

    /** Like {@link #start(ServeVariant, Path)} on {@code port} of 127.0.0.1 (0: a free one). */
    public Launch start(ServeVariant variant, Path dir, int port) throws IOException {
        Files.createDirectories(dir);
        Path logFile = dir.resolve("server.log");
        PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile()), true, StandardCharsets.UTF_8);
        ServingSetup setup;
        try {
            setup = setup(variant);
        } catch (IllegalArgumentException bad) {
            // vLLM rejects a bad flag before it logs anything else; headroom's message names the key.
            log.println(bad.getMessage());
            log.close();
            return new Launch.FailedToStart(StartFailure.BAD_CONFIG, bad.getMessage(), logFile);
        }
        try {
            SimServer server = SimLauncher.start(setup, nonDefaultArgs(variant, model(variant)),
                    new SimLauncher.Listen("127.0.0.1", port, model(variant), servedModelName(variant),
                            sim.calibration(), log, SimLauncher.VLLM_LOG_INTERVAL));
            VllmStartupLog figures = VllmStartupLog.parse(LogFile.lines(logFile), setup.serve().blockSize());
            return new Launch.Running(new EmbeddedServer(server, log, logFile, figures,
                    SimulatedSetup.describe(setup, "simulator started by sweep")));
        } catch (SimLauncher.StartupFailure refused) {
            log.close();
            List<String> lines = LogFile.lines(logFile);
            return StartupClassifier.classify(lines)
                    .map(f -> new Launch.FailedToStart(f.cause(), f.message(), logFile))
                    .orElseGet(() -> new Launch.FailedToStart(StartFailure.EXITED, refused.getMessage(), logFile));
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /** The variant as a serving setup on the sweep's GPU and vLLM release. */
    private ServingSetup setup(ServeVariant variant) {
        return PlanCheck.setup(variant, sim, false);
    }

    private String model(ServeVariant variant) {
        Object model = variant.values().get("model");
        return model != null ? String.valueOf(model) : sim.defaultModel();
    }

    /** vLLM's {@code non-default args} line: the model first, then the variant's keys as given. */
    private static Map<String, Object> nonDefaultArgs(ServeVariant variant, String model) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("model", model);
        variant.values().forEach((k, v) -> {
            if (!k.equals("host") && !k.equals("port")) args.putIfAbsent(k, v);
        });
        return args;
    }

    private static String servedModelName(ServeVariant variant) {
        Object name = variant.values().get("served_model_name");
        if (name instanceof List<?> list) return list.isEmpty() ? null : String.valueOf(list.get(0));
        return name == null ? null : String.valueOf(name);
    }
}
