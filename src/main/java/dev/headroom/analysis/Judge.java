package dev.headroom.analysis;

import dev.headroom.results.Point;
import java.util.Objects;

/**
 * Whether a point meets the SLO: its latency objectives hold, the share of requests the server failed or cut short
 * ({@link dev.headroom.metrics.PointErrors}) is at most {@code maxErrorRate}, and it ran at all (the server neither
 * died nor failed to serve it). Repeats are judged on their means; a load the simulator gave is also judged over its
 * published error range ({@link #judgement}: meets, uncertain or misses). Apart from that, whether the client delivered the
 * load: a load it did not deliver says nothing sure about the server, so it is never recommended and never bounds
 * the maximum load, whether it met the SLO or not.
 *
 * @param slo          the group's SLO
 * @param maxErrorRate the largest share of sent requests, 0–1, the server may fail (and the client lose) at a
 *                     passing, delivered load
 */
public record Judge(SloChoice slo, double maxErrorRate) {

    /** What shows that the client did not deliver a load, in the order they are looked for. */
    public enum Sign {
        /** It lost more than the ceiling of its requests itself. */
        CLIENT_FAILED("client_failed", "failures on the client's side, not counted against the server"),
        /** It set the pace itself. */
        CLIENT_LIMITED("client_limited", ""),
        /** The run's validity check failed. */
        NOT_VALID("valid = false", "the run's summary says which validity check failed");

        private final String key;
        private final String note;

        Sign(String key, String note) {
            this.key = key;
            this.note = note;
        }

        /** The summary key and value that show it: {@code client_failed}, {@code client_limited}, {@code valid = false}. */
        public String key() {
            return key;
        }

        /** Where to look further, or "". */
        public String note() {
            return note;
        }
    }

    /**
     * Why the client did not deliver a load.
     *
     * @param sign what shows it
     * @param why  the shortfall in words, e.g. {@code the client lost 2 of 32 requests}
     */
    public record Shortfall(Sign sign, String why) {}

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

    /**
     * Whether the point meets the SLO with its error range considered ({@link SloJudgement}): a measured point meets
     * or misses as {@link #passes(LoadPoint)} says; a point the simulator gave meets only when the high end of its
     * range does, misses when the low end does not, and is uncertain between. Server errors above the ceiling, a
     * failed point or an unmeasured objective miss.
     */
    public SloJudgement judgement(LoadPoint p) {
        if (p.broken() || p.errorRate() > maxErrorRate) return SloJudgement.MISSES;
        RatioRange r = ratioRange(p);
        if (r == null || r.low() > 1) return SloJudgement.MISSES;
        return r.high() <= 1 ? SloJudgement.MEETS : SloJudgement.UNCERTAIN;
    }

    /**
     * The SLO ratio (largest value/threshold; ≤ 1 passes) over each objective's range: the low end from every
     * figure's low end, the high end from every high end. A measured figure's range is its mean alone. Null when an
     * objective is unmeasured.
     *
     * @param low  the ratio at the low ends of the ranges
     * @param high the ratio at the high ends, at least {@code low}
     */
    public record RatioRange(double low, double high) {}

    /** The point's SLO ratio over its figures' ranges, or null when an objective is unmeasured. */
    public RatioRange ratioRange(LoadPoint p) {
        Double low = slo.ratio(key -> end(p, key, false));
        Double high = slo.ratio(key -> end(p, key, true));
        return low == null || high == null ? null : new RatioRange(low, high);
    }

    /**
     * The objective reaching highest against its threshold at the high ends of the point's ranges (its mean where
     * a figure carries none): for an uncertain point, the one whose range crosses its threshold.
     */
    public SloChoice.Objective binding(LoadPoint p) {
        return slo.binding(key -> end(p, key, true));
    }

    private static Double end(LoadPoint p, String key, boolean high) {
        LoadPoint.Range r = p.range(key);
        if (r == null) return p.mean(key);
        return high ? r.high() : r.low();
    }

    /** Whether one repeat on its own meets the SLO. */
    public boolean passes(Point p) {
        if (p.broken() || p.errorRate() > maxErrorRate) return false;
        Double r = slo.ratio(p::value);
        return r != null && r <= 1;
    }

    /**
     * Whether the client delivered the load: every repeat valid, none paced by the client, and the client lost at
     * most {@code maxErrorRate} of the requests.
     */
    public boolean delivered(LoadPoint p) {
        return shortfall(p) == null;
    }

    /** Why the client did not deliver the load, or null when it did. */
    public Shortfall shortfall(LoadPoint p) {
        if (p.clientErrorRate() > maxErrorRate) {
            return new Shortfall(Sign.CLIENT_FAILED, "the client lost " + p.errors().clientFailed() + " of "
                    + p.errors().sent() + " requests");
        }
        if (p.clientLimited()) return new Shortfall(Sign.CLIENT_LIMITED, "the load generator, not the server, set the pace");
        if (!p.delivered()) return new Shortfall(Sign.NOT_VALID, "the run did not deliver that load");
        return null;
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
