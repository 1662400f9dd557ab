package dev.headroom.plan;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.VllmVersion;

/** Builds setups the way {@code headroom plan} does, from a few flags. */
final class PlanFixtures {

    private PlanFixtures() {}

    static ServingSetup setup(String model, Gpu gpu, String version, Double util, Integer maxModelLen) {
        return setup(model, gpu, version, new ServeFlags(model, util, maxModelLen, null, null, null, null, null, null,
                null, null, null, null));
    }

    static ServingSetup setup(String model, Gpu gpu, String version, ServeFlags flags) {
        return setup(model, GpuSpec.of(gpu), version, flags);
    }

    static ServingSetup setup(String model, GpuSpec gpu, String version, ServeFlags flags) {
        return ServingSetup.resolve(flags.overriddenBy(new ServeFlags(model, null, null, null, null, null, null, null,
                null, null, null, null, null)), gpu, VllmVersion.parse(version));
    }

    static ServeFlags flags(Double util, Integer maxModelLen, Integer maxNumSeqs, Integer maxNumBatchedTokens,
                            String kvCacheDtype, Integer tensorParallelSize) {
        return new ServeFlags(null, util, maxModelLen, maxNumSeqs, maxNumBatchedTokens, null, null, null, kvCacheDtype,
                null, null, tensorParallelSize, null);
    }
}
