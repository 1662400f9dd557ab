package dev.headroom.plan;

import dev.headroom.spec.ModelSpec;
import dev.headroom.spec.Quantization;
import dev.headroom.spec.ServeConfig;
import dev.headroom.spec.ServingSetup;

/**
 * The torch activation peak of vLLM's memory-profiling run, derived from what that run allocates (not fitted).
 * vLLM measures {@code torch_peak_increase} around {@code profile_run()} (vllm/utils memory_profiling), which
 * runs a forward pass over {@code max_num_batched_tokens} dummy tokens split into
 * {@code min(max_num_seqs, max_num_batched_tokens)} requests ({@code _dummy_run}) and then the sampler on one
 * row of logits per request ({@code _dummy_sampler_run}); the peak is the larger of the two phases.
 *
 * @param forwardPeakBytes  transient tensors of one decoder layer at its widest point
 * @param samplerPeakBytes  tensors alive while the sampler runs
 */
public record ProfileRun(long forwardPeakBytes, long samplerPeakBytes) {

    /**
     * Bytes per logits element beyond the model-dtype and fp32 logits, for the PyTorch-native top-k/top-p
     * (vllm/v1/sample/ops/topk_topp_sampler.py apply_top_k_top_p; V0 sampler _apply_top_k_top_p): the dummy
     * request sets top_k = vocab-1 and top_p = 0.9, so {@code logits.sort()} runs. During the sort: values (4) and
     * int64 indices (8) out, plus PyTorch's segmented radix sort scratch: an int64 iota (8) and cub's key/value
     * double buffer (4 + 8).
     */
    static final int NATIVE_TOP_K_TOP_P_BYTES = 32;
    /**
     * Same for FlashInfer's {@code top_k_top_p_sampling_from_logits} (top-k mask logits 4 + softmax probs 4),
     * which V1 runs before 0.11.1 where FlashInfer is installed (Release.flashInferSampler); the Triton kernel
     * of PR #33538 (0.18+) measures the same 14 B per logit in total (reference/vllm-memory-2026.md §1.3).
     */
    static final int FLASHINFER_TOP_K_TOP_P_BYTES = 8;

    /** The activation peak vLLM would measure for this setup, on one tensor-parallel rank. */
    public static ProfileRun of(ServingSetup setup) {
        return of(setup, Release.install(setup));
    }

    /** The same with a given install, which before 0.11.1 decides V1's sampler (Release.Install). */
    static ProfileRun of(ServingSetup setup, Release.Install install) {
        ModelSpec m = setup.model();
        ServeConfig s = setup.serve();
        int tp = s.tensorParallelSize();
        long tokens = s.maxNumBatchedTokens();
        long rows = Math.min(s.maxNumSeqs(), s.maxNumBatchedTokens());
        long b = s.dtype().bytes();
        long h = m.hiddenSize();
        // Residual stream: the layer's hidden_states and residual, both [tokens, hidden] (full width on every rank).
        long residual = 2 * tokens * h * b;
        // MLP (vllm/model_executor/models/llama.py LlamaMLP): gate_up_proj output [tokens, 2*I/tp] and
        // SiluAndMul output [tokens, I/tp] are alive together.
        long mlp = 3 * tokens * (m.intermediateSize() / tp) * b;
        // Attention: qkv_proj output, the attention output buffer (vllm/attention/layer.py allocates it even
        // in the profiling run) and o_proj output.
        long qHeads = m.numAttentionHeads() / tp;
        long qkv = tokens * (qHeads + 2L * m.kvHeadsPerGpu(tp)) * m.headDim() * b;
        long attention = qkv + tokens * qHeads * m.headDim() * b + tokens * h * b;
        // Eager (Release.eagerForward), down_proj's [tokens, hidden] output is allocated while the MLP's input,
        // gate_up and the SiluAndMul output are all still referenced (vllm/model_executor/models/llama.py LlamaMLP).
        long downProjOut = Release.eagerForward(s) ? tokens * h * b : 0;
        long forward = residual + Math.max(mlp + downProjOut, attention);
        if (dequantizes(setup)) forward = residual + dequantizedLayerPeak(setup);
        if (bitsandbytes(setup)) forward = residual + shardDequantizedLayerPeak(setup);
        // Sampler: _dummy_run's hidden_states stay referenced; last_hidden_states and torch.rand_like of it;
        // logits [rows, vocab] and what the sampler of this release allocates per logit (Release), plus the
        // Triton top-k/top-p buffer where that kernel runs.
        long vocab = m.paddedVocabSize();
        long sampler = tokens * h * b + 2 * rows * h * b + rows * vocab * Release.samplerBytesPerLogit(setup, install)
                + Release.tritonBufferBytes(setup);
        return new ProfileRun(forward, sampler);
    }

    /**
     * True when the profile's linear layers run a kernel that materialises each weight in the model dtype
     * (Quantization.LinearKernel): GPTQ's exllama kernel always, AWQ's own kernel from 256 tokens a call.
     */
    static boolean dequantizes(ServingSetup setup) {
        ServeConfig s = setup.serve();
        int cc = setup.gpu().gpu().computeCapabilityNumber();
        return switch (setup.model().quantization().kernel(s.vllmVersion(), cc)) {
            case AWQ_DEQUANTIZE -> s.maxNumBatchedTokens() >= 256;
            case GPTQ_DEQUANTIZE -> true;
            case IN_PLACE, BNB_DEQUANTIZE -> false;
        };
    }

    /** True for bitsandbytes NF4, which dequantizes shard by shard (Quantization.LinearKernel.BNB_DEQUANTIZE). */
    static boolean bitsandbytes(ServingSetup setup) {
        ServeConfig s = setup.serve();
        int cc = setup.gpu().gpu().computeCapabilityNumber();
        return setup.model().quantization().kernel(s.vllmVersion(), cc) == Quantization.LinearKernel.BNB_DEQUANTIZE
                && s.maxNumBatchedTokens() > 1;
    }

    /**
     * As {@link #dequantizedLayerPeak} for bitsandbytes: merged layers write each shard's product into their
     * preallocated output, so one shard's weight and product are alive beside it (gate_up: the gate shard; qkv: the
     * q shard), and down_proj and o_proj hold their product beside the output it is copied into.
     */
    private static long shardDequantizedLayerPeak(ServingSetup setup) {
        LayerWidths w = LayerWidths.of(setup);
        long t = w.tokens(), b = w.bytes(), h = w.hidden(), inter = w.intermediate(), q = w.q(), qkvWidth = w.qkv();
        long gateUp = t * 2 * inter * b + h * inter * b + t * inter * b;
        long down = 3 * t * inter * b + inter * h * b + 2 * t * h * b;
        long qkv = t * qkvWidth * b + h * q * b + t * q * b;
        long oProj = t * qkvWidth * b + t * q * b + q * h * b + 2 * t * h * b;
        return Math.max(Math.max(gateUp, down), Math.max(qkv, oProj));
    }

    /**
     * A decoder layer's widest point beyond the residual stream when every linear call also holds its dequantized
     * {@code [in, out/tp]} weight: gate_up (its output and weight), down_proj (LlamaMLP keeps gate_up's output
     * referenced while SiluAndMul's output, the weight and down_proj's output are alive), qkv_proj (output and
     * weight) and o_proj (qkv, attention output, weight, o_proj output).
     */
    private static long dequantizedLayerPeak(ServingSetup setup) {
        LayerWidths w = LayerWidths.of(setup);
        long t = w.tokens(), b = w.bytes(), h = w.hidden(), inter = w.intermediate(), q = w.q(), qkvWidth = w.qkv();
        long gateUp = t * 2 * inter * b + h * 2 * inter * b;
        long down = 3 * t * inter * b + inter * h * b + t * h * b;
        long qkv = t * qkvWidth * b + h * qkvWidth * b;
        long oProj = t * qkvWidth * b + t * q * b + q * h * b + t * h * b;
        return Math.max(Math.max(gateUp, down), Math.max(qkv, oProj));
    }

    /** The torch peak increase vLLM reports as activation peak, bytes. */
    public long peakBytes() {
        return Math.max(forwardPeakBytes, samplerPeakBytes);
    }

    /**
     * The profile run's decoder-layer widths on one GPU: its tokens ({@code max_num_batched_tokens}), bytes per
     * element, hidden size, MLP width, query width and fused QKV width (under tensor parallelism, per GPU).
     */
    private record LayerWidths(long tokens, long bytes, long hidden, long intermediate, long q, long qkv) {
        static LayerWidths of(ServingSetup setup) {
            ModelSpec m = setup.model();
            ServeConfig s = setup.serve();
            int tp = s.tensorParallelSize();
            long q = (long) m.numAttentionHeads() / tp * m.headDim();
            return new LayerWidths(s.maxNumBatchedTokens(), s.dtype().bytes(), m.hiddenSize(), m.intermediateSize() / tp,
                    q, q + 2L * m.kvHeadsPerGpu(tp) * m.headDim());
        }
    }
}
