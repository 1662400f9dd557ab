package dev.headroom.analysis;

import java.util.Objects;

/** The points analysed together: one server config, one workload, measured or predicted. */
public record GroupKey(String config, String workload, boolean predicted) {

    public GroupKey {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(workload, "workload");
    }

    /** {@code default · chat · measured}, for headings. */
    public String label() {
        return config + " · " + workload + " · " + (predicted ? "predicted" : "measured");
    }
}
