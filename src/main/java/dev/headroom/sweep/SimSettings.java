package dev.headroom.sweep;

import dev.headroom.plan.RooflineCalibration;
import dev.headroom.server.SimLauncher;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.VllmVersion;
import java.util.Objects;

/**
 * The simulator options of a sweep ({@code --gpu}, {@code --vllm-version}, {@code --calibration}, {@code --model}):
 * the GPU, vLLM release and step cost the embedded simulator serves with and the planner predicts for.
 *
 * @param gpu          the GPU (for a real server: the one it runs on, for the planner's prediction)
 * @param version      the vLLM release whose defaults and arithmetic to use
 * @param calibration  the roofline calibration of the simulator's step cost
 * @param defaultModel the model of a server config that names none
 */
public record SimSettings(GpuSpec gpu, VllmVersion version, RooflineCalibration calibration, String defaultModel) {

    public SimSettings {
        Objects.requireNonNull(gpu, "gpu");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(calibration, "calibration");
        Objects.requireNonNull(defaultModel, "defaultModel");
    }

    /** The embedded default: a T4, the default vLLM release and calibration, Qwen2.5-1.5B-Instruct. */
    public static SimSettings embeddedDefault() {
        return new SimSettings(GpuSpec.of(Gpu.T4), VllmVersion.DEFAULT, RooflineCalibration.DEFAULTS,
                SimLauncher.DEFAULT_MODEL);
    }
}
