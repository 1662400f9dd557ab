package dev.headroom.analysis;

import dev.headroom.metrics.PointErrors;
import dev.headroom.results.Point;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The repeats of one group at one load, combined: each value is the mean over the repeats that measured it, with
 * its spread (min and max) beside it.
 *
 * @param load    the load on the group's axis
 * @param repeats the points at this load, at least one
 */
public record LoadPoint(double load, List<Point> repeats) {

    public LoadPoint {
        repeats = List.copyOf(repeats);
        if (repeats.isEmpty()) throw new IllegalArgumentException("a load point needs at least one run");
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
