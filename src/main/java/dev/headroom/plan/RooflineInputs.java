package dev.headroom.plan;

/**
 * What the roofline step-cost model needs to know about the model, the GPU and the serving flags.
 *
 * @param weightBytes                 bytes of weights read once per step (all but what a step only indexes:
 *                                    {@link dev.headroom.spec.ModelSpec#streamedWeightBytes})
 * @param kvBytesPerToken             KV cache bytes per token, all layers (2·L·n_kv·head_dim·kv dtype bytes)
 * @param numLayers                   transformer layers L
 * @param hiddenSize                  hidden size h
 * @param numAttentionHeads           query heads
 * @param headDim                     head dimension
 * @param parameterCount              total parameters P
 * @param vocabSize                   vocabulary size V
 * @param tieWordEmbeddings           the LM head shares the embedding matrix
 * @param memoryBandwidthBytesPerSec  peak HBM/GDDR bandwidth of the GPU
 * @param peakFlopsPerSec             dense fp16/bf16 tensor FLOP/s of the GPU (fp16 on GPUs without bf16)
 * @param clockHz                     the GPU's boost clock ({@link dev.headroom.spec.Gpu#boostClockHz}), which times
 *                                    the per-layer floor's cycles
 * @param enforceEager                no CUDA graphs, so decode batches are not padded
 * @param maxNumSeqs                  {@code --max-num-seqs} (sets the largest CUDA-graph capture size)
 * @param maxNumBatchedTokens         {@code --max-num-batched-tokens} (capture sizes never exceed it)
 * @param asyncScheduling             the CPU's work for the next step overlaps the GPU's step (vLLM 0.14+ default)
 * @param activationBytesPerToken     bytes the memory-bound element-wise kernels move per token, all layers, and
 *                                    the token's embedding row
 * @param linearFlopsPerSec           dense tensor FLOP/s the linear layers' GEMMs run at: {@code peakFlopsPerSec},
 *                                    or twice it on 8-bit tensor cores ({@link Roofline#linearFlopsPerSecond})
 */
public record RooflineInputs(
        double weightBytes,
        double kvBytesPerToken,
        int numLayers,
        int hiddenSize,
        int numAttentionHeads,
        int headDim,
        double parameterCount,
        int vocabSize,
        boolean tieWordEmbeddings,
        double memoryBandwidthBytesPerSec,
        double peakFlopsPerSec,
        double clockHz,
        boolean enforceEager,
        int maxNumSeqs,
        int maxNumBatchedTokens,
        boolean asyncScheduling,
        double activationBytesPerToken,
        double linearFlopsPerSec) {

    /** Inputs whose linear layers run at the 16-bit tensor rate. */
    public RooflineInputs(double weightBytes, double kvBytesPerToken, int numLayers, int hiddenSize,
                          int numAttentionHeads, int headDim, double parameterCount, int vocabSize,
                          boolean tieWordEmbeddings, double memoryBandwidthBytesPerSec, double peakFlopsPerSec,
                          double clockHz, boolean enforceEager, int maxNumSeqs, int maxNumBatchedTokens,
                          boolean asyncScheduling, double activationBytesPerToken) {
        this(weightBytes, kvBytesPerToken, numLayers, hiddenSize, numAttentionHeads, headDim, parameterCount, vocabSize,
                tieWordEmbeddings, memoryBandwidthBytesPerSec, peakFlopsPerSec, clockHz, enforceEager, maxNumSeqs,
                maxNumBatchedTokens, asyncScheduling, activationBytesPerToken, peakFlopsPerSec);
    }

    /** Inputs of a release without async scheduling (before vLLM 0.14). */
    public RooflineInputs(double weightBytes, double kvBytesPerToken, int numLayers, int hiddenSize,
                          int numAttentionHeads, int headDim, double parameterCount, int vocabSize,
                          boolean tieWordEmbeddings, double memoryBandwidthBytesPerSec, double peakFlopsPerSec,
                          double clockHz, boolean enforceEager, int maxNumSeqs, int maxNumBatchedTokens) {
        this(weightBytes, kvBytesPerToken, numLayers, hiddenSize, numAttentionHeads, headDim, parameterCount, vocabSize,
                tieWordEmbeddings, memoryBandwidthBytesPerSec, peakFlopsPerSec, clockHz, enforceEager, maxNumSeqs,
                maxNumBatchedTokens, false, 0, peakFlopsPerSec);
    }

    /** These inputs with async scheduling on or off. */
    public RooflineInputs withAsyncScheduling(boolean async) {
        return new RooflineInputs(weightBytes, kvBytesPerToken, numLayers, hiddenSize, numAttentionHeads, headDim,
                parameterCount, vocabSize, tieWordEmbeddings, memoryBandwidthBytesPerSec, peakFlopsPerSec, clockHz,
                enforceEager,
                maxNumSeqs, maxNumBatchedTokens, async, activationBytesPerToken, linearFlopsPerSec);
    }

    /** These inputs with the element-wise traffic per token set. */
    public RooflineInputs withActivationBytesPerToken(double bytes) {
        return new RooflineInputs(weightBytes, kvBytesPerToken, numLayers, hiddenSize, numAttentionHeads, headDim,
                parameterCount, vocabSize, tieWordEmbeddings, memoryBandwidthBytesPerSec, peakFlopsPerSec, clockHz,
                enforceEager,
                maxNumSeqs, maxNumBatchedTokens, asyncScheduling, bytes, linearFlopsPerSec);
    }

    /**
     * Element-wise traffic of one token through one dense decoder layer (vllm/model_executor/models/llama.py, qwen2.py),
     * in elements, each written once and read once: fused add + RMSNorm twice (4h each), QKV output (q + 2kv),
     * rotary in place on q and k (2q + 2kv), KV cache write (reads 2kv, writes 2kv), attention reads q and writes its
     * output (2q), o_proj reads it and writes h, gate_up output (2I) read by SiluAndMul (2I) which writes I, read by
     * down_proj (I), which writes h: {@code 10h + 6q + 8kv + 6I}.
     */
    public static double denseLayerActivationElements(long h, long q, long kv, long intermediate) {
        return 10.0 * h + 6.0 * q + 8.0 * kv + 6.0 * intermediate;
    }

    public RooflineInputs {
        positive("weightBytes", weightBytes);
        positive("kvBytesPerToken", kvBytesPerToken);
        positive("parameterCount", parameterCount);
        positive("memoryBandwidthBytesPerSec", memoryBandwidthBytesPerSec);
        positive("peakFlopsPerSec", peakFlopsPerSec);
        positive("clockHz", clockHz);
        positive("linearFlopsPerSec", linearFlopsPerSec);
        if (numLayers < 1 || hiddenSize < 1 || numAttentionHeads < 1 || headDim < 1 || vocabSize < 1) {
            throw new IllegalArgumentException("layers, hidden size, heads, head_dim and vocab size must be positive");
        }
        if (maxNumSeqs < 1 || maxNumBatchedTokens < 1) {
            throw new IllegalArgumentException("max_num_seqs and max_num_batched_tokens must be positive");
        }
    }

    /** True when the linear layers' GEMMs run on 8-bit tensor cores (faster than the 16-bit rate). */
    public boolean eightBitGemms() {
        return linearFlopsPerSec > peakFlopsPerSec;
    }

    /** Parameters that multiply every token (all but the embedding lookup and the LM head). */
    public double perTokenMatmulParams() {
        double embedding = (double) vocabSize * hiddenSize;
        return Math.max(parameterCount - embedding * (tieWordEmbeddings ? 1 : 2), parameterCount * 0.05);
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " must be positive, was " + v);
    }
}
