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
 * the keys {@code mbu}, {@code mfu}, {@code step_overhead_ms}, {@code per_seq_overhead_us}).
 *
 * <p>Defaults come only from public measurements (vllm-internals.md §7.2), fitted by hand to the decode-step
 * model {@code t = overhead + perSeq·B + bytes / (BW·mbu)}:
 * <ul>
 *   <li>{@code mbu = 0.88}, {@code step_overhead_ms = 1.3}: the two single-stream points, Qwen2.5-0.5B on L4
 *       (ITL p50 5.1 ms; weights 0.99 GB, 3.29 ms at peak) and Llama-3.1-8B on A100-40GB (75 tok/s, 13.3 ms;
 *       16.2 GB, 10.4 ms at peak): two equations, two unknowns (0.87–0.90 and 1.3–1.45 ms depending on
 *       whether 75 tok/s is read as decode rate or end-to-end rate).</li>
 *   <li>{@code per_seq_overhead_us = 50}: the slope of the L4 ITL p50 over concurrency (5.1 / 5.5 / 6.0 / 7.1 ms
 *       at C = 1 / 8 / 16 / 32) after the KV-read term: CPU input preparation, sampling and output processing
 *       per request.</li>
 *   <li>{@code mfu = 0.5}: the 40–60% rule of thumb for large prefills (§7.1); no public prefill-only point.</li>
 * </ul>
 *
 * @param mbu              achieved fraction of peak memory bandwidth, (0, 1]
 * @param mfu              achieved fraction of peak tensor FLOP/s, (0, 1]
 * @param stepOverheadMs   fixed time per step (scheduling, launch, synchronisation), milliseconds
 * @param perSeqOverheadUs extra time per scheduled request per step, microseconds
 */
public record RooflineCalibration(double mbu, double mfu, double stepOverheadMs, double perSeqOverheadUs) {

    /** The documented defaults (see the class comment for their sources). */
    public static final RooflineCalibration DEFAULTS = new RooflineCalibration(0.88, 0.5, 1.3, 50);

    private static final List<String> KEYS = List.of("mbu", "mfu", "step_overhead_ms", "per_seq_overhead_us");

    public RooflineCalibration {
        fraction("mbu", mbu);
        fraction("mfu", mfu);
        nonNegative("step_overhead_ms", stepOverheadMs);
        nonNegative("per_seq_overhead_us", perSeqOverheadUs);
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
        double[] v = {DEFAULTS.mbu, DEFAULTS.mfu, DEFAULTS.stepOverheadMs, DEFAULTS.perSeqOverheadUs};
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int k = KEYS.indexOf(e.getKey());
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
        return new RooflineCalibration(v[0], v[1], v[2], v[3]);
    }

    private static void fraction(String key, double v) {
        if (!(v > 0 && v <= 1)) throw new IllegalArgumentException(key + " must be in (0, 1], was " + v);
    }

    private static void nonNegative(String key, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(key + " must be >= 0, was " + v);
    }
}
