package dev.headroom.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The search's candidates ranked by their predicted figures, each with its band; the contenders are the winner and
 * the candidates whose band overlaps the winner's, at most {@code maxStarts}, one per predicted figure (configs
 * predicted alike differ only in knobs the simulator says do not matter here, so starting one of them says as much
 * as starting all).
 *
 * @param ranked     every evaluated candidate, best first
 * @param contenders the winner first, then the overlapping candidates, best first
 */
record Ranked(List<Scored> ranked, List<Scored> contenders) {

    /** A candidate with its predicted figure and band (percent). */
    record Scored(Candidate candidate, Figure predicted, int requests, double bandPercent) {
        double low() {
            return predicted.value() * (1 - bandPercent / 100);
        }

        double high() {
            return predicted.value() * (1 + bandPercent / 100);
        }
    }

    /**
     * A figure from a later rung of successive halving (more requests a load) first; then meeting before missing;
     * then the larger figure to three significant digits (closer is within the simulator's own noise), the smaller
     * miss for misses; then fewer settings off vLLM's defaults; then the exact figure.
     */
    private static final Comparator<Scored> ORDER = Comparator.comparingInt((Scored s) -> -s.requests())
            .thenComparing(s -> !s.predicted().meets())
            .thenComparingDouble(s -> s.predicted().meets() ? -significant(s.predicted().value())
                    : significant(s.predicted().missPercent() == null ? Double.MAX_VALUE : s.predicted().missPercent()))
            .thenComparingInt(Ranked::nonDefaults)
            .thenComparing(Scored::predicted, Figure::better);

    static Ranked of(List<Scored> scored, int maxStarts) {
        List<Scored> ranked = new ArrayList<>(scored);
        ranked.sort(ORDER);
        List<Scored> contenders = new ArrayList<>();
        if (ranked.isEmpty()) return new Ranked(ranked, contenders);
        Scored winner = ranked.get(0);
        contenders.add(winner);
        for (Scored s : ranked.subList(1, ranked.size())) {
            if (contenders.size() >= maxStarts) break;
            boolean overlaps = s.requests() == winner.requests() && s.predicted().meets() == winner.predicted().meets()
                    && s.high() >= winner.low();
            boolean distinct = contenders.stream().noneMatch(c -> same(c.predicted(), s.predicted()));
            if (overlaps && distinct) contenders.add(s);
        }
        return new Ranked(ranked, contenders);
    }

    /** {@code v} to three significant digits. */
    static double significant(double v) {
        if (v == 0 || !Double.isFinite(v)) return v;
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).doubleValue();
    }

    /** Two predictions alike to 0.5%: the simulator cannot tell their configs apart here. */
    static boolean same(Figure a, Figure b) {
        double scale = Math.max(Math.abs(a.value()), Math.abs(b.value()));
        return a.meets() == b.meets() && (scale == 0 || Math.abs(a.value() - b.value()) <= 0.005 * scale);
    }

    /** Ties go to the config that moves fewer settings off vLLM's defaults: fewer flags to carry and explain. */
    private static int nonDefaults(Scored s) {
        int n = 0;
        for (var e : s.candidate().values().entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "enable_prefix_caching", "enable_chunked_prefill" -> n += Boolean.TRUE.equals(v) ? 0 : 1;
                case "kv_cache_dtype" -> n += "auto".equals(v) ? 0 : 1;
                case "gpu_memory_utilization" -> n += Double.valueOf(0.9).equals(v) ? 0 : 1;
                default -> { }
            }
        }
        return n;
    }
}
