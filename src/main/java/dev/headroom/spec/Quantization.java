package dev.headroom.spec;

import java.util.List;
import java.util.Set;

/**
 * How a checkpoint's linear-layer weights are stored ({@code quantization_config} in config.json, or vLLM's
 * {@code --quantization}). Embeddings, the LM head and norms stay in the model dtype in every scheme here.
 *
 * @param method     none, awq, gptq, fp8, w8a8 (compressed-tensors int8) or bitsandbytes
 * @param bits       weight bits (16 when unquantized)
 * @param groupSize  input rows per scale group for AWQ/GPTQ; 0 when not grouped
 */
public record Quantization(String method, int bits, int groupSize) {

    private static final Set<String> METHODS = Set.of("none", "awq", "gptq", "fp8", "w8a8", "bitsandbytes");

    /**
     * vLLM's {@code --quantization} choices (vllm/model_executor/layers/quantization/__init__.py
     * QuantizationMethods, 2025-2026 releases).
     */
    public static final List<String> VLLM_METHODS = List.of("awq", "deepspeedfp", "tpu_int8", "fp8", "ptpc_fp8",
            "fbgemm_fp8", "fp_quant", "modelopt", "modelopt_fp4", "bitblas", "gguf", "gptq_marlin_24", "gptq_marlin",
            "gptq_bitblas", "awq_marlin", "gptq", "compressed-tensors", "bitsandbytes", "hqq", "experts_int8",
            "ipex", "quark", "moe_wna16", "torchao", "auto-round", "rtn", "inc", "mxfp4", "petit_nvfp4", "marlin");

    /** The {@code --quantization} values whose weight storage headroom models. */
    public static final List<String> MODELLED_FLAGS = List.of("fp8", "ptpc_fp8", "fbgemm_fp8", "modelopt", "awq",
            "awq_marlin", "gptq", "gptq_marlin", "gptq_marlin_24", "marlin", "compressed-tensors", "bitsandbytes");

    /** An unquantized checkpoint. */
    public static final Quantization NONE = new Quantization("none", 16, 0);

    public Quantization {
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("quantization_config.quant_method: unsupported '" + method
                    + "'; supported: awq, gptq, fp8, compressed-tensors (w8a8/fp8), bitsandbytes");
        }
        if (bits != 4 && bits != 8 && bits != 16) {
            throw new IllegalArgumentException("quantization_config.bits: unsupported " + bits + "; supported: 4, 8");
        }
        if (groupSize < 0) throw new IllegalArgumentException("quantization_config.group_size must be >= 0, was " + groupSize);
    }

    /** The storage in plain words, for client text: "16-bit", "FP8", "INT8", "AWQ 4-bit", "bitsandbytes 4-bit". */
    public String describe() {
        // none, fp8 and w8a8 fix their bits in their name; AWQ, GPTQ and bitsandbytes say them.
        boolean named = method.equals("none") || method.equals("fp8") || method.equals("w8a8");
        return named ? describeMethod(method) : describeMethod(method) + " " + bits + "-bit";
    }

    /** A method's name in plain words, its bits where the method fixes them ("16-bit" for none, "FP8", "AWQ"). */
    public static String describeMethod(String method) {
        return switch (method) {
            case "none" -> "16-bit";
            case "fp8" -> "FP8";
            case "w8a8" -> "INT8";
            case "awq" -> "AWQ";
            case "gptq" -> "GPTQ";
            default -> method;
        };
    }

    /**
     * The scheme vLLM runs for {@code --quantization flag} on a checkpoint stored as {@code checkpoint}
     * (vllm/config/model.py _verify_quantization): a quantized checkpoint must name the same family (the Marlin
     * kernels {@code awq_marlin}/{@code gptq_marlin} override {@code awq}/{@code gptq}, with the same storage);
     * an unquantized one can be quantized on load only by {@code fp8} (Fp8Config, dynamic per-tensor scales) or
     * {@code bitsandbytes} (in-flight 4-bit NF4); other methods need the checkpoint's quantization config
     * (model_loader/weight_utils.py get_quant_config).
     */
    public static Quantization fromFlag(String flag, Quantization checkpoint) {
        if (flag == null) return checkpoint;
        if (!VLLM_METHODS.contains(flag)) {
            throw new IllegalArgumentException("--quantization: '" + flag + "' is not one of vLLM's methods; modelled: "
                    + String.join(", ", MODELLED_FLAGS));
        }
        if (!MODELLED_FLAGS.contains(flag)) {
            throw new IllegalArgumentException("--quantization: headroom does not model the weight storage of '" + flag
                    + "'; modelled: " + String.join(", ", MODELLED_FLAGS));
        }
        String family = family(flag);
        if (!checkpoint.method.equals("none")) {
            if (family.equals("checkpoint") || family.equals(checkpoint.method)
                    || family.equals("fp8") && checkpoint.method.equals("fp8")) {
                return checkpoint;
            }
            throw new IllegalArgumentException("Quantization method specified in the model config (" + checkpoint.method
                    + ") does not match the quantization method specified in the `quantization` argument (" + flag + ").");
        }
        return switch (family) {
            case "fp8" -> new Quantization("fp8", 8, 0);
            case "bitsandbytes" -> new Quantization("bitsandbytes", 4, 64);
            default -> throw new IllegalArgumentException("Cannot find the config file for " + flag
                    + " (--quantization " + flag + " needs a checkpoint with a quantization_config; online "
                    + "quantization: fp8 or bitsandbytes)");
        };
    }

    private static String family(String flag) {
        return switch (flag) {
            case "awq", "awq_marlin" -> "awq";
            case "gptq", "gptq_marlin", "gptq_marlin_24", "marlin" -> "gptq";
            case "fp8", "ptpc_fp8", "fbgemm_fp8", "modelopt" -> "fp8";
            case "bitsandbytes" -> "bitsandbytes";
            default -> "checkpoint";
        };
    }

    /**
     * Bytes a linear weight of {@code in × out} takes in this scheme, including its scales and zero points.
     * AWQ (vllm/model_executor/layers/quantization/awq.py): int32 qweight packing 32/bits values, int32 qzeros
     * per group and output/pack, fp16 scales per group and output. GPTQ (gptq.py) adds an int32 g_idx per
     * input row. FP8 (fp8.py): one byte per weight plus a float32 scale per tensor. W8A8 int8
     * (compressed-tensors): one byte per weight plus a float32 scale per output channel. bitsandbytes
     * (bitsandbytes.py, NF4): two weights per byte plus a float32 absmax per block of {@code groupSize} (64).
     */
    public double linearBytes(long in, long out, int modelDtypeBytes) {
        double params = (double) in * out;
        return switch (method) {
            case "none" -> params * modelDtypeBytes;
            case "awq" -> packed(params, in, out);
            case "gptq" -> packed(params, in, out) + 4.0 * in;
            case "fp8" -> params + 4;
            case "bitsandbytes" -> params / 2 + 4 * Math.ceil(params / groupSize);
            default -> params + 4.0 * out;
        };
    }

    /** The GEMM vLLM runs for a linear layer of this scheme, where it decides the profile run's transient memory. */
    public enum LinearKernel {
        /** Dense GEMM, or a quantized kernel that reads its packed weight in place (Marlin, FP8, int8, NF4). */
        IN_PLACE,
        /**
         * AWQ's own kernel (vllm/model_executor/layers/quantization/awq.py AWQLinearMethod.apply, and auto_awq.py
         * AutoAWQLinearMethod from 0.26): from 256 tokens a call ({@code FP16_MATMUL_HEURISTIC_CONDITION}) it runs
         * {@code ops.awq_dequantize} into a full {@code [in, out]} weight in the model dtype, then {@code torch.matmul}.
         */
        AWQ_DEQUANTIZE,
        /**
         * GPTQ's exllama kernel (gptq.py GPTQLinearMethod.apply, ops.gptq_gemm): csrc/quantization/gptq/q_gemm.cu
         * {@code gptq_gemm} allocates {@code temp_dq}, the full {@code [in, out]} weight in the model dtype, on every
         * call (it reconstructs into it above 50 rows).
         */
        GPTQ_DEQUANTIZE,
        /**
         * bitsandbytes NF4 (bitsandbytes.py _apply_bnb_4bit): one {@code matmul_4bit} per shard of a merged layer,
         * each written into a preallocated {@code [tokens, out]} output; for more than one row bitsandbytes'
         * MatMul4Bit.forward (bitsandbytes/autograd/_functions.py) runs
         * {@code linear(A, dequantize_4bit(B).to(A.dtype).t())}: the shard's whole weight in the model dtype.
         */
        BNB_DEQUANTIZE
    }

    /**
     * The kernel vLLM picks for this scheme in release {@code v} on a GPU of compute capability {@code cc} (75 for
     * 7.5). AWQ and GPTQ run Marlin where Marlin supports the GPU: AWQ from PR #6612 (396d92d5e, 2024-07-21: 0.5.3,
     * inferred), GPTQ from PR #3922 (73c8d677e, 2024-04-29: 0.4.2, inferred); Marlin's
     * {@code query_marlin_supported_quant_types} (quantization/utils/marlin_utils.py) returns no type below compute
     * capability 8.0 until PR #31008 (9187de9fa, 2025-12-19: 0.14, inferred) lowered it to 7.5. Elsewhere the
     * scheme's own kernel runs. Not modelled: an explicit {@code --quantization awq} or {@code gptq}, which before
     * 0.26 forced the scheme's own kernel on any GPU (awq_marlin.py "so forcing awq"); 0.26 maps both names to
     * auto_awq / auto_gptq, which pick Marlin.
     */
    public LinearKernel kernel(VllmVersion v, int cc) {
        boolean marlinGpu = cc >= (v.atLeast(0, 14, 0) ? 75 : 80);
        return switch (method) {
            case "awq" -> marlinGpu && v.atLeast(0, 5, 3) ? LinearKernel.IN_PLACE : LinearKernel.AWQ_DEQUANTIZE;
            case "gptq" -> marlinGpu && v.atLeast(0, 4, 2) ? LinearKernel.IN_PLACE : LinearKernel.GPTQ_DEQUANTIZE;
            case "bitsandbytes" -> LinearKernel.BNB_DEQUANTIZE;
            default -> LinearKernel.IN_PLACE;
        };
    }

    private double packed(double params, long in, long out) {
        long groups = groupSize == 0 ? 1 : Math.ceilDiv(in, groupSize);
        double qweight = params * bits / 8;
        double qzeros = (double) groups * out * bits / 8;
        double scales = (double) groups * out * 2;
        return qweight + qzeros + scales;
    }
}
