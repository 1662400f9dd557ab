package dev.headroom.analysis;

import java.util.Locale;

/** What limits a group's capacity, in the order a tie of onsets is broken (the client first: it skews the rest). */
public enum Factor {
    CLIENT,
    ERRORS,
    KV_CAPACITY,
    PREFILL_COMPUTE,
    DECODE_BANDWIDTH,
    NONE_OBSERVED;

    /** The name in analysis.json: {@code kv_capacity}, {@code client}, ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
