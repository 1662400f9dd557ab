package dev.headroom.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The latency metrics an SLO can name, with their vLLM names ({@code --goodput ttft:MS tpot:MS e2el:MS}). */
public enum SloMetric {
    TTFT(true),
    TPOT(true),
    ITL(false),
    E2EL(true);

    private final boolean perRequest;

    SloMetric(boolean perRequest) {
        this.perRequest = perRequest;
    }

    /** The lower-case name used in {@code --slo} and in summary keys. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a per-request threshold makes sense (vLLM goodput accepts ttft, tpot, e2el; ITL is per chunk). */
    public boolean perRequest() {
        return perRequest;
    }

    /** Looks a metric up by its {@link #key()}, or null when there is none. */
    static SloMetric byKey(String key) {
        for (SloMetric m : values()) if (m.key().equals(key)) return m;
        return null;
    }

    static String keys(boolean perRequestOnly) {
        return Arrays.stream(values()).filter(m -> !perRequestOnly || m.perRequest)
                .map(SloMetric::key).collect(Collectors.joining(", "));
    }
}
