package dev.headroom.spec;

import java.util.Set;

/**
 * How a checkpoint's linear-layer weights are stored ({@code quantization_config} in config.json).
 * Embeddings, the LM head and norms stay in the model dtype in every scheme here.
 *
 * @param method     none, awq, gptq, fp8 or w8a8 (compressed-tensors int8)
 * @param bits       weight bits (16 when unquantized)
 * @param groupSize  input rows per scale group for AWQ/GPTQ; 0 when not grouped
 */
public record Quantization(String method, int bits, int groupSize) {

    private static final Set<String> METHODS = Set.of("none", "awq", "gptq", "fp8", "w8a8");

    /** An unquantized checkpoint. */
    public static final Quantization NONE = new Quantization("none", 16, 0);

    public Quantization {
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("quantization_config.quant_method: unsupported '" + method
                    + "'; supported: awq, gptq, fp8, compressed-tensors (w8a8/fp8)");
        }
        if (bits != 4 && bits != 8 && bits != 16) {
            throw new IllegalArgumentException("quantization_config.bits: unsupported " + bits + "; supported: 4, 8");
        }
        if (groupSize < 0) throw new IllegalArgumentException("quantization_config.group_size must be >= 0, was " + groupSize);
    }

    /**
     * Bytes a linear weight of {@code in × out} takes in this scheme, including its scales and zero points.
     * AWQ (vllm/model_executor/layers/quantization/awq.py): int32 qweight packing 32/bits values, int32 qzeros
     * per group and output/pack, fp16 scales per group and output. GPTQ (gptq.py) adds an int32 g_idx per
     * input row. FP8 (fp8.py): one byte per weight plus a float32 scale per tensor. W8A8 int8
     * (compressed-tensors): one byte per weight plus a float32 scale per output channel.
     */
    public double linearBytes(long in, long out, int modelDtypeBytes) {
        double params = (double) in * out;
        return switch (method) {
            case "none" -> params * modelDtypeBytes;
            case "awq" -> packed(params, in, out);
            case "gptq" -> packed(params, in, out) + 4.0 * in;
            case "fp8" -> params + 4;
            default -> params + 4.0 * out;
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
