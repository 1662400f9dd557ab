package dev.headroom.pipeline;

import java.time.Duration;

/** A duration written as the command line reads it ({@code 10m}, {@code 5s}, {@code 500ms}), not ISO-8601's {@code PT10M}. */
public final class DurationText {

    private DurationText() {}

    public static String of(Duration d) {
        long ms = d.toMillis();
        if (ms > 0 && ms % 60_000 == 0) return ms / 60_000 + "m";
        if (ms > 0 && ms % 1_000 == 0) return ms / 1_000 + "s";
        return ms + "ms";
    }
}
