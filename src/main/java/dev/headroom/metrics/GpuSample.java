package dev.headroom.metrics;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The GPU's power, utilisation and memory at one instant of a load point, from nvidia-smi or the NVIDIA DCGM
 * exporter. Over several GPUs: power and memory summed, utilisation and the profiling fractions averaged (NaN when
 * any GPU lacks the value). A value the source does not give is NaN ("not measured"), never 0.
 *
 * @param tSeconds       seconds since the measured window opened
 * @param powerW         board power draw in watts (nvidia-smi {@code power.draw}, DCGM {@code DCGM_FI_DEV_POWER_USAGE})
 * @param utilPerc       percent 0–100 of the sample period a kernel ran ({@code utilization.gpu}, {@code DCGM_FI_DEV_GPU_UTIL})
 * @param memoryUsedMib  frame buffer in use, MiB ({@code memory.used}, {@code DCGM_FI_DEV_FB_USED})
 * @param grEngineActive fraction 0–1 of time the graphics engine was busy ({@code DCGM_FI_PROF_GR_ENGINE_ACTIVE})
 * @param smActive       fraction 0–1 of time at least one warp was resident per SM ({@code DCGM_FI_PROF_SM_ACTIVE})
 * @param dramActive     fraction 0–1 of cycles the memory interface was busy ({@code DCGM_FI_PROF_DRAM_ACTIVE})
 * @param tensorActive   fraction 0–1 of cycles the tensor pipes were busy ({@code DCGM_FI_PROF_PIPE_TENSOR_ACTIVE})
 */
public record GpuSample(double tSeconds, double powerW, double utilPerc, double memoryUsedMib, double grEngineActive,
                        double smActive, double dramActive, double tensorActive) {

    /** telemetry.csv's GPU columns, written when any sample was taken. */
    public static final List<String> COLUMNS = List.of("gpu_power_w", "gpu_util_perc", "gpu_memory_used_mib");

    /** telemetry.csv's profiling columns, written when any sample has one of them (DCGM's profiling metrics). */
    public static final List<String> PROF_COLUMNS = List.of("gpu_gr_engine_active", "gpu_sm_active", "gpu_dram_active",
            "gpu_tensor_active");

    /** A sample without DCGM's profiling fractions (nvidia-smi's). */
    public static GpuSample basic(double tSeconds, double powerW, double utilPerc, double memoryUsedMib) {
        return new GpuSample(tSeconds, powerW, utilPerc, memoryUsedMib, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** The values of {@link #COLUMNS}, in order. */
    public double[] values() {
        return new double[] {powerW, utilPerc, memoryUsedMib};
    }

    /** The values of {@link #PROF_COLUMNS}, in order. */
    public double[] profValues() {
        return new double[] {grEngineActive, smActive, dramActive, tensorActive};
    }

    /** Whether any profiling fraction was measured. */
    public boolean hasProf() {
        for (double v : profValues()) if (!Double.isNaN(v)) return true;
        return false;
    }

    /**
     * One sample of several GPUs read at {@code tSeconds}: power and memory summed, utilisation and profiling
     * fractions averaged; NaN for a value any GPU lacks (a partial sum would understate the board power).
     */
    public static GpuSample combine(double tSeconds, List<GpuSample> gpus) {
        if (gpus.size() == 1) {
            GpuSample g = gpus.get(0);
            return new GpuSample(tSeconds, g.powerW, g.utilPerc, g.memoryUsedMib, g.grEngineActive, g.smActive,
                    g.dramActive, g.tensorActive);
        }
        return new GpuSample(tSeconds, sum(gpus, GpuSample::powerW), mean(gpus, GpuSample::utilPerc),
                sum(gpus, GpuSample::memoryUsedMib), mean(gpus, GpuSample::grEngineActive), mean(gpus, GpuSample::smActive),
                mean(gpus, GpuSample::dramActive), mean(gpus, GpuSample::tensorActive));
    }

    private static double sum(List<GpuSample> gpus, ToDoubleFunction<GpuSample> field) {
        double s = 0;
        for (GpuSample g : gpus) s += field.applyAsDouble(g);
        return s;
    }

    private static double mean(List<GpuSample> gpus, ToDoubleFunction<GpuSample> field) {
        return gpus.isEmpty() ? Double.NaN : sum(gpus, field) / gpus.size();
    }
}
