package dev.headroom.pipeline;

import dev.headroom.plan.RooflineCalibration;
import dev.headroom.server.SimLauncher;
import dev.headroom.server.SimServer;
import dev.headroom.spec.ServingSetup;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** The embedded default target: the simulated vLLM served on 127.0.0.1 (a free port) when no {@code --url} is given. */
public final class EmbeddedSimulator {

    private EmbeddedSimulator() {}

    /**
     * Starts the simulator for {@code setup}, logging vLLM's lines to {@code log}.
     *
     * @param servedModel the name it serves under, or null for the playbook's chat model
     * @throws PointError of kind REFUSED, with vLLM's message, when vLLM would not start this setup
     */
    public static SimServer start(ServingSetup setup, String servedModel, RooflineCalibration calibration,
                                  PrintStream log) throws IOException {
        String model = servedModel != null ? servedModel : SimLauncher.DEFAULT_MODEL;
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("model", model);
        args.put("max_model_len", setup.serve().maxModelLen());
        args.put("gpu_memory_utilization", setup.serve().gpuMemoryUtilization());
        args.put("max_num_seqs", setup.serve().maxNumSeqs());
        try {
            return SimLauncher.start(setup, args, new SimLauncher.Listen("127.0.0.1", 0, model, null, calibration, log,
                    SimLauncher.VLLM_LOG_INTERVAL));
        } catch (SimLauncher.StartupFailure refused) {
            throw new PointError(PointError.Kind.REFUSED, "the simulated server would not start: " + refused.getMessage());
        }
    }
}
