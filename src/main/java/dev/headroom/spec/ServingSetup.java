package dev.headroom.spec;

/**
 * What one vLLM instance serves on: the model, the GPU (one of {@code tensorParallelSize} alike) and the flags;
 * {@code measured} holds what a real start-up log measured beyond the derived memory terms (plan --from-log).
 */
public record ServingSetup(ModelSpec model, GpuSpec gpu, ServeConfig serve, TermOffsets measured) {

    public ServingSetup {
        if (model == null || gpu == null || serve == null || measured == null) {
            throw new IllegalArgumentException("a serving setup needs a model, a GPU and a serve config");
        }
    }

    /** A setup whose memory terms are all derived. */
    public ServingSetup(ModelSpec model, GpuSpec gpu, ServeConfig serve) {
        this(model, gpu, serve, TermOffsets.NONE);
    }

    /** This setup with measured offsets on its memory terms. */
    public ServingSetup withMeasured(TermOffsets offsets) {
        return new ServingSetup(model, gpu, serve, offsets);
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
