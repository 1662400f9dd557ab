package dev.headroom.sweep;

import dev.headroom.metrics.PointErrors;
import java.util.Locale;
import java.util.Map;

/** How a load point of a sweep ended: capacity.csv's {@code status} column (docs/formats.md). */
public enum PointStatus {
    /** It ran to the end and the server served it ({@link PointErrors#served}). */
    OK,
    /** It ran to the end, but the server failed or cut short more of its requests than the error rule allows. */
    ERRORS,
    /** The load stopped before the end: --max-error-rate, or a signal (its partial results are kept). */
    STOPPED_EARLY,
    /** The server was gone (before or during the point). */
    SERVER_DIED,
    /** It could not reach the server, the server refused the setup, or every request failed. */
    FAILED,
    /** An error inside headroom stopped the point (its cause is in capacity.csv's {@code error}); not the server's. */
    TOOL_ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status of a point from its summary.json: stopped early, failed (nothing completed), errors (the server's
     * error rate, by {@link PointErrors}, above {@code maxErrorRate}, 0–1) or ok.
     */
    static PointStatus of(Map<String, Object> summary, double maxErrorRate) {
        if (summary.get("stopped_early") != null) return STOPPED_EARLY;
        PointErrors errors = errors(summary);
        if (errors.completed() == 0) return FAILED;
        return errors.served(maxErrorRate) ? OK : ERRORS;
    }

    /** A summary.json's request counts under the one error rule; absent keys count 0. */
    static PointErrors errors(Map<String, Object> summary) {
        return PointErrors.of(key -> summary.get(key) instanceof Number n ? n.doubleValue() : null);
    }
}
