package dev.headroom.results;

import dev.headroom.metrics.PointErrors;
import dev.headroom.metrics.Slo;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One load point as a sweep or a run recorded it: a capacity.csv row, a run folder, or a {@code vllm bench serve}
 * result file. The one point type of {@code sweep}, {@code analysis} and {@code report}.
 *
 * @param config        the server config's label ({@code default} without a config grid)
 * @param workload      the workload's name ({@code chat}, {@code summarize}, ...)
 * @param predicted     whether the simulator's offline runner predicted it rather than a server measured it
 * @param concurrency   the closed-loop level or the cap of an open loop; null when uncapped
 * @param rate          requests per second of an open loop; null in a closed loop
 * @param repeat        0-based repeat index ({@code --repeat})
 * @param status        capacity.csv's status: {@code ok}, {@code stopped_early}, {@code server_died},
 *                      {@code failed}, {@code errors} or {@code tool_error}
 * @param dir           the point's run folder (or result file), or null when it has none
 * @param served        the server config it ran under
 * @param values        every numeric summary and telemetry value by its summary.json key (counts as whole numbers)
 * @param clientLimited whether the client itself limited the point ({@code client_limited})
 * @param delivered     whether the run delivered the load it names ({@code valid}; true where older files lack it)
 * @param slo           the {@code --slo} the point was run with (given explicitly), or null
 * @param error         why the point failed (capacity.csv's {@code error}: for {@code tool_error}, headroom's own
 *                      exception), or null
 * @param source        where it was read from, for messages
 * @param importedFrom  the other tool whose results file it was read from, or null for headroom's own results
 */
public record Point(String config, String workload, boolean predicted, Integer concurrency, Double rate, int repeat,
                    String status, Path dir, ServedConfig served, Map<String, Number> values, boolean clientLimited,
                    boolean delivered, Slo slo, String error, String source, ImportedFrom importedFrom) {

    public Point {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(served, "served");
        values = Map.copyOf(values);
        if (concurrency != null && concurrency < 1) {
            throw new IllegalArgumentException(source + ": concurrency must be at least 1, was " + concurrency);
        }
        if (rate != null && !(rate > 0)) throw new IllegalArgumentException(source + ": rate must be > 0, was " + rate);
        if (repeat < 0) throw new IllegalArgumentException(source + ": repeat must be >= 0, was " + repeat);
    }

    /** A point of headroom's own results (no other tool's file). */
    public Point(String config, String workload, boolean predicted, Integer concurrency, Double rate, int repeat,
                 String status, Path dir, ServedConfig served, Map<String, Number> values, boolean clientLimited,
                 boolean delivered, Slo slo, String error, String source) {
        this(config, workload, predicted, concurrency, rate, repeat, status, dir, served, values, clientLimited,
                delivered, slo, error, source, null);
    }

    /** The value of a summary key, or null when it was not measured. */
    public Double value(String key) {
        Number v = values.get(key);
        return v == null ? null : v.doubleValue();
    }

    /** The served model, or null when unknown. */
    public String model() {
        return served.model();
    }

    /** The GPU's catalog id, or null when unknown. */
    public String gpu() {
        return served.gpu();
    }

    /** The group this point belongs to: everything that makes two points incomparable. */
    public GroupKey group() {
        return GroupKey.of(this);
    }

    /** This point as repeat {@code index}. */
    public Point withRepeat(int index) {
        return new Point(config, workload, predicted, concurrency, rate, index, status, dir, served, values,
                clientLimited, delivered, slo, error, source, importedFrom);
    }

    /** This point run with the SLO {@code given} (its sweep's {@code --slo}). */
    public Point withSlo(Slo given) {
        return new Point(config, workload, predicted, concurrency, rate, repeat, status, dir, served, values,
                clientLimited, delivered, given, error, source, importedFrom);
    }

    /**
     * Whether the point failed as a whole on the server's side: the server died, or the point could not run and
     * the client failed none of its requests itself. A {@link #toolError()} is not the server's.
     */
    public boolean broken() {
        return status.equals("server_died") || status.equals("failed") && errors().clientFailed() == 0;
    }

    /** Whether an exception inside headroom ended the point: it says nothing about the server. */
    public boolean toolError() {
        return status.equals("tool_error");
    }

    /** Whether the point ran and has a summary (a point that could not start has none). */
    public boolean ran() {
        return values.containsKey("completed");
    }

    /** Its request counts, for the one error rule ({@link PointErrors}). */
    public PointErrors errors() {
        return PointErrors.of(this::value);
    }

    /**
     * The share of sent requests the server failed or cut short, 0–1 ({@link PointErrors#serverErrorRate()}); 1
     * for a broken point that sent nothing.
     */
    public double errorRate() {
        PointErrors e = errors();
        if (e.sent() == 0) return broken() ? 1.0 : 0.0;
        return e.serverErrorRate();
    }
}
