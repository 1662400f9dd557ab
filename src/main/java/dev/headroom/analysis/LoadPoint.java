package dev.headroom.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.metrics.PointErrors;
import dev.headroom.results.Point;
import dev.headroom.results.PredictionBlock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The repeats of one group at one load, combined: each value is the mean over the repeats that measured it, with
 * its spread (min and max) beside it. A figure headroom's simulator gave (predicted, or timed against the simulator)
 * also carries its published error: the P90 absolute error of its regime, as the run's summary.json recorded it
 * ({@link PredictionBlock}); a measured figure carries none.
 *
 * @param load        the load on the group's axis
 * @param repeats     the points at this load, at least one
 * @param p90ErrorPct per summary key, the P90 absolute error (percent, ≥ 0) of the simulator's regime for that
 *                    figure; empty for a measured point
 */
public record LoadPoint(double load, List<Point> repeats, Map<String, Double> p90ErrorPct) {

    public LoadPoint {
        repeats = List.copyOf(repeats);
        p90ErrorPct = Map.copyOf(p90ErrorPct);
        if (repeats.isEmpty()) throw new IllegalArgumentException("a load point needs at least one run");
    }

    /** A load point whose figures carry no published error (measured). */
    public LoadPoint(double load, List<Point> repeats) {
        this(load, repeats, Map.of());
    }

    /**
     * The load point of {@code repeats}, with the published error of each figure the first repeat's summary.json
     * recorded a prediction block for: repeats at one load share one regime, so one block serves them all.
     */
    static LoadPoint of(double load, List<Point> repeats) {
        JsonNode summary = PredictionBlock.summary(repeats.get(0).dir());
        Map<String, Double> errors = new LinkedHashMap<>();
        if (summary.path(PredictionBlock.KEY).isObject()) {
            for (Point p : repeats) {
                for (String key : p.values().keySet()) {
                    if (!errors.containsKey(key)) {
                        PredictionBlock.band(summary, key).ifPresent(b -> errors.put(key, b.p90AbsPct()));
                    }
                }
            }
        }
        return new LoadPoint(load, repeats, errors);
    }

    /** Whether any figure carries a published error: the simulator gave this point. */
    public boolean ranged() {
        return !p90ErrorPct.isEmpty();
    }

    /**
     * The range of {@code key}'s mean, {@code mean·(1 ∓ P90/100)} in the figure's unit, low end at least 0; null
     * when no repeat measured it or the figure carries no published error.
     */
    public Range range(String key) {
        Double v = mean(key);
        Double pct = p90ErrorPct.get(key);
        if (v == null || pct == null) return null;
        return new Range(Math.max(0, v * (1 - pct / 100)), v * (1 + pct / 100));
    }

    /**
     * A figure's range under its published error: 9 of 10 held-out predictions of the error corpus fell within it.
     *
     * @param low  the low end, in the figure's unit
     * @param high the high end, at least {@code low}
     */
    public record Range(double low, double high) {
        public Range {
            if (!(low <= high)) throw new IllegalArgumentException("a range's low end " + low + " is above its high end " + high);
        }
    }

    /** The closed-loop level or cap, as the first repeat has it. */
    public Integer concurrency() {
        return repeats.get(0).concurrency();
    }

    /** The open-loop rate, as the first repeat has it. */
    public Double rate() {
        return repeats.get(0).rate();
    }

    /** The first repeat: its folder and the server config it ran under. */
    public Point first() {
        return repeats.get(0);
    }

    /** Mean of {@code key} as a double, NaN when no repeat measured it: for tables, which print NaN as a dash. */
    public double num(String key) {
        Double v = mean(key);
        return v == null ? Double.NaN : v;
    }

    /**
     * Whether the server served this load ({@link dev.headroom.metrics.PointErrors#served}): it did not fail as a
     * whole and its mean server error rate is at most {@code maxErrorRate} (0–1). Only such a load's throughput is
     * a throughput the server gives.
     */
    public boolean served(double maxErrorRate) {
        return !broken() && errorRate() <= maxErrorRate && mean("completed") != null && mean("completed") > 0;
    }

    /** Mean of {@code key} over the repeats that measured it, or null when none did. */
    public Double mean(String key) {
        return combine(key, Stat.MEAN);
    }

    /** Smallest {@code key} over the repeats, or null. */
    public Double min(String key) {
        return combine(key, Stat.MIN);
    }

    /** Largest {@code key} over the repeats, or null. */
    public Double max(String key) {
        return combine(key, Stat.MAX);
    }

    /** The 95% confidence interval of {@code key}'s mean over the repeats ({@link RepeatInterval}). */
    public RepeatInterval interval(String key) {
        return RepeatInterval.of(repeats.stream().map(p -> p.value(key)).toList());
    }

    private enum Stat { MEAN, MIN, MAX }

    private Double combine(String key, Stat stat) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (Point p : repeats) {
            Double v = p.value(key);
            if (v == null || v.isNaN()) continue;
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            n++;
        }
        if (n == 0) return null;
        return switch (stat) {
            case MEAN -> sum / n;
            case MIN -> min;
            case MAX -> max;
        };
    }

    /** Mean over the repeats of the share of requests the server failed or cut short, 0–1. */
    public double errorRate() {
        return meanOf(Point::errorRate);
    }

    /** Mean over the repeats of the share of requests the client failed itself, 0–1. */
    public double clientErrorRate() {
        return meanOf(p -> p.errors().clientErrorRate());
    }

    /** The repeats' request counts added up. */
    public PointErrors errors() {
        return repeats.stream().map(Point::errors).reduce(new PointErrors(0, 0, 0, 0), (a, b) -> new PointErrors(
                a.completed() + b.completed(), a.failed() + b.failed(), a.clientFailed() + b.clientFailed(),
                a.shortOutputs() + b.shortOutputs()));
    }

    /** Whether any repeat was limited by the client. */
    public boolean clientLimited() {
        return repeats.stream().anyMatch(Point::clientLimited);
    }

    /** Whether every repeat delivered the load it names: only such a load can be recommended. */
    public boolean delivered() {
        return repeats.stream().allMatch(Point::delivered);
    }

    /** Whether every repeat failed as a whole (server died, point failed). */
    public boolean broken() {
        return repeats.stream().allMatch(Point::broken);
    }

    private double meanOf(ToDoubleFunction<Point> f) {
        return repeats.stream().mapToDouble(f).average().orElse(0);
    }

    /** The first repeat's status when all agree, else {@code mixed}. */
    public String status() {
        String first = repeats.get(0).status();
        return repeats.stream().allMatch(p -> Objects.equals(p.status(), first)) ? first : "mixed";
    }
}
