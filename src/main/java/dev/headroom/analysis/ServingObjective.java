package dev.headroom.analysis;

import java.util.Locale;

/** What a group's recommended load is chosen for: the latency each request feels, or the throughput a job gets. */
public enum ServingObjective {
    /** The highest delivered load meeting the latency SLO: interactive work, where each request's wait is felt. */
    LATENCY,
    /**
     * The most output tokens/s per GPU (equally, the least cost per million tokens) without preemptions or server
     * errors: batch work, judged by when the whole job completes, with the latency SLO shown beside it.
     */
    THROUGHPUT;

    /** The name in analysis.json and on the command line: {@code latency}, {@code throughput}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The objective named {@code text}; bad input names the value and what is accepted. */
    public static ServingObjective parse(String text) {
        for (ServingObjective o : values()) if (o.key().equals(text.strip().toLowerCase(Locale.ROOT))) return o;
        throw new IllegalArgumentException("--objective: '" + text + "' is no objective; use latency or throughput, "
                + "for every workload or per workload, e.g. --objective throughput or --objective chat=latency,summarize=throughput");
    }
}
