package dev.headroom.spec;

import java.nio.file.Path;

/**
 * A decoder-only transformer as its Hugging Face {@code config.json} describes it: what vLLM's memory
 * accounting needs (reference/vllm-internals.md §8). Build one with {@link #resolve(String)}.
 *
 * @param name                  catalog name, HF id or file path the model was resolved from
 * @param modelType             config {@code model_type}, e.g. {@code llama}, {@code qwen2}
 * @param slidingWindow         the attention window in tokens when the model uses one, else 0
 * @param maxLenKey             the config key {@link #maxPositionEmbeddings()} came from (vLLM names it in errors)
 * @param ropeCacheLength       rows of vLLM's rotary cos/sin cache (max positions × rope scaling factor)
 * @param rotaryDim             columns of that cache (head_dim × partial_rotary_factor)
 * @param qkvBias               q/k/v projections carry a bias (Qwen2)
 * @param qkNorm                per-head q/k RMSNorm (Qwen3)
 * @param kvLoraRank            MLA latent rank (DeepSeek-V2/V3), 0 for standard attention
 * @param qkRopeHeadDim         MLA rotary head dim, 0 for standard attention
 */
public record ModelSpec(String name, String modelType, int numHiddenLayers, int hiddenSize, int numAttentionHeads,
                        int numKeyValueHeads, int headDim, int intermediateSize, int vocabSize,
                        int maxPositionEmbeddings, String maxLenKey, int slidingWindow, boolean tieWordEmbeddings,
                        Dtype torchDtype, boolean qkvBias, boolean qkNorm, long ropeCacheLength, int rotaryDim,
                        int kvLoraRank, int qkRopeHeadDim, Quantization quantization) {

    /** vLLM pads the vocabulary of embeddings and LM head to a multiple of this (vocab_parallel_embedding.py). */
    public static final int VOCAB_PADDING = 64;

    public ModelSpec {
        positive("num_hidden_layers", numHiddenLayers);
        positive("hidden_size", hiddenSize);
        positive("num_attention_heads", numAttentionHeads);
        positive("num_key_value_heads", numKeyValueHeads);
        positive("head_dim", headDim);
        positive("intermediate_size", intermediateSize);
        positive("vocab_size", vocabSize);
        positive("max_position_embeddings", maxPositionEmbeddings);
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("num_key_value_heads (" + numKeyValueHeads
                    + ") must divide num_attention_heads (" + numAttentionHeads + ")");
        }
        if (slidingWindow < 0) throw new IllegalArgumentException("sliding_window must be >= 0, was " + slidingWindow);
    }

    private static void positive(String key, long value) {
        if (value <= 0) throw new IllegalArgumentException(key + " must be positive, was " + value);
    }

    /**
     * Resolves a model by catalog name ({@code qwen2.5-1.5b-instruct}), full HF id
     * ({@code Qwen/Qwen2.5-1.5B-Instruct}) or a path to a {@code config.json} (or its directory).
     */
    public static ModelSpec resolve(String nameOrPath) {
        return ModelConfigs.resolve(nameOrPath);
    }

    /**
     * The Hugging Face id of a catalog model ({@code qwen2.5-1.5b-instruct} → {@code Qwen/Qwen2.5-1.5B-Instruct}), the
     * name results files compare: a run folder records the catalog name, a sweep the id a server serves. Any other
     * name stays as given; null stays null.
     */
    public static String huggingFaceId(String name) {
        if (name == null) return null;
        String key = name.strip().toLowerCase(java.util.Locale.ROOT);
        for (java.util.Map.Entry<String, String> e : ModelConfigs.catalog().entrySet()) {
            if (e.getKey().equals(key) || e.getValue().toLowerCase(java.util.Locale.ROOT).equals(key)) return e.getValue();
        }
        return name;
    }

    /** Reads a {@code config.json} file. */
    public static ModelSpec fromConfigFile(Path configJson) {
        return ModelConfigs.fromFile(configJson);
    }

    /** This model with its linear layers stored as {@code q} (vLLM's {@code --quantization}). */
    public ModelSpec withQuantization(Quantization q) {
        if (q.equals(quantization)) return this;
        return new ModelSpec(name, modelType, numHiddenLayers, hiddenSize, numAttentionHeads, numKeyValueHeads, headDim,
                intermediateSize, vocabSize, maxPositionEmbeddings, maxLenKey, slidingWindow, tieWordEmbeddings, torchDtype,
                qkvBias, qkNorm, ropeCacheLength, rotaryDim, kvLoraRank, qkRopeHeadDim, q);
    }

    /** True for multi-head latent attention (DeepSeek-V2/V3): one compressed KV vector per token and layer. */
    public boolean isMla() {
        return kvLoraRank > 0;
    }

    /** The vocabulary as vLLM allocates it: padded to a multiple of {@value #VOCAB_PADDING}. */
    public long paddedVocabSize() {
        return Math.ceilDiv(vocabSize, VOCAB_PADDING) * (long) VOCAB_PADDING;
    }

    /** Parameter count as the checkpoint stores it (unpadded vocab, tied LM head counted once). */
    public long parameterCount() {
        long embed = (long) vocabSize * hiddenSize;
        return embed + (tieWordEmbeddings ? 0 : embed) + (long) numHiddenLayers * layerParams() + hiddenSize;
    }

    /** Parameters of one decoder layer: attention (GQA, optional q/k/v bias and q/k norms), gated MLP, two norms. */
    private long layerParams() {
        long h = hiddenSize;
        long q = (long) numAttentionHeads * headDim;
        long kv = (long) numKeyValueHeads * headDim;
        long attention = h * q + 2 * h * kv + q * h + (qkvBias ? q + 2 * kv : 0) + (qkNorm ? 2L * headDim : 0);
        return attention + 3 * h * intermediateSize + 2 * h;
    }

    /** KV heads each GPU holds under tensor parallelism: {@code max(1, num_kv_heads / tp)} (vllm/config/model.py). */
    public int kvHeadsPerGpu(int tensorParallelSize) {
        return Math.max(1, numKeyValueHeads / tensorParallelSize);
    }

    /**
     * Bytes of weights one GPU loads ("Model loading took X GiB"): linear layers in the checkpoint's
     * quantization, split across {@code tp} ranks; vocab-parallel embedding and LM head (padded vocab);
     * replicated norms; and the rotary cos/sin cache vLLM registers as a buffer in the model dtype.
     */
    public long weightBytes(Dtype dtype, int tp) {
        int b = dtype.bytes();
        long h = hiddenSize;
        long q = (long) numAttentionHeads / tp * headDim;
        long kv = (long) kvHeadsPerGpu(tp) * headDim;
        long inter = intermediateSize / tp;
        double linear = quantization.linearBytes(h, q + 2 * kv, b) + quantization.linearBytes(q, h, b)
                + quantization.linearBytes(h, 2 * inter, b) + quantization.linearBytes(inter, h, b);
        double small = ((qkvBias ? q + 2 * kv : 0) + (qkNorm ? 2L * headDim : 0) + 2 * h) * b;
        double layers = numHiddenLayers * (linear + small);
        double embeddings = (tieWordEmbeddings ? 1 : 2) * embeddingTableBytes(dtype, tp);
        return Math.round(layers + embeddings + h * b + ropeCacheBytes(dtype));
    }

    /**
     * Bytes of weights one forward pass streams on one GPU: {@link #weightBytes} less what a step only indexes. The
     * input embedding of an untied model is a lookup of the step's rows ({@code VocabParallelEmbedding.forward},
     * {@code F.embedding}, vllm/model_executor/layers/vocab_parallel_embedding.py), which {@link #embeddingRowBytes}
     * counts per token; a tied table is read whole as the LM head. The rotary cos/sin cache is indexed by the step's
     * positions (vllm/model_executor/layers/rotary_embedding.py).
     */
    public double streamedWeightBytes(Dtype dtype, int tp) {
        double inputEmbedding = tieWordEmbeddings ? 0 : embeddingTableBytes(dtype, tp);
        return weightBytes(dtype, tp) - inputEmbedding - ropeCacheBytes(dtype);
    }

    /** One GPU's share of a vocab-parallel embedding table (the input embedding, or the LM head): padded vocab. */
    private double embeddingTableBytes(Dtype dtype, int tp) {
        return (double) (paddedVocabSize() / tp) * hiddenSize * dtype.bytes();
    }

    /** The rotary cos/sin cache vLLM registers as a buffer in the model dtype. */
    private double ropeCacheBytes(Dtype dtype) {
        return (double) ropeCacheLength * rotaryDim * dtype.bytes();
    }

    /** Bytes the embedding lookup reads per token: one row of the table. */
    public long embeddingRowBytes(Dtype dtype) {
        return (long) hiddenSize * dtype.bytes();
    }
}
