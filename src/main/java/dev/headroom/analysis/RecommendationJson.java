package dev.headroom.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * analysis.json's {@code recommendation} of a group, as docs/formats.md fixes it: the objective and why, the load and
 * why, the next load (the cost of crossing to it), the load the SLO alone would choose, the job, and the trade-off
 * rows (every delivered load's throughput, latency against the SLO, preemptions and errors).
 */
final class RecommendationJson {

    private RecommendationJson() {
    }

    static Map<String, Object> toMap(GroupResult g) {
        Recommendation r = g.recommendation();
        Judge judge = g.judge();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("objective", r.objective().objective().key());
        m.put("objective_source", r.objective().source());
        putLoad(m, r.load(), g.axis());
        m.put("output_throughput", r.load() == null ? null : r.load().mean(Analyzer.THROUGHPUT));
        if (r.load() != null) putLatencies(m, r.load(), judge);
        m.put("slo_judgement", r.load() == null ? null : judge.judgement(r.load()).key());
        m.put("reason", r.reason());
        m.put("next_load", r.next() == null ? null : row(r.next(), g));
        m.put("slo_bound", r.sloBound() == null ? null : row(r.sloBound(), g));
        m.put("to_confirm", r.toConfirm() == null ? null : toConfirm(r.toConfirm(), g));
        m.put("job", r.job() == null ? null : job(r, g.axis()));
        m.put("trade_off", g.points().stream().filter(judge::delivered).map(p -> row(p, g)).toList());
        return m;
    }

    /** One load's figures: throughput, the SLO's latencies, whether it meets the SLO, preemptions, errors. */
    private static Map<String, Object> row(LoadPoint p, GroupResult g) {
        Map<String, Object> m = new LinkedHashMap<>();
        putLoad(m, p, g.axis());
        m.put("output_throughput", p.mean(Analyzer.THROUGHPUT));
        m.put(Recommender.REQUESTS_PER_S, p.mean(Recommender.REQUESTS_PER_S));
        putLatencies(m, p, g.judge());
        m.put("slo_ratio", g.judge().ratio(p));
        m.put("slo_pass", g.judge().passes(p));
        m.put("slo_judgement", g.judge().judgement(p).key());
        Judge.RatioRange range = p.ranged() ? g.judge().ratioRange(p) : null;
        m.put("slo_ratio_range", range == null ? null : List.of(range.low(), range.high()));
        m.put(LimitFinder.PREEMPTIONS, p.max(LimitFinder.PREEMPTIONS));
        m.put("error_rate", p.errorRate());
        if (g.recommendation().job() != null) m.put("job_seconds", finite(g.recommendation().job().seconds(p.mean(Recommender.REQUESTS_PER_S))));
        return m;
    }

    /** The load to measure: its row, each SLO figure's range, and the command that measures it. */
    private static Map<String, Object> toConfirm(LoadPoint p, GroupResult g) {
        Map<String, Object> m = row(p, g);
        Map<String, Object> ranges = new LinkedHashMap<>();
        for (SloChoice.Objective o : g.slo().objectives()) {
            LoadPoint.Range r = p.range(o.key());
            if (r != null) ranges.put(o.key(), List.of(r.low(), r.high()));
        }
        m.put("ranges", ranges);
        m.put("command", MeasureCommand.of(p, g.axis(), g.slo()));
        return m;
    }

    private static Map<String, Object> job(Recommendation r, Axis axis) {
        Objectives.Job job = r.job();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", job.requests());
        m.put("deadline_s", job.deadline().toNanos() / 1e9);
        m.put("seconds", r.load() == null ? null : finite(job.seconds(r.load().mean(Recommender.REQUESTS_PER_S))));
        Map<String, Object> inTime = null;
        if (r.inTime() != null) {
            inTime = new LinkedHashMap<>();
            putLoad(inTime, r.inTime(), axis);
            inTime.put("seconds", finite(job.seconds(r.inTime().mean(Recommender.REQUESTS_PER_S))));
        }
        m.put("smallest_load_in_time", inTime);
        return m;
    }

    private static void putLoad(Map<String, Object> m, LoadPoint p, Axis axis) {
        m.put("concurrency", p == null || axis != Axis.CONCURRENCY ? null : p.concurrency());
        m.put("rate", p == null || axis != Axis.RATE ? null : p.rate());
    }

    private static void putLatencies(Map<String, Object> m, LoadPoint p, Judge judge) {
        List<String> keys = new ArrayList<>(List.of("p95_e2el_ms", "p95_ttft_ms", "median_tpot_ms"));
        for (SloChoice.Objective o : judge.slo().objectives()) if (!keys.contains(o.key())) keys.add(o.key());
        for (String key : keys) m.put(key, p.mean(key));
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
