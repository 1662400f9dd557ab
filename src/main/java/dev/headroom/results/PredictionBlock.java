package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.headroom.plan.PredictionBands;
import dev.headroom.plan.PredictionBands.Band;
import dev.headroom.plan.PredictionBands.Metric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * summary.json's {@code prediction} block of a predicted run: per metric the band of its regime from the published
 * held-out errors ({@link PredictionBands}) and the range of each of the run's figures of that metric, and what of
 * the run lies outside the error corpus's coverage. Measured runs have no such block.
 */
public final class PredictionBlock {

    /** The block's key in summary.json. */
    public static final String KEY = "prediction";

    private PredictionBlock() {}

    /** The summary keys a metric's band applies to: its means and percentiles, its throughputs, its KV blocks. */
    static boolean figureOf(Metric metric, String key) {
        return switch (metric) {
            case TTFT, TPOT, ITL -> latency(metric.key()).matcher(key).matches();
            case E2E -> latency("e2el").matcher(key).matches();
            case THROUGHPUT -> key.equals("request_throughput") || key.equals("output_throughput")
                    || key.equals("total_token_throughput");
            case KV_TOKENS -> key.equals("server_num_gpu_blocks");
        };
    }

    private static Pattern latency(String name) {
        return Pattern.compile("(mean|median|p\\d+)_" + name + "_ms");
    }

    /**
     * The block for a predicted run whose summary is {@code summary} (its figures give the ranges).
     *
     * @param run the run as the bands see it
     */
    public static Map<String, Object> of(PredictionBands bands, PredictionBands.Run run, Map<String, Object> summary) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("error_table", bands.generatedBy());
        block.put("step_model", bands.stepModel());
        block.put("gpu_in_corpus", bands.gpuSeen(run));
        block.put("size", PredictionBands.Size.of(run.paramsBillions()).key());
        block.put("load", PredictionBands.Load.of(run.concurrency()).key());
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (Metric metric : Metric.values()) {
            bands.band(metric, run).ifPresent(band -> metrics.put(metric.key(), metric(metric, band, summary)));
        }
        block.put("metrics", metrics);
        block.put("outside_coverage", bands.outsideCoverage(run));
        return block;
    }

    private static Map<String, Object> metric(Metric metric, Band band, Map<String, Object> summary) {
        PredictionBands.Cell cell = band.cell();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median_abs_pct", cell.medianAbsPct());
        m.put("p90_abs_pct", cell.p90AbsPct());
        m.put("points", cell.points());
        m.put("gpu_seen", cell.gpuSeen());
        m.put("size", cell.size().key());
        m.put("load", cell.load().key());
        m.put("regime", cell.regime());
        Map<String, Object> ranges = new LinkedHashMap<>();
        summary.forEach((key, value) -> {
            if (value instanceof Number n && figureOf(metric, key)) {
                double[] r = band.range(n.doubleValue());
                ranges.put(key, List.of(round(r[0]), round(r[1])));
            }
        });
        m.put("ranges", ranges);
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    /**
     * The band of one figure of a summary.json, read back: its range and the error behind it.
     *
     * @param low            the range's low end, in the figure's unit
     * @param high           the range's high end
     * @param p90AbsPct      the P90 absolute error the range is drawn from, percent
     * @param outsideCoverage the run's coverage notes (empty when the run lies inside the corpus)
     */
    public record FigureBand(double low, double high, double p90AbsPct, List<String> outsideCoverage) {

        /** The range of another figure {@code v} of the same metric (a mean over repeats, say): v·(1 ∓ P90/100). */
        public double[] around(double v) {
            return new double[] {v * (1 - p90AbsPct / 100), v * (1 + p90AbsPct / 100)};
        }
    }

    /** A run folder's summary.json as a tree; a missing node when the folder (or its summary.json) is absent. */
    public static JsonNode summary(Path runDir) {
        Path file = runDir == null ? null : runDir.resolve("summary.json");
        if (file == null || !Files.isRegularFile(file)) return MissingNode.getInstance();
        try {
            return JsonMapper.builder().build().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /** The band of {@code key} in a summary.json, or empty for a measured run or a figure without one. */
    public static Optional<FigureBand> band(JsonNode summary, String key) {
        JsonNode block = summary.path(KEY);
        if (!block.isObject()) return Optional.empty();
        for (Map.Entry<String, JsonNode> e : block.path("metrics").properties()) {
            JsonNode r = e.getValue().path("ranges").path(key);
            if (r.isArray() && r.size() == 2) {
                return Optional.of(new FigureBand(r.get(0).asDouble(), r.get(1).asDouble(),
                        e.getValue().path("p90_abs_pct").asDouble(), notes(summary)));
            }
        }
        return Optional.empty();
    }

    /** The coverage notes of a summary.json's prediction block; empty for a measured run or one inside the corpus. */
    public static List<String> notes(JsonNode summary) {
        List<String> out = new ArrayList<>();
        summary.path(KEY).path("outside_coverage").forEach(n -> out.add(n.asText()));
        return out;
    }
}
