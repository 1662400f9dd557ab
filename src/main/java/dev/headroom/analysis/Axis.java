package dev.headroom.analysis;

import dev.headroom.results.Point;
import java.util.List;

/** The load a group's curve runs along: closed-loop concurrency or open-loop request rate. */
public enum Axis {
    CONCURRENCY("concurrency"),
    RATE("rate");

    private final String key;

    Axis(String key) {
        this.key = key;
    }

    /** The JSON key and the word in sentences: {@code concurrency}, {@code rate}. */
    public String key() {
        return key;
    }

    /** A group's axis: rate when every point has one, else concurrency. */
    static Axis of(List<Point> points) {
        return !points.isEmpty() && points.stream().allMatch(p -> p.rate() != null) ? RATE : CONCURRENCY;
    }

    /** The point's load on this axis, or null when it has none. */
    Double load(Point p) {
        return switch (this) {
            case CONCURRENCY -> p.concurrency() == null ? null : p.concurrency().doubleValue();
            case RATE -> p.rate();
        };
    }

    /** The bare level for "beyond 32": {@code 32}, {@code 2.5 req/s}. */
    String brief(double load) {
        return this == CONCURRENCY ? Text.number(load) : Text.number(load) + " req/s";
    }

    /** {@code concurrency 24}, {@code rate 2.5 req/s}. */
    String describe(double load) {
        return switch (this) {
            case CONCURRENCY -> "concurrency " + Text.number(load);
            case RATE -> "rate " + Text.number(load) + " req/s";
        };
    }
}
