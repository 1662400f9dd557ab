package dev.headroom.plan;

import dev.headroom.spec.Gpu;

/**
 * A GPU architecture generation: GPUs of one class share kernels (tensor-core generation, attention backend) and so
 * the efficiencies a step-time fit learns; the fit keeps coefficients per class where the corpus has data for it.
 */
public enum GpuClass {
    TURING, AMPERE, ADA, HOPPER;

    /** The class of {@code gpu}, by CUDA compute capability (7.5 Turing, 8.0/8.6 Ampere, 8.9 Ada, 9.0 Hopper). */
    public static GpuClass of(Gpu gpu) {
        int cc = gpu.computeCapabilityNumber();
        if (cc >= 90) return HOPPER;
        if (cc == 89) return ADA;
        if (cc >= 80) return AMPERE;
        return TURING;
    }
}
