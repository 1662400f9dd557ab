package dev.headroom.spec;

/** What one vLLM instance serves on: the model, the GPU (one of {@code tensorParallelSize} alike) and the flags. */
public record ServingSetup(ModelSpec model, GpuSpec gpu, ServeConfig serve) {

    public ServingSetup {
        if (model == null || gpu == null || serve == null) {
            throw new IllegalArgumentException("a serving setup needs a model, a GPU and a serve config");
        }
    }

    /**
     * Resolves a setup from flags (the model comes from {@code flags.model()}), applying vLLM's defaults
     * for {@code version} on {@code gpu}.
     */
    public static ServingSetup resolve(ServeFlags flags, GpuSpec gpu, VllmVersion version) {
        if (flags.model() == null) throw new IllegalArgumentException("--model must be given (catalog name or config.json path)");
        ModelSpec checkpoint = ModelSpec.resolve(flags.model());
        ModelSpec model = checkpoint.withQuantization(Quantization.fromFlag(flags.quantization(), checkpoint.quantization()));
        return new ServingSetup(model, gpu, ServeConfig.resolve(flags, model, gpu, version));
    }
}
