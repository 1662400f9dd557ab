package dev.headroom.analysis;

import dev.headroom.results.Point;
import java.util.Objects;

/**
 * Whether a point meets the SLO: its latency objectives hold, its error rate is at most {@code maxErrorRate}, and
 * it ran at all (the server neither died nor failed to serve it). Repeats are judged on their means.
 *
 * @param slo          the group's SLO
 * @param maxErrorRate the largest failed/sent share that still passes, 0–1
 */
public record Judge(SloChoice slo, double maxErrorRate) {

    public Judge {
        Objects.requireNonNull(slo, "slo");
        if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            throw new IllegalArgumentException("--max-error-rate must be in [0, 1], was " + maxErrorRate);
        }
    }

    /** Whether the combined point meets the SLO. */
    public boolean passes(LoadPoint p) {
        if (p.broken() || p.errorRate() > maxErrorRate) return false;
        Double r = ratio(p);
        return r != null && r <= 1;
    }

    /** Whether one repeat on its own meets the SLO. */
    public boolean passes(Point p) {
        if (p.broken() || p.errorRate() > maxErrorRate) return false;
        Double r = slo.ratio(p::value);
        return r != null && r <= 1;
    }

    /** Whether it fails by its latency objectives (rather than by errors alone). */
    public boolean failsByLatency(LoadPoint p) {
        Double r = ratio(p);
        return r != null && r > 1;
    }

    /** The SLO ratio of the repeats' means (largest value/threshold; ≤ 1 passes), or null when unmeasured. */
    public Double ratio(LoadPoint p) {
        return slo.ratio(p::mean);
    }

    /** The smallest SLO ratio of any one repeat, or null. */
    public Double bestRatio(LoadPoint p) {
        return p.repeats().stream().map(r -> slo.ratio(r::value)).filter(Objects::nonNull)
                .min(Double::compare).orElse(null);
    }

    /** The largest SLO ratio of any one repeat, or null. */
    public Double worstRatio(LoadPoint p) {
        return p.repeats().stream().map(r -> slo.ratio(r::value)).filter(Objects::nonNull)
                .max(Double::compare).orElse(null);
    }

    /** How many repeats pass on their own. */
    public long passingRepeats(LoadPoint p) {
        return p.repeats().stream().filter(this::passes).count();
    }
}
