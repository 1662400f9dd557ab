package dev.headroom.cli;

import dev.headroom.plan.RooflineCalibration;
import dev.headroom.server.SimLauncher;
import dev.headroom.server.SimServer;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code headroom sim}: the simulated vLLM behind an OpenAI-compatible server on the wall clock. */
@Command(name = "sim", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a simulated vLLM engine on a port: the OpenAI API, vLLM's /metrics and log lines.",
                "Routes: /v1/chat/completions, /v1/completions, /v1/models, /metrics, /tokenize, /health, /version;",
                "Without --model: the embedded default, " + SimLauncher.DEFAULT_MODEL
                        + " on a T4 with vLLM's own defaults (no serving flag).",
                "vLLM-style logs on stdout. Stop with Ctrl-C."})
public final class SimCommand implements Callable<Integer> {

    @Mixin
    ServeOptions serve;

    @Mixin
    ModelOption model;

    @Option(names = "--host", paramLabel = "ADDR", description = "Bind address (default 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8000", description = "TCP port (default ${DEFAULT-VALUE}, as vLLM).")
    int port;

    @Option(names = "--served-model-name", paramLabel = "NAME", description = "Model name clients send (default: --model as given).")
    String servedModelName;

    @Option(names = "--calibration", paramLabel = "FILE", description = "Roofline calibration YAML for the step-cost model.")
    Path calibration;

    @Option(names = "--log-interval", paramLabel = "DURATION", defaultValue = "10s",
            description = "Period of the stats line (vLLM: 10s); 0 turns it off.")
    String logInterval;

    @Override
    public Integer call() throws Exception {
        ServeFlags flags = flags();
        ServingSetup setup = ServingSetup.resolve(flags, serve.gpuSpec(embedded() ? Gpu.T4 : Gpu.H100), serve.version());
        Duration interval = logInterval.equals("0") ? Duration.ZERO : Durations.parse(logInterval);
        RooflineCalibration cal = calibration == null ? RooflineCalibration.DEFAULTS : RooflineCalibration.load(calibration);
        String bind = host != null ? host : "127.0.0.1";
        SimServer server;
        try {
            server = SimLauncher.start(setup, nonDefaultArgs(flags),
                    new SimLauncher.Listen(bind, port, flags.model(), servedModelName, cal, System.out, interval));
        } catch (SimLauncher.StartupFailure vllmRefused) {
            return Errors.FAILURE;
        } catch (java.net.BindException taken) {
            throw new Errors.UserError("--port " + port + " on " + bind + ": " + taken.getMessage()
                    + "; choose a free port (or 0 for any)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    /** Without a model (no --model, none in --config): the embedded default model under the user's flags. */
    ServeFlags flags() {
        ServeFlags given = serve.flags(model.name);
        return given.model() == null ? SimulatedTarget.DEFAULT_MODEL.overriddenBy(given) : given;
    }

    private boolean embedded() {
        return serve.flags(model.name).model() == null;
    }

    /** The arguments the user set, under vLLM's names and in its argument order (vllm/engine/arg_utils.py). */
    private Map<String, Object> nonDefaultArgs(ServeFlags f) {
        Map<String, Object> args = new LinkedHashMap<>();
        if (host != null) args.put("host", host);
        if (port != 8000) args.put("port", port);
        args.put("model", f.model());
        putIfSet(args, "dtype", f.dtype());
        putIfSet(args, "max_model_len", f.maxModelLen());
        if (servedModelName != null) args.put("served_model_name", List.of(servedModelName));
        putIfSet(args, "enforce_eager", f.enforceEager());
        putIfSet(args, "tensor_parallel_size", f.tensorParallelSize());
        putIfSet(args, "block_size", f.blockSize());
        putIfSet(args, "gpu_memory_utilization", f.gpuMemoryUtilization());
        putIfSet(args, "swap_space", f.swapSpaceGib());
        putIfSet(args, "kv_cache_dtype", f.kvCacheDtype());
        putIfSet(args, "enable_prefix_caching", f.enablePrefixCaching());
        putIfSet(args, "max_num_batched_tokens", f.maxNumBatchedTokens());
        putIfSet(args, "max_num_seqs", f.maxNumSeqs());
        putIfSet(args, "enable_chunked_prefill", f.enableChunkedPrefill());
        return args;
    }

    private static void putIfSet(Map<String, Object> args, String name, Object value) {
        if (value != null) args.put(name, value);
    }
}
