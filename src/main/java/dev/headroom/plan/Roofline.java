package dev.headroom.plan;

import dev.headroom.plan.StepCostModel;
import dev.headroom.plan.StepWork;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.ModelSpec;
import dev.headroom.spec.ServeConfig;
import dev.headroom.spec.ServingSetup;
import java.util.Arrays;
import java.util.Objects;

/**
 * Roofline cost of one vLLM V1 engine step (vllm-internals.md §7.1, vllm-memory-2026.md §2):
 * {@code gpu = layers·floorCycles/clock + max(bytes / (BW·mbu), flops / (peak·mfu))}, {@code cpu = stepOverhead +
 * perSeq·seqs}, and the step takes {@code max(gpu, cpu)} under async scheduling (vLLM 0.14+), {@code gpu + cpu}
 * before.
 *
 * <p>Bytes: the weights a step streams once ({@link ModelSpec#streamedWeightBytes}: an untied input embedding is a
 * lookup of the step's rows, counted per token), every scheduled request's KV context once (attention reads), and the
 * sampler's passes over each sampled row's vocabulary ({@value #SAMPLER_BYTES_PER_LOGIT} B per logit). FLOPs:
 * {@code 2·P_matmul} per (padded) token, {@code 2·V·h} per sampled row for the LM head, and
 * {@code 4·L·heads·head_dim} per causal query–key pair. The floor is the launch-and-drain time of a decoder
 * layer's kernels, which cannot fill the GPU for small models: it grows with depth, not with batch, and is a number
 * of cycles of the GPU's boost clock. Element-wise
 * kernels (norms, rotary, activation, KV cache writes) move bytes per token at memory speed between the matmuls
 * and add to the step; they matter in large prefill steps of small models. A decode-only
 * batch is padded to the next CUDA-graph capture size unless {@code enforceEager}.
 */
public final class Roofline implements StepCostModel {

    /**
     * Memory traffic per logit of one sampled row in V1's random-sampling path (vllm/v1/sample/sampler.py,
     * ops/topk_topp_sampler.py forward_native): LM-head output written (2), read and cast to fp32 (2 + 4),
     * temperature divide in place (4 + 4), softmax (4 + 4), exponential noise written (4), probs.div_(q) (4 + 4 + 4)
     * and argmax (4).
     */
    public static final int SAMPLER_BYTES_PER_LOGIT = 48;

    private final RooflineInputs in;
    private final RooflineCalibration cal;
    private final int[] captureSizes;
    private final double matmulFlopsPerToken;
    private final double lmHeadFlopsPerSeq;
    private final double attentionFlopsPerPair;

    public Roofline(RooflineInputs inputs, RooflineCalibration calibration) {
        this.in = Objects.requireNonNull(inputs, "inputs");
        this.cal = Objects.requireNonNull(calibration, "calibration");
        this.captureSizes = inputs.enforceEager() ? new int[0]
                : cudaGraphCaptureSizes(inputs.maxNumSeqs(), inputs.maxNumBatchedTokens());
        this.matmulFlopsPerToken = 2 * inputs.perTokenMatmulParams();
        this.lmHeadFlopsPerSeq = 2.0 * inputs.vocabSize() * inputs.hiddenSize();
        this.attentionFlopsPerPair = 4.0 * inputs.numLayers() * inputs.numAttentionHeads() * inputs.headDim();
    }

    /** The roofline of {@code setup} with the default calibration. */
    public static Roofline from(ServingSetup setup) {
        return from(setup, RooflineCalibration.DEFAULTS);
    }

    /**
     * The roofline of {@code setup}: weights in the dtype vLLM resolved (fp16 where the GPU lacks bf16, whose
     * dense fp16 tensor rate the GPU entry carries), KV bytes per token from the cache layout, and per-GPU shares
     * of heads and parameters under tensor parallelism (all-reduce time not modelled).
     */
    public static Roofline from(ServingSetup setup, RooflineCalibration calibration) {
        ModelSpec m = setup.model();
        ServeConfig s = setup.serve();
        int tp = s.tensorParallelSize();
        RooflineInputs inputs = new RooflineInputs(m.streamedWeightBytes(s.dtype(), tp),
                KvCacheLayout.of(setup).bytesPerToken(),
                m.numHiddenLayers(), m.hiddenSize(), Math.max(1, m.numAttentionHeads() / tp), m.headDim(),
                (double) m.parameterCount() / tp, m.vocabSize(), m.tieWordEmbeddings(),
                setup.gpu().bandwidthBytesPerSecond(), setup.gpu().tensorFlopsPerSecond(),
                setup.gpu().gpu().boostClockHz(), s.enforceEager(),
                s.maxNumSeqs(), s.maxNumBatchedTokens(), Release.asyncScheduling(s.vllmVersion()),
                m.embeddingRowBytes(s.dtype()) + m.numHiddenLayers() * s.dtype().bytes()
                        * RooflineInputs.denseLayerActivationElements(m.hiddenSize(),
                        (long) m.numAttentionHeads() / tp * m.headDim(), (long) m.kvHeadsPerGpu(tp) * m.headDim(),
                        m.intermediateSize() / tp), linearFlopsPerSecond(setup));
        return new Roofline(inputs, calibration);
    }

    /**
     * The dense tensor rate the linear layers' GEMMs run at: twice the 16-bit rate (NVIDIA's data sheets: FP8 and INT8
     * dense are twice FP16/BF16 dense on every catalog GPU that has them) where vLLM runs them on 8-bit tensor cores;
     * FP8 weights with FP8 activations from compute capability 8.9 (vllm/model_executor/layers/quantization/fp8.py:
     * {@code cutlass_fp8_supported}, below 8.9 the weights run weight-only through the FP8 Marlin kernel) and INT8
     * w8a8 from 7.5 (compressed-tensors' cutlass {@code scaled_mm}). 4-bit AWQ/GPTQ (Marlin) and bitsandbytes
     * dequantize to 16 bits: the 16-bit rate.
     */
    static double linearFlopsPerSecond(ServingSetup setup) {
        Gpu gpu = setup.gpu().gpu();
        String method = setup.model().quantization().method();
        boolean eightBitCores = method.equals("fp8") && gpu.computeCapabilityNumber() >= 89
                || method.equals("w8a8") && gpu.computeCapabilityNumber() >= 75;
        return (eightBitCores ? 2 : 1) * setup.gpu().tensorFlopsPerSecond();
    }

    /**
     * vLLM's default capture sizes ({@code vllm/config/compilation.py}, v0.11+): {@code [1, 2, 4] + range(8, 256, 8)
     * + range(256, max + 1, 16)} with {@code max = min(2·max_num_seqs, 512)}, kept ≤ {@code max_num_batched_tokens}.
     */
    public static int[] cudaGraphCaptureSizes(int maxNumSeqs, int maxNumBatchedTokens) {
        int max = Math.min(maxNumSeqs * 2, 512);
        int[] sizes = new int[3 + 31 + 17];
        int n = 0;
        for (int s : new int[] {1, 2, 4}) sizes[n++] = s;
        for (int s = 8; s < 256; s += 8) sizes[n++] = s;
        for (int s = 256; s <= max; s += 16) sizes[n++] = s;
        return Arrays.stream(sizes, 0, n).filter(s -> s <= max && s <= maxNumBatchedTokens).toArray();
    }

    /** Tokens the forward pass really computes: a decode batch padded to a captured size, else as scheduled. */
    public int paddedTokens(StepWork work) {
        if (!work.decodeOnly()) return work.numTokens();
        int i = Arrays.binarySearch(captureSizes, work.numTokens());
        if (i >= 0) return captureSizes[i];
        int insert = -i - 1;
        return insert < captureSizes.length ? captureSizes[insert] : work.numTokens();
    }

    /** Time of the memory traffic alone, seconds. */
    public double memorySeconds(StepWork work) {
        double bytes = in.weightBytes() + in.kvBytesPerToken() * work.kvContextTokens()
                + (double) work.numSeqs() * in.vocabSize() * SAMPLER_BYTES_PER_LOGIT;
        return bytes / (in.memoryBandwidthBytesPerSec() * cal.mbu());
    }

    /**
     * Time of the arithmetic at the data sheet's dense rates, seconds: the linear layers' GEMMs at their rate, the LM
     * head (never quantized) and attention at the 16-bit rate.
     */
    public double peakComputeSeconds(StepWork work) {
        return matmulFlopsPerToken * paddedTokens(work) / in.linearFlopsPerSec()
                + (lmHeadFlopsPerSeq * work.numSeqs() + attentionFlopsPerPair * work.attentionPairs()) / in.peakFlopsPerSec();
    }

    /**
     * Time of the arithmetic alone, seconds: at the achieved fraction of the dense rates, {@code mfu_8bit} for linear
     * layers on 8-bit tensor cores, {@code mfu} for the rest.
     */
    public double computeSeconds(StepWork work) {
        double linear = matmulFlopsPerToken * paddedTokens(work) / in.linearFlopsPerSec();
        double rest = (lmHeadFlopsPerSeq * work.numSeqs() + attentionFlopsPerPair * work.attentionPairs())
                / in.peakFlopsPerSec();
        return linear / (in.eightBitGemms() ? cal.mfu8Bit() : cal.mfu()) + rest / cal.mfu();
    }

    /**
     * GPU time of the step, seconds: the per-layer kernel floor, the slower of the weight-and-KV traffic and the
     * matmul arithmetic, and the element-wise kernels between the matmuls, which run at memory speed on their own.
     */
    public double gpuSeconds(StepWork work) {
        double elementwise = paddedTokens(work) * in.activationBytesPerToken()
                / (in.memoryBandwidthBytesPerSec() * cal.mbu());
        return in.numLayers() * layerFloorSeconds() + Math.max(memorySeconds(work), computeSeconds(work)) + elementwise;
    }

    /** The per-layer floor on this GPU, seconds: the calibration's cycles at the GPU's boost clock. */
    public double layerFloorSeconds() {
        return cal.layerFloorSeconds(in.clockHz());
    }

    /** CPU time of the step (scheduling, input preparation, output processing), seconds. */
    public double cpuSeconds(StepWork work) {
        return cal.stepOverheadMs() * 1e-3 + cal.perSeqOverheadUs() * 1e-6 * work.numSeqs();
    }

    @Override
    public long stepNanos(StepWork work) {
        double gpu = gpuSeconds(work);
        double cpu = cpuSeconds(work);
        double seconds = in.asyncScheduling() ? Math.max(gpu, cpu) : gpu + cpu;
        return Math.max(1, Math.round(seconds * 1e9));
    }

    /** The API server's costs of the calibration. */
    @Override
    public FrontEnd frontEnd() {
        return cal.frontEnd();
    }

    public RooflineInputs inputs() {
        return in;
    }

    public RooflineCalibration calibration() {
        return cal;
    }
}
