package dev.headroom.plan;

import java.util.List;

/**
 * The physics basis of a step-time model: each term is a time a step spends for one physical reason, before a
 * learned coefficient scales it ({@link StepFit}). A step (or a sum of steps) is described by its feature vector,
 * one value per term, in seconds at the GPU's peak rates; the predicted time is {@code Σ coefficient·feature}.
 * Coefficients of the first three terms are dimensionless (1 / achieved efficiency); of the others, the time in
 * the term's unit. The last three are the API server's ({@link FrontEnd}), outside the engine's steps.
 */
public enum StepBasis {
    /** All weights read once per step: weight bytes / peak bandwidth. */
    WEIGHTS("weight loading", "x"),
    /**
     * Per-token memory traffic: the KV cache read by attention (decode and prefill context), the element-wise
     * kernels between the matmuls and the sampler's passes over each sampled row's logits; bytes / peak bandwidth.
     */
    KV_TRAFFIC("KV and per-token traffic", "x"),
    /** Matmul, LM-head and attention arithmetic (prefill and decode tokens): FLOPs / peak tensor rate. */
    COMPUTE("compute", "x"),
    /** Kernel launch and drain per decoder layer and step, thousands of cycles of the GPU's boost clock. */
    PER_LAYER("per layer", "k cycles"),
    /** Per scheduled request and step (input preparation, sampling, output processing), microseconds. */
    PER_SEQ("per request in batch", "us"),
    /** Per step (scheduler, engine-core loop), milliseconds. */
    PER_STEP("per step", "ms"),
    /** Outside the engine, once per request before its first step (HTTP, validation, hand-off), ms. */
    FRONT_END("API server per request", "ms"),
    /** Outside the engine, tokenization per prompt token before the request's first step, microseconds. */
    PROMPT_TOKEN("API server per prompt token", "us"),
    /** Outside the engine, detokenization and streaming per output token of a step, microseconds. */
    OUTPUT_TOKEN("API server per output token", "us");

    private final String label;
    private final String unit;

    StepBasis(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    /** Plain name of the term. */
    public String label() {
        return label;
    }

    /** Unit of its coefficient: {@code x} (a multiplier of the peak-rate time), {@code us} or {@code ms}. */
    public String unit() {
        return unit;
    }

    /** Every term, in order. */
    public static final List<StepBasis> ALL = List.of(values());

    /**
     * The feature vector of one engine step on {@code roofline}'s model and GPU (seconds at peak rates, or the
     * count the term's unit scales), indexed by {@link #ordinal()}; the API server's terms are 0 for a step.
     */
    public static double[] step(Roofline roofline, StepWork work) {
        RooflineInputs in = roofline.inputs();
        double bw = in.memoryBandwidthBytesPerSec();
        double[] f = new double[ALL.size()];
        // The roofline's max: a step is bound by memory or by arithmetic (decided at the default efficiencies),
        // and only the binding side's terms carry time; the other side overlaps it.
        if (roofline.memorySeconds(work) >= roofline.computeSeconds(work)) {
            f[WEIGHTS.ordinal()] = in.weightBytes() / bw;
            f[KV_TRAFFIC.ordinal()] = (in.kvBytesPerToken() * work.kvContextTokens()
                    + (double) work.numSeqs() * in.vocabSize() * Roofline.SAMPLER_BYTES_PER_LOGIT) / bw;
        } else {
            f[COMPUTE.ordinal()] = roofline.peakComputeSeconds(work);
        }
        // Element-wise kernels run at memory speed on their own in either regime (Roofline.gpuSeconds).
        f[KV_TRAFFIC.ordinal()] += roofline.paddedTokens(work) * in.activationBytesPerToken() / bw;
        f[PER_LAYER.ordinal()] = in.numLayers() * 1e3 / in.clockHz();
        f[PER_SEQ.ordinal()] = work.numSeqs() * 1e-6;
        f[PER_STEP.ordinal()] = 1e-3;
        return f;
    }

    /**
     * The API server's time in one request's TTFT as a feature vector: its ingestion (one request, its prompt
     * tokens) and, on average, half of its first step's {@code batchTokens} outputs streamed before its own.
     */
    public static double[] frontEnd(int promptTokens, int batchTokens) {
        double[] f = new double[ALL.size()];
        f[FRONT_END.ordinal()] = 1e-3;
        f[PROMPT_TOKEN.ordinal()] = promptTokens * 1e-6;
        f[OUTPUT_TOKEN.ordinal()] = (batchTokens + 1) / 2.0 * 1e-6;
        return f;
    }

    /** The API server's costs that {@code coefficients} (indexed by {@link #ordinal()}) carry. */
    public static FrontEnd frontEndOf(double[] coefficients) {
        return new FrontEnd(coefficients[FRONT_END.ordinal()], coefficients[PROMPT_TOKEN.ordinal()],
                coefficients[OUTPUT_TOKEN.ordinal()]);
    }

    /** {@code a + scale·b}, element-wise (a new array). */
    public static double[] plus(double[] a, double[] b, double scale) {
        double[] r = a.clone();
        for (int i = 0; i < r.length; i++) r[i] += scale * b[i];
        return r;
    }

    /** Seconds predicted for {@code features} under {@code coefficients}. */
    public static double seconds(double[] features, double[] coefficients) {
        double s = 0;
        for (int i = 0; i < features.length; i++) s += features[i] * coefficients[i];
        return s;
    }
}
