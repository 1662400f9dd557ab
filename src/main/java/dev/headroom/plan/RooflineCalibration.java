package dev.headroom.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The named efficiencies of the roofline step cost ({@code --calibration FILE}, YAML or JSON with any subset of
 * the keys {@code mbu}, {@code mfu}, {@code mfu_8bit}, {@code step_overhead_ms}, {@code per_seq_overhead_us},
 * {@code layer_floor_cycles}, {@code band_percent}, and the API server's {@code front_end_ms},
 * {@code front_end_prompt_token_us}, {@code front_end_output_token_us}); {@code headroom calibrate} writes such a file.
 *
 * <p>Defaults come only from public measurements (vllm-internals.md §7.2), solved by hand from the step model
 * (not tuned to the sweep that checks them):
 * <ul>
 *   <li>{@code mbu}: fitted on the public step-time corpus with the floor ({@link StepCoefficients#BUNDLED}). It was
 *       0.93, solved by hand with a floor of 64 µs per layer from the two single-stream points of vLLM 0.23,
 *       Qwen2.5-0.5B on L4 (TPOT 5.13 ms = (E2E p50 679 - TTFT p50 27) / 127; weights 0.99 GB, 24 layers) and
 *       Llama-3.1-8B on A100-40GB (75 tok/s, 13.3 ms; 16.06 GB, 32 layers): two equations
 *       {@code t = L·floor + bytes / (BW·mbu)}, two unknowns ({@link #HAND_SET}). Fitted with a floor in µs it
 *       traded against the floor and generalised worse; with the floor in cycles it generalises better
 *       (docs/fidelity.md).</li>
 *   <li>{@code layer_floor_cycles}: the per-layer floor is a decoder layer's kernels' launch-and-drain time, a fixed
 *       number of cycles of the GPU's clock (about ten small kernels; vllm-memory-2026.md §2.2 expects 40-80 µs),
 *       so it is counted in cycles of the boost clock ({@link dev.headroom.spec.Gpu#boostClockHz}) and is shorter on
 *       a faster-clocked GPU: the single-stream steps of the corpus imply 55 µs on the H100 (1,980 MHz), 64 on the
 *       L4 (2,040), 48 on the RTX 5090 (2,407) and 88 on the A100 (1,410), about 110-130 thousand cycles on each.
 *       Fitted on the public step-time corpus ({@link StepCoefficients#BUNDLED}) with {@code mbu} and the tensor
 *       rate; the hand-set value is the 64 µs on the L4's clock (130,560 cycles).</li>
 *   <li>{@code step_overhead_ms = 1.3}, {@code per_seq_overhead_us = 50}: CPU time per step and per request
 *       (scheduling, input preparation, output processing); visible only without async scheduling (before 0.14),
 *       where the V1 blog and PR #8050 put it at 1-2 ms per step.</li>
 *   <li>{@code mfu}: fitted on the public step-time corpus ({@link StepCoefficients#BUNDLED}: the value on a grid
 *       of 0.30–0.80 that best matches its step times and single-stream TTFTs; {@code headroom selftest fidelity}
 *       prints its held-out error). The hand-set 0.5 (the 40–60% rule of thumb, §7.1) made every prefill-heavy
 *       point of the corpus too slow.</li>
 *   <li>the API server's costs ({@link FrontEnd}): fitted on the public step-time corpus with the step model
 *       ({@link StepCoefficients#BUNDLED}, whose file cites the fit's held-out error).</li>
 *   <li>{@code band_percent = 10}: half-width of the band printed around an uncalibrated step-time prediction, the
 *       worst TPOT error of the regression corpus ({@code headroom selftest fidelity}, 9.4%) rounded up.</li>
 * </ul>
 *
 * @param mbu              achieved fraction of peak memory bandwidth, (0, 1]
 * @param mfu              achieved fraction of peak tensor FLOP/s, (0, 1]
 * @param stepOverheadMs   CPU time per step (scheduling, input preparation, output processing), milliseconds
 * @param perSeqOverheadUs extra CPU time per scheduled request per step, microseconds
 * @param layerFloorCycles GPU time per decoder layer and step that does not shrink with the work, in cycles of the
 *                         GPU's boost clock
 * @param bandPercent      half-width of the prediction band, percent of the predicted time
 * @param frontEnd         the API server's time around the engine
 * @param mfu8Bit          achieved fraction of the 8-bit tensor FLOP/s by the linear layers' GEMMs where they run on
 *                         8-bit tensor cores (FP8 or INT8 weights and activations), (0, 1]
 */
public record RooflineCalibration(double mbu, double mfu, double stepOverheadMs, double perSeqOverheadUs,
                                  double layerFloorCycles, double bandPercent, FrontEnd frontEnd, double mfu8Bit) {

    /** The hand-solved per-layer floor, 64 µs, in cycles of the L4's 2,040 MHz boost clock (its point was an L4's). */
    public static final double HAND_SET_FLOOR_CYCLES = 64e-6 * 2040e6;

    /** The documented defaults (see the class comment for their sources). */
    public static final RooflineCalibration DEFAULTS = new RooflineCalibration(StepCoefficients.BUNDLED.rooflineMbu(),
            StepCoefficients.BUNDLED.rooflineMfu(), 1.3, StepCoefficients.BUNDLED.rooflinePerSeqUs(),
            StepCoefficients.BUNDLED.rooflineLayerFloorCycles(), 10,
            StepCoefficients.BUNDLED.frontEnd(), StepCoefficients.BUNDLED.rooflineMfu8Bit());

    /**
     * The constants as they were set by hand before the corpus fit ({@code mfu = 0.5}, the rule of thumb), with no
     * API server: the baseline {@code selftest fidelity} compares against, and what the fits start from.
     */
    public static final RooflineCalibration HAND_SET = new RooflineCalibration(0.93, 0.5, 1.3, 50, HAND_SET_FLOOR_CYCLES,
            10, FrontEnd.NONE, 0.5);

    /** The keys of a calibration file, in the order of {@link #values()}. */
    public static final List<String> KEYS = List.of("mbu", "mfu", "step_overhead_ms", "per_seq_overhead_us",
            "layer_floor_cycles", "band_percent", "front_end_ms", "front_end_prompt_token_us", "front_end_output_token_us",
            "mfu_8bit");

    /** A calibration whose 8-bit GEMMs reach the fraction the corpus fit found ({@link StepCoefficients#BUNDLED}). */
    public RooflineCalibration(double mbu, double mfu, double stepOverheadMs, double perSeqOverheadUs,
                               double layerFloorCycles, double bandPercent, FrontEnd frontEnd) {
        this(mbu, mfu, stepOverheadMs, perSeqOverheadUs, layerFloorCycles, bandPercent, frontEnd,
                StepCoefficients.BUNDLED.rooflineMfu8Bit());
    }

    /** A calibration of the engine's steps alone, the API server's costs left as by default. */
    public RooflineCalibration(double mbu, double mfu, double stepOverheadMs, double perSeqOverheadUs,
                               double layerFloorCycles, double bandPercent) {
        this(mbu, mfu, stepOverheadMs, perSeqOverheadUs, layerFloorCycles, bandPercent,
                StepCoefficients.BUNDLED.frontEnd());
    }

    public RooflineCalibration {
        fraction("mbu", mbu);
        fraction("mfu", mfu);
        fraction("mfu_8bit", mfu8Bit);
        nonNegative("step_overhead_ms", stepOverheadMs);
        nonNegative("per_seq_overhead_us", perSeqOverheadUs);
        nonNegative("layer_floor_cycles", layerFloorCycles);
        nonNegative("band_percent", bandPercent);
        java.util.Objects.requireNonNull(frontEnd, "frontEnd");
    }

    /** The per-layer floor on a GPU whose clock runs at {@code clockHz}, seconds. */
    public double layerFloorSeconds(double clockHz) {
        return layerFloorCycles / clockHz;
    }

    /** This calibration with the API server's costs {@code f}. */
    public RooflineCalibration withFrontEnd(FrontEnd f) {
        return new RooflineCalibration(mbu, mfu, stepOverheadMs, perSeqOverheadUs, layerFloorCycles, bandPercent, f,
                mfu8Bit);
    }

    /** This calibration with the bandwidth efficiency {@code mbu} and the per-layer floor {@code floorCycles}. */
    public RooflineCalibration withMemory(double mbu, double floorCycles) {
        return new RooflineCalibration(mbu, mfu, stepOverheadMs, perSeqOverheadUs, floorCycles, bandPercent, frontEnd,
                mfu8Bit);
    }

    /** This calibration with the engine-core CPU per scheduled request {@code us}. */
    public RooflineCalibration withPerSeqOverheadUs(double us) {
        return new RooflineCalibration(mbu, mfu, stepOverheadMs, us, layerFloorCycles, bandPercent, frontEnd, mfu8Bit);
    }

    /** This calibration with a prediction band of {@code percent}. */
    public RooflineCalibration withBandPercent(double percent) {
        return new RooflineCalibration(mbu, mfu, stepOverheadMs, perSeqOverheadUs, layerFloorCycles, percent, frontEnd,
                mfu8Bit);
    }

    /** The values in the order of {@link #KEYS}. */
    public double[] values() {
        return new double[] {mbu, mfu, stepOverheadMs, perSeqOverheadUs, layerFloorCycles, bandPercent,
                frontEnd.perRequestMs(), frontEnd.perPromptTokenUs(), frontEnd.perOutputTokenUs(), mfu8Bit};
    }

    /** A calibration from values in the order of {@link #KEYS}. */
    public static RooflineCalibration of(double[] v) {
        return new RooflineCalibration(v[0], v[1], v[2], v[3], v[4], v[5], new FrontEnd(v[6], v[7], v[8]), v[9]);
    }

    /** Reads a calibration file; keys not given keep their defaults, unknown keys are rejected. */
    public static RooflineCalibration load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("--calibration " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("--calibration " + file + ": expected a mapping of " + KEYS);
        }
        double[] v = DEFAULTS.values();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int k = KEYS.indexOf(e.getKey());
            if (e.getKey().equals("layer_floor_us")) {
                throw new IllegalArgumentException("--calibration " + file + ": layer_floor_us is no longer read: the "
                        + "per-layer floor is now layer_floor_cycles, cycles of the GPU's boost clock (µs × MHz, e.g. "
                        + "64 µs on an L4 at 2,040 MHz is 130560); run headroom calibrate again or convert it");
            }
            if (k < 0) {
                throw new IllegalArgumentException("--calibration " + file + ": unknown key '" + e.getKey()
                        + "'; known keys: " + String.join(", ", KEYS));
            }
            if (!e.getValue().isNumber()) {
                throw new IllegalArgumentException("--calibration " + file + ": " + e.getKey()
                        + " must be a number, was " + e.getValue());
            }
            v[k] = e.getValue().asDouble();
        }
        return of(v);
    }

    /** Writes this calibration as YAML that {@link #load} reads back, {@code header} as a comment on top. */
    public void write(Path file, String header) {
        StringBuilder sb = new StringBuilder();
        header.lines().forEach(l -> sb.append("# ").append(l).append('\n'));
        double[] v = values();
        for (int i = 0; i < KEYS.size(); i++) {
            sb.append(KEYS.get(i)).append(": ").append(String.format(java.util.Locale.ROOT, "%.6g", v[i])).append('\n');
        }
        try {
            Files.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("calibrate: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void fraction(String key, double v) {
        if (!(v > 0 && v <= 1)) throw new IllegalArgumentException(key + " must be in (0, 1], was " + v);
    }

    private static void nonNegative(String key, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(key + " must be >= 0, was " + v);
    }
}
