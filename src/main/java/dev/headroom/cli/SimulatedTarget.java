package dev.headroom.cli;

import dev.headroom.pipeline.SimulatedSetup;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.server.SimLauncher;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What {@code run} simulates when it has no {@code --url} (the embedded server) or runs {@code --offline}: what
 * {@code vllm serve Qwen/Qwen2.5-1.5B-Instruct} runs on a 16 GB T4 — every serving flag the user leaves out takes
 * vLLM's own default for the release and GPU ({@link dev.headroom.spec.ServeConfig#resolve}), never a recipe's.
 */
public final class SimulatedTarget {

    /** The model simulated when the user names none; no serving flag, so vLLM's defaults resolve the rest. */
    static final ServeFlags DEFAULT_MODEL = new ServeFlags(SimLauncher.DEFAULT_MODEL, null, null, null, null, null, null,
            null, null, null, null, null, null);

    @Mixin
    ServeOptions serve;

    @Option(names = "--calibration", paramLabel = "FILE",
            description = "Simulated targets: roofline calibration YAML for the step-cost model.")
    Path calibration;

    /**
     * The setup to simulate; {@code model} is run's {@code --model} (a catalog name or config.json), or null. With
     * {@code --from-log}, the logged start-up's configuration and measured memory, so the KV capacity is the real one.
     */
    ServingSetup setup(String model) {
        if (serve.hasLog()) return serve.resolve(model);
        ServeFlags flags = DEFAULT_MODEL.overriddenBy(serve.flags(model));
        return ServingSetup.resolve(flags, serve.gpuSpec(Gpu.T4), serve.version());
    }

    /** True when any simulator option was given (a GPU, a serving flag, a --config, a calibration). */
    boolean anyGiven() {
        return !serve.flags(null).equals(ServeFlags.NONE) || serve.gpu != null || serve.gpuMemoryGib != null
                || calibration != null || serve.hasLog();
    }

    RooflineCalibration calibration() {
        return calibration == null ? RooflineCalibration.DEFAULTS : RooflineCalibration.load(calibration);
    }

    /** The simulated setup as run.yaml records it, under vLLM's argument names. */
    static Map<String, Object> describe(ServingSetup setup, String mode) {
        return SimulatedSetup.describe(setup, mode);
    }

    /** One console line naming the simulated target. */
    static String headline(ServingSetup setup, String mode) {
        var s = setup.serve();
        return String.format(Locale.ROOT, "headroom: target: %s — %s on %s (%.2f GiB), simulated vLLM %s, "
                        + "gpu_memory_utilization=%s max_model_len=%d max_num_seqs=%d", mode, setup.model().name(),
                setup.gpu().deviceName(), setup.gpu().totalMemoryGib(), s.vllmVersion(), s.gpuMemoryUtilization(),
                s.maxModelLen(), s.maxNumSeqs());
    }
}
