package dev.headroom.metrics;

import java.util.function.Function;

/**
 * The one rule for a load point's failures, applied alike by the sweep's progress line, capacity.csv, analyze, the
 * report and the playbook. A request counts against the server when the server failed it or cut it short (finished
 * with fewer output tokens than asked while the run asked for exact output); a request that failed because of the
 * client's own connection handling, or of an error inside headroom, counts against the client, not the server.
 *
 * @param completed    requests that finished with a response (summary.json {@code completed})
 * @param failed       requests that failed, whoever caused it ({@code failed}); includes {@code clientFailed}
 * @param clientFailed failed requests the client caused ({@code client_failed}); at most {@code failed}
 * @param shortOutputs completed requests the server cut short ({@code short_outputs}); at most {@code completed}
 */
public record PointErrors(int completed, int failed, int clientFailed, int shortOutputs) {

    /** The largest server error rate, 0–1, at which a point still counts as served: analyze's default. */
    public static final double DEFAULT_MAX_ERROR_RATE = 0.01;

    public PointErrors {
        if (completed < 0 || failed < 0 || clientFailed < 0 || shortOutputs < 0) {
            throw new IllegalArgumentException("request counts cannot be negative: completed " + completed + ", failed "
                    + failed + ", client_failed " + clientFailed + ", short_outputs " + shortOutputs);
        }
        if (clientFailed > failed) {
            throw new IllegalArgumentException("client_failed " + clientFailed + " exceeds failed " + failed);
        }
        if (shortOutputs > completed) {
            throw new IllegalArgumentException("short_outputs " + shortOutputs + " exceeds completed " + completed);
        }
    }

    /**
     * A point's counts from its summary.json keys ({@code completed}, {@code failed}, {@code client_failed},
     * {@code short_outputs}); a key that is absent (older files) counts 0.
     */
    public static PointErrors of(Function<String, Double> value) {
        int completed = count(value.apply("completed"));
        int failed = count(value.apply("failed"));
        int clientFailed = Math.min(failed, count(value.apply("client_failed")));
        int shortOutputs = Math.min(completed, count(value.apply("short_outputs")));
        return new PointErrors(completed, failed, clientFailed, shortOutputs);
    }

    private static int count(Double v) {
        return v == null || v.isNaN() || v < 0 ? 0 : (int) Math.round(v);
    }

    /** Requests sent and settled: completed plus failed. */
    public int sent() {
        return completed + failed;
    }

    /** Requests the server failed or cut short. */
    public int serverFailures() {
        return failed - clientFailed + shortOutputs;
    }

    /** The share of sent requests the server failed or cut short, 0–1; 0 when nothing was sent. */
    public double serverErrorRate() {
        return sent() == 0 ? 0 : (double) serverFailures() / sent();
    }

    /** The share of sent requests the client failed itself, 0–1; 0 when nothing was sent. */
    public double clientErrorRate() {
        return sent() == 0 ? 0 : (double) clientFailed / sent();
    }

    /** Whether any request failed or was cut short, whoever caused it: the progress line shows the point's failures. */
    public boolean any() {
        return failed + shortOutputs > 0;
    }

    /**
     * Whether the server served the point: at least one request completed in full and the server's error rate is at
     * most {@code maxErrorRate} (0–1).
     */
    public boolean served(double maxErrorRate) {
        return completed - shortOutputs > 0 && serverErrorRate() <= maxErrorRate;
    }

    /** {@code 23 of 32 failed, 2 cut short (1 by the client)}: the point's failures in words, "" when none. */
    public String describe() {
        if (!any()) return "";
        StringBuilder b = new StringBuilder();
        if (failed > 0) b.append(failed).append(" of ").append(sent()).append(" failed");
        if (shortOutputs > 0) {
            if (b.length() > 0) b.append(", ");
            b.append(shortOutputs).append(failed > 0 ? "" : " of " + sent()).append(" cut short");
        }
        if (clientFailed > 0) b.append(" (").append(clientFailed).append(" by the client)");
        return b.toString();
    }
}
