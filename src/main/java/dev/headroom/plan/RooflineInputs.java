package dev.headroom.plan;

/**
 * What the roofline step-cost model needs to know about the model, the GPU and the serving flags.
 *
 * @param weightBytes                 bytes of weights read once per step (all weights in the serving dtype)
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
 * @param enforceEager                no CUDA graphs, so decode batches are not padded
 * @param maxNumSeqs                  {@code --max-num-seqs} (sets the largest CUDA-graph capture size)
 * @param maxNumBatchedTokens         {@code --max-num-batched-tokens} (capture sizes never exceed it)
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
        boolean enforceEager,
        int maxNumSeqs,
        int maxNumBatchedTokens) {

    public RooflineInputs {
        positive("weightBytes", weightBytes);
        positive("kvBytesPerToken", kvBytesPerToken);
        positive("parameterCount", parameterCount);
        positive("memoryBandwidthBytesPerSec", memoryBandwidthBytesPerSec);
        positive("peakFlopsPerSec", peakFlopsPerSec);
        if (numLayers < 1 || hiddenSize < 1 || numAttentionHeads < 1 || headDim < 1 || vocabSize < 1) {
            throw new IllegalArgumentException("layers, hidden size, heads, head_dim and vocab size must be positive");
        }
        if (maxNumSeqs < 1 || maxNumBatchedTokens < 1) {
            throw new IllegalArgumentException("max_num_seqs and max_num_batched_tokens must be positive");
        }
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
