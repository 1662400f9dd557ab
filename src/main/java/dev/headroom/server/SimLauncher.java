package dev.headroom.server;

import dev.headroom.engine.EngineConfig;
import dev.headroom.engine.LiveEngine;
import dev.headroom.engine.SimTokenizer;
import dev.headroom.plan.MemoryPlan;
import dev.headroom.plan.Planner;
import dev.headroom.plan.StepModels;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ServeConfig;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.VllmVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts the simulated vLLM for a serving setup: plans its memory as vLLM would, logs vLLM's start-up lines,
 * runs a {@link LiveEngine} with the step cost and API server the offline engine uses ({@link StepModels}) and serves
 * it with {@link SimServer}.
 */
public final class SimLauncher {

    /** The embedded default model: the playbook's chat recipe model. */
    public static final String DEFAULT_MODEL = "Qwen/Qwen2.5-1.5B-Instruct";
    /** vLLM's periodic stats interval (VLLM_LOG_STATS_INTERVAL, seconds). */
    public static final Duration VLLM_LOG_INTERVAL = Duration.ofSeconds(10);

    /**
     * Where and how to serve.
     *
     * @param host            bind address
     * @param port            TCP port, 0 for a free one
     * @param model           the model as the user named it (vLLM's {@code root}, and the default served name)
     * @param servedModelName {@code --served-model-name}, or null for {@code model}
     * @param calibration     the roofline calibration of the step-cost model
     * @param log             vLLM-style log output, or null
     * @param logInterval     stats line period (vLLM: 10 s)
     */
    public record Listen(String host, int port, String model, String servedModelName, RooflineCalibration calibration,
            PrintStream log, Duration logInterval) {}

    /** vLLM refused to start this setup; {@link #getMessage()} is vLLM's error. */
    public static final class StartupFailure extends Exception {
        StartupFailure(String vllmMessage) {
            super(vllmMessage, null, false, false);
        }
    }

    private SimLauncher() {}

    /** The embedded default: {@code vllm serve Qwen/Qwen2.5-1.5B-Instruct} on a 16 GB T4, every flag vLLM's default. */
    public static ServingSetup embeddedDefaultSetup() {
        ServeFlags chat = new ServeFlags(DEFAULT_MODEL, null, null, null, null, null, null, null, null, null, null, null,
                null);
        return ServingSetup.resolve(chat, GpuSpec.of(Gpu.T4), VllmVersion.DEFAULT);
    }

    /** Starts the embedded default on 127.0.0.1 (free port), logging to {@code logOrNull}. */
    public static SimServer embeddedDefault(PrintStream logOrNull) throws IOException {
        try {
            Map<String, Object> recipe = new LinkedHashMap<>();
            recipe.put("model", DEFAULT_MODEL);
            return start(embeddedDefaultSetup(), recipe, new Listen("127.0.0.1", 0, DEFAULT_MODEL, null,
                    RooflineCalibration.DEFAULTS, logOrNull, VLLM_LOG_INTERVAL));
        } catch (StartupFailure impossible) {
            throw new IllegalStateException("the embedded default setup must start: " + impossible.getMessage());
        }
    }

    /**
     * Plans {@code setup}, logs vLLM's start-up lines and serves it.
     *
     * @param nonDefaultArgs what the user set, in vLLM's argument names, for the {@code non-default args} line
     * @throws StartupFailure with vLLM's message when vLLM would refuse to start (already logged)
     */
    public static SimServer start(ServingSetup setup, Map<String, Object> nonDefaultArgs, Listen listen)
            throws IOException, StartupFailure {
        MemoryPlan plan = Planner.plan(setup);
        String served = listen.servedModelName() != null ? listen.servedModelName() : listen.model();
        VllmLog log = listen.log() == null ? null : new VllmLog(listen.log(), Clock.systemDefaultZone());
        if (log != null) StartupLog.before(log, setup, plan, nonDefaultArgs);
        if (!plan.fits()) {
            if (log != null) StartupLog.failure(log, plan);
            throw new StartupFailure(plan.error());
        }
        EngineConfig config = EngineConfig.from(setup, plan);
        LiveEngine engine = LiveEngine.start(config, StepModels.forEngine(setup, listen.calibration()));
        SimServerOptions options = new SimServerOptions(served, listen.model(), listen.host(), listen.port(),
                setup.serve().maxModelLen(), setup.serve().vllmVersion().toString(),
                SimTokenizers.of(new SimTokenizer(config.vocabSize())), cacheConfigInfo(setup.serve(), plan),
                listen.log(), listen.logInterval());
        try {
            return SimServer.start(engine, options);
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** {@code vllm:cache_config_info} labels: vLLM's CacheConfig fields (v0.10) as strings. */
    static Map<String, String> cacheConfigInfo(ServeConfig s, MemoryPlan plan) {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("block_size", String.valueOf(s.blockSize()));
        info.put("gpu_memory_utilization", String.valueOf(s.gpuMemoryUtilization()));
        info.put("swap_space", String.valueOf(s.swapSpaceGib()));
        info.put("cache_dtype", s.kvCacheDtype());
        info.put("is_attention_free", "False");
        info.put("num_gpu_blocks_override", "None");
        info.put("sliding_window", "None");
        info.put("enable_prefix_caching", s.enablePrefixCaching() ? "True" : "False");
        info.put("prefix_caching_hash_algo", "builtin");
        info.put("cpu_offload_gb", "0");
        info.put("calculate_kv_scales", "False");
        info.put("num_gpu_blocks", String.valueOf(plan.numGpuBlocks()));
        info.put("num_cpu_blocks", "None");
        return info;
    }
}
