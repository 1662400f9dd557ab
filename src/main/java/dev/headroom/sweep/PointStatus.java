package dev.headroom.sweep;

import java.util.Locale;
import java.util.Map;

/** How a load point of a sweep ended: capacity.csv's {@code status} column. */
public enum PointStatus {
    /** It ran to the end. */
    OK,
    /** The load stopped before the end: --max-error-rate, or a signal (its partial results are kept). */
    STOPPED_EARLY,
    /** The server was gone (before or during the point). */
    SERVER_DIED,
    /** It could not run, or every request failed. */
    FAILED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status of a point from its summary.json: stopped early, failed (nothing completed) or ok. */
    static PointStatus of(Map<String, Object> summary) {
        if (summary.get("stopped_early") != null) return STOPPED_EARLY;
        Object completed = summary.get("completed");
        if (!(completed instanceof Number n) || n.intValue() == 0) return FAILED;
        return OK;
    }
}
