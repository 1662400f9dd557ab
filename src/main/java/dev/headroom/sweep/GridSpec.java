package dev.headroom.sweep;

import dev.headroom.metrics.PointErrors;
import dev.headroom.metrics.Slo;
import dev.headroom.pipeline.LoadPoint;
import dev.headroom.results.SweepSlo;
import dev.headroom.workload.LoadPattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The load grid of a sweep, run against every server config: workloads × load levels × repeats, in that order.
 * A load level is a closed-loop concurrency, or an open-loop rate (capped by a concurrency when both are given).
 *
 * @param base         the point every cell derives from (its workload and pattern are replaced per cell)
 * @param workloads    {@code --workload} values, in order
 * @param concurrencies closed-loop levels, or the caps of the rates; empty for uncapped rates
 * @param rates        open-loop arrivals per second; empty for a closed-loop grid
 * @param burstiness   gamma shape of open-loop gaps
 * @param repeats      runs per cell ({@code --repeat}), at least 1
 * @param slo          {@code --slo}, or null for the serving playbook's default per workload
 * @param earlyStop    whether a workload's ramp stops once the SLO is clearly broken or errors pass the limit
 */
public record GridSpec(LoadPoint base, List<String> workloads, List<Integer> concurrencies, List<Double> rates,
                       double burstiness, int repeats, Slo slo, boolean earlyStop) {

    /** The playbook's chat objective (reference/lab-playbook.md, Recipe 1: p95 < 1500 ms). */
    public static final String CHAT_SLO = "p95_e2el=1500ms,e2el=1500ms";
    /** The playbook's batch-summarization objective (Recipe 2: p95 < 5000 ms). */
    public static final String BATCH_SLO = "p95_e2el=5000ms,e2el=5000ms";

    public GridSpec {
        Objects.requireNonNull(base, "base");
        workloads = List.copyOf(workloads);
        concurrencies = List.copyOf(concurrencies);
        rates = List.copyOf(rates);
        if (workloads.isEmpty()) throw new IllegalArgumentException("--workload names no workload");
        if (concurrencies.isEmpty() && rates.isEmpty()) {
            throw new IllegalArgumentException("sweep needs --concurrency LIST and/or --rate LIST, e.g. --concurrency 1..64x2");
        }
        for (int c : concurrencies) {
            if (c < 1) throw new IllegalArgumentException("--concurrency values must be at least 1, found " + c);
        }
        for (double r : rates) {
            if (!(r > 0)) throw new IllegalArgumentException("--rate values must be positive, found " + r);
        }
        if (repeats < 1) throw new IllegalArgumentException("--repeat must be at least 1, was " + repeats);
    }

    /** The load levels of one workload's ramp, lowest first as given. */
    public List<LoadPattern> levels() {
        List<LoadPattern> out = new ArrayList<>();
        if (rates.isEmpty()) {
            for (int c : concurrencies) out.add(LoadPattern.closedLoop(c));
            return out;
        }
        for (double r : rates) {
            if (concurrencies.isEmpty()) out.add(LoadPattern.openLoop(r, burstiness, 0));
            for (int c : concurrencies) out.add(LoadPattern.openLoop(r, burstiness, c));
        }
        return out;
    }

    /** Every point of the grid for one config, in the order run. */
    public List<GridPoint> points(String config) {
        List<GridPoint> out = new ArrayList<>();
        for (String w : workloads) {
            List<LoadPattern> levels = levels();
            for (int level = 0; level < levels.size(); level++) {
                for (int r = 0; r < repeats; r++) {
                    LoadPattern pattern = levels.get(level);
                    LoadPoint point = base.with(w, pattern).withSlo(sloFor(w)).withSeed(pointSeed(w, pattern, r));
                    out.add(new GridPoint(config, w, level, r, repeats > 1, point));
                }
            }
        }
        return out;
    }

    /**
     * Each point draws its own prompts: a server keeps earlier points' prompts in its prefix cache, so reusing them
     * would make every later point look faster than fresh traffic. The seed depends only on the point's own values
     * (not its place in the grid), so a measured and a predicted sweep, and a resumed one, send the same prompts.
     */
    private long pointSeed(String workload, LoadPattern pattern, int repeat) {
        return pointSeed(base.seed(), workload, pattern, repeat);
    }

    /** The seed of a point of {@code workload} at {@code pattern} (and {@code repeat}) drawn from {@code seed}. */
    public static long pointSeed(long seed, String workload, LoadPattern pattern, int repeat) {
        return seed * 1_000_003L + Objects.hash(workload, pattern.concurrency(),
                pattern.isOpenLoop() ? pattern.ratePerSecond() : 0.0, repeat);
    }

    /**
     * The largest server error rate, 0–1, at which a point that ran to the end is still {@code ok} rather than
     * {@code errors}: {@code --max-error-rate} when given (below 1), else analyze's default
     * ({@link PointErrors#DEFAULT_MAX_ERROR_RATE}).
     */
    public double maxServerErrorRate() {
        return base.maxErrorRate() < 1 ? base.maxErrorRate() : PointErrors.DEFAULT_MAX_ERROR_RATE;
    }

    /** Points per config. */
    public int size() {
        return workloads.size() * levels().size() * repeats;
    }

    /** The SLO a workload is judged by: {@code --slo}, else the playbook's (summarize: 5 s, every other: 1.5 s). */
    public Slo sloFor(String workload) {
        if (slo != null) return slo;
        return Slo.parse(workload.equals("summarize") ? BATCH_SLO : CHAT_SLO);
    }

    /** Each workload's SLO as sweep.json records it, and whether {@code --slo} gave it. */
    public SweepSlo sweepSlo() {
        Map<String, Slo> byWorkload = new LinkedHashMap<>();
        for (String w : workloads) byWorkload.put(w, sloFor(w));
        return new SweepSlo(byWorkload, slo != null);
    }

    /** The grid as sweep.json's inputs record it. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workloads", workloads);
        m.put("concurrency", concurrencies);
        m.put("rate", rates);
        m.put("burstiness", rates.isEmpty() ? null : burstiness);
        m.put("repeat", repeats);
        m.put("requests", base.requests() > 0 ? base.requests() : null);
        m.put("duration", base.duration() == null ? null : dev.headroom.pipeline.DurationText.of(base.duration()));
        m.put("warmup", base.warmup());
        m.put("seed", base.seed());
        m.put("max_error_rate", base.maxErrorRate());
        // The traffic shapes what every point sends (a trace file, shared prefixes, sessions): --resume compares it too.
        m.putAll(base.traffic().toMap());
        m.putAll(sweepSlo().toMap(workloads));
        m.put("early_stop", earlyStop ? RampStop.RULE : null);
        return m;
    }
}
