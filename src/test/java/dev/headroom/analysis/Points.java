package dev.headroom.analysis;

import dev.headroom.results.Point;
import dev.headroom.results.ServedConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds points in code for tests that need a table rather than a fixture folder. */
final class Points {

    private final double load;
    private final Map<String, Number> values = new LinkedHashMap<>();
    private String status = "ok";
    private boolean clientLimited;
    private boolean delivered = true;
    private int repeat;
    private String error;
    private String workload = "chat";
    private Path dir;

    private Points(double load) {
        this.load = load;
        values.put("completed", 100.0);
        values.put("failed", 0.0);
    }

    /** A closed-loop point (chat unless {@link #workload} says otherwise) at concurrency {@code load}, 100 requests, none failed. */
    static Points at(double load) {
        return new Points(load);
    }

    Points with(String key, double value) {
        values.put(key, value);
        return this;
    }

    Points status(String s) {
        status = s;
        return this;
    }

    Points clientLimited() {
        clientLimited = true;
        return this;
    }

    /** The run did not deliver the load it names (summary.json valid = false). */
    Points notDelivered() {
        delivered = false;
        return this;
    }

    /** An exception inside headroom ended the point ({@code tool_error}) before it recorded a summary. */
    Points toolError(String cause) {
        status = "tool_error";
        error = cause;
        values.clear();
        return this;
    }

    /** {@code failed} of {@code sent} requests failed, {@code byClient} of them on the client's side. */
    Points failures(int sent, int failed, int byClient) {
        return with("completed", sent - failed).with("failed", failed).with("client_failed", byClient);
    }

    /** The workload the point ran, {@code chat} unless set. */
    Points workload(String name) {
        workload = name;
        return this;
    }

    /** The point's run folder (its summary.json, run.yaml), null unless set. */
    Points dir(Path folder) {
        dir = folder;
        return this;
    }

    Points repeat(int r) {
        repeat = r;
        return this;
    }

    /** Throughput, p95 TTFT, median TPOT and p95 E2E in one call. */
    Points latencies(double throughput, double ttftMs, double tpotMs, double e2elMs) {
        return with("output_throughput", throughput).with("p95_ttft_ms", ttftMs).with("median_tpot_ms", tpotMs)
                .with("p95_e2el_ms", e2elMs);
    }

    Point build() {
        return new Point("default", workload, false, (int) load, null, repeat, status, dir, ServedConfig.UNKNOWN, values,
                clientLimited, delivered, null, error, "test");
    }
}
