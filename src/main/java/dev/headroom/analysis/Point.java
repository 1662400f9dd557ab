package dev.headroom.analysis;

import dev.headroom.metrics.PointErrors;
import java.util.Map;
import java.util.Objects;

/**
 * One load point as a sweep or a run recorded it: its identity and its numbers.
 *
 * @param config        the server config's label ({@code default} without a config grid)
 * @param workload      the workload's name ({@code chat}, {@code summarize}, ...)
 * @param predicted     whether the simulator's offline runner predicted it rather than a server measured it
 * @param concurrency   the closed-loop level or the cap of an open loop; null when uncapped
 * @param rate          requests per second of an open loop; null in a closed loop
 * @param repeat        0-based repeat index ({@code --repeat})
 * @param status        {@code ok}, {@code stopped_early}, {@code server_died}, {@code failed} or {@code tool_error}
 * @param model         the served model, or null when unknown
 * @param gpu           the GPU, or null when unknown
 * @param values        every numeric summary and telemetry value by its summary.json key
 * @param clientLimited whether the client itself limited the point ({@code client_limited})
 * @param delivered     whether the run delivered the load it names ({@code valid}; true where older files lack it)
 * @param slo           the {@code --slo} the point was run with, or null
 * @param error         why the point failed as sweep.json records it (for {@code tool_error}, headroom's own
 *                      exception), or null
 * @param source        where it was read from, for messages
 */
public record Point(String config, String workload, boolean predicted, Integer concurrency, Double rate, int repeat,
                    String status, String model, String gpu, Map<String, Double> values, boolean clientLimited,
                    boolean delivered, String slo, String error, String source) {

    public Point {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(status, "status");
        values = Map.copyOf(values);
    }

    /** The value of a summary key, or null when it was not measured. */
    public Double value(String key) {
        return values.get(key);
    }

    /** This point as repeat {@code index}. */
    public Point withRepeat(int index) {
        return new Point(config, workload, predicted, concurrency, rate, index, status, model, gpu, values, clientLimited,
                delivered, slo, error, source);
    }

    /** The group this point belongs to. */
    public GroupKey group() {
        return new GroupKey(config, workload, predicted);
    }

    /**
     * Whether the point failed as a whole on the server's side: the server died, or the point could not run and
     * the client failed none of its requests itself.
     */
    public boolean broken() {
        return status.equals("server_died") || status.equals("failed") && errors().clientFailed() == 0;
    }

    /** Whether an exception inside headroom ended the point: it says nothing about the server. */
    public boolean toolError() {
        return status.equals("tool_error");
    }

    /** Its request counts, read by the one rule for a point's failures (keys absent in older files count 0). */
    public PointErrors errors() {
        return PointErrors.of(this::value);
    }

    /** The share of sent requests the server failed or cut short, 0–1; 1 for a broken point that sent nothing. */
    public double errorRate() {
        PointErrors e = errors();
        if (e.sent() == 0) return broken() ? 1.0 : 0.0;
        return e.serverErrorRate();
    }
}
