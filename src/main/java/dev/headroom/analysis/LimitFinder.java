package dev.headroom.analysis;

import dev.headroom.metrics.PointErrors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Names what limits a group, from the points in load order. Each factor has a sign and an onset (the lowest load
 * showing it):
 * <ul>
 *   <li>{@code client}: the client did not deliver the loads from the onset up ({@link Judge#shortfall}: it lost
 *       more than the ceiling of its requests, set the pace itself, or the run was not valid);</li>
 *   <li>{@code errors}: the share of requests the server failed or cut short passes the ceiling, or the server died
 *       or failed the point;</li>
 *   <li>{@code kv_capacity}: {@code server_preemptions} > 0, or {@code kv_cache_usage_max} ≥ {@value #KV_FULL};</li>
 *   <li>{@code prefill_compute}: p95 TTFT at least {@value #TTFT_GROWTH}× that of the lowest load, TTFT taking
 *       the larger part of p95 E2E's growth, while requests wait ({@code num_requests_waiting_mean} ≥
 *       {@value #WAITING_QUEUE}; without that telemetry, TTFT alone);</li>
 *   <li>{@code decode_bandwidth}: median TPOT at least {@value #TPOT_GROWTH}× that of the lowest load as the batch
 *       grows, the decode time (p95 E2E − p95 TTFT) taking the larger part of p95 E2E's growth, while the KV cache
 *       is not full.</li>
 * </ul>
 * Both latency signs also need p95 E2E at least {@value #E2E_GROWTH}× that of the lowest load: a latency that did
 * not grow limits nothing. The factor with the lowest onset limits; equal onsets go by {@link Factor}'s order. Without any sign the factor
 * is {@code none_observed}. Points that failed inside headroom ({@code tool_error}) are not on the curve at all.
 */
final class LimitFinder {

    static final double KV_FULL = 0.95;
    static final double TTFT_GROWTH = 2.0;
    static final double TPOT_GROWTH = 1.5;
    static final double WAITING_QUEUE = 1.0;
    static final double E2E_GROWTH = 1.2;

    static final String TTFT = "p95_ttft_ms";
    static final String TPOT = "median_tpot_ms";
    static final String E2E = "p95_e2el_ms";
    static final String WAITING = "num_requests_waiting_mean";
    static final String RUNNING = "num_requests_running_mean";
    static final String KV_MAX = "kv_cache_usage_max";
    static final String PREEMPTIONS = "server_preemptions";

    private record Finding(Factor factor, int onset, List<String> evidence) {}

    private LimitFinder() {
    }

    static Limit find(List<LoadPoint> points, Judge judge, Axis axis) {
        List<Finding> findings = Stream.of(client(points, judge, axis), errors(points, judge, axis), kv(points, axis),
                prefill(points, axis), decode(points, axis)).filter(Objects::nonNull)
                .sorted(Comparator.comparingInt(Finding::onset).thenComparing(Finding::factor)).toList();
        if (findings.isEmpty()) return new Limit(Factor.NONE_OBSERVED, null, null, noneSeen(points, axis));
        Finding chosen = findings.get(0);
        List<String> evidence = new ArrayList<>(chosen.evidence());
        for (Finding other : findings.subList(1, findings.size())) {
            for (String e : other.evidence()) evidence.add("also: " + e);
        }
        double onset = points.get(chosen.onset()).load();
        Double lastClear = chosen.onset() > 0 ? points.get(chosen.onset() - 1).load() : null;
        return new Limit(chosen.factor(), onset, lastClear, evidence);
    }

    /**
     * The client, from the lowest load of the run of undelivered loads that ends the curve: a load the client did not
     * deliver, with delivered loads above it, marks that load only (the verdict names it), not a limit.
     */
    private static Finding client(List<LoadPoint> points, Judge judge, Axis axis) {
        int onset = points.size();
        while (onset > 0 && !judge.delivered(points.get(onset - 1))) onset--;
        if (onset == points.size()) return null;
        LoadPoint p = points.get(onset);
        Judge.Shortfall s = judge.shortfall(p);
        String note = s.sign().note().isEmpty() ? "" : " (" + s.sign().note() + ")";
        return new Finding(Factor.CLIENT, onset, List.of(s.sign().key() + " at " + axis.describe(p.load()) + ": "
                + s.why() + note));
    }

    private static Finding errors(List<LoadPoint> points, Judge judge, Axis axis) {
        for (int i = 0; i < points.size(); i++) {
            LoadPoint p = points.get(i);
            if (p.broken()) {
                return new Finding(Factor.ERRORS, i, List.of("the point at " + axis.describe(p.load())
                        + " ended with status " + p.status()));
            }
            if (p.errorRate() > judge.maxErrorRate()) {
                PointErrors e = p.errors();
                String how = e.clientFailed() == 0 && e.shortOutputs() == 0 ? " failed"
                        : " failed or were cut short by the server";
                return new Finding(Factor.ERRORS, i, List.of("error rate " + Text.percent(p.errorRate()) + " at "
                        + axis.describe(p.load()) + " (" + e.serverFailures() + " of " + e.sent() + " requests" + how
                        + "; the ceiling is " + Text.percent(judge.maxErrorRate()) + ")"));
            }
        }
        return null;
    }

    private static Finding kv(List<LoadPoint> points, Axis axis) {
        for (int i = 0; i < points.size(); i++) {
            LoadPoint p = points.get(i);
            if (!kvFull(p)) continue;
            LoadPoint before = i > 0 ? points.get(i - 1) : null;
            List<String> evidence = new ArrayList<>();
            Double preemptions = p.mean(PREEMPTIONS);
            if (preemptions != null && preemptions > 0) {
                evidence.add(PREEMPTIONS + " " + Text.number(preemptions) + " at " + axis.describe(p.load())
                        + (before == null ? "" : " (" + Text.number(orZero(before.mean(PREEMPTIONS))) + " at "
                        + Text.number(before.load()) + ")"));
            }
            Double kvMax = p.max(KV_MAX);
            if (kvMax != null) {
                Double kvBefore = before == null ? null : before.max(KV_MAX);
                evidence.add(KV_MAX + " " + Text.fraction(kvMax) + " at " + axis.describe(p.load())
                        + (kvBefore == null ? "" : " (" + Text.fraction(kvBefore) + " at " + Text.number(before.load()) + ")"));
            }
            return new Finding(Factor.KV_CAPACITY, i, evidence);
        }
        return null;
    }

    static boolean kvFull(LoadPoint p) {
        Double preemptions = p.max(PREEMPTIONS);
        Double kvMax = p.max(KV_MAX);
        return (preemptions != null && preemptions > 0) || (kvMax != null && kvMax >= KV_FULL);
    }

    private static Finding prefill(List<LoadPoint> points, Axis axis) {
        Double ttft0 = points.isEmpty() ? null : points.get(0).mean(TTFT);
        if (ttft0 == null || !(ttft0 > 0)) return null;
        boolean telemetry = points.stream().anyMatch(p -> p.mean(WAITING) != null);
        int onset = -1;
        int last = -1;
        for (int i = 1; i < points.size(); i++) {
            LoadPoint p = points.get(i);
            Double ttft = p.mean(TTFT);
            boolean grew = ttft != null && ttft >= TTFT_GROWTH * ttft0 && dominates(points, i, true);
            boolean queued = !telemetry || orZero(p.mean(WAITING)) >= WAITING_QUEUE;
            if (grew && queued) {
                if (onset < 0) onset = i;
                last = i;
            }
        }
        if (onset < 0) return null;
        LoadPoint first = points.get(0);
        LoadPoint top = points.get(last);
        String rise = "p95 TTFT rose from " + Text.latency(ttft0) + " at " + axis.describe(first.load()) + " to "
                + Text.latency(top.mean(TTFT)) + " at " + axis.describe(top.load());
        String why = telemetry
                ? " while " + WAITING + " rose from " + Text.fraction(orZero(first.mean(WAITING))) + " to "
                        + Text.fraction(orZero(top.mean(WAITING)))
                : " (no server telemetry: the waiting queue is inferred from TTFT alone)";
        return new Finding(Factor.PREFILL_COMPUTE, onset, List.of(rise + why + growthShare(points, last)));
    }

    private static Finding decode(List<LoadPoint> points, Axis axis) {
        Double tpot0 = points.isEmpty() ? null : points.get(0).mean(TPOT);
        if (tpot0 == null || !(tpot0 > 0)) return null;
        int onset = -1;
        int last = -1;
        for (int i = 1; i < points.size(); i++) {
            Double tpot = points.get(i).mean(TPOT);
            boolean grew = tpot != null && tpot >= TPOT_GROWTH * tpot0 && dominates(points, i, false);
            if (grew && !kvFull(points.get(i))) {
                if (onset < 0) onset = i;
                last = i;
            }
        }
        if (onset < 0) return null;
        LoadPoint first = points.get(0);
        LoadPoint top = points.get(last);
        double tpot = top.mean(TPOT);
        String batch = top.mean(RUNNING) != null
                ? " as " + RUNNING + " rose from " + Text.fraction(orZero(first.mean(RUNNING))) + " to "
                        + Text.fraction(top.mean(RUNNING))
                : " as the batch grew with the load";
        Double kvMax = top.max(KV_MAX);
        String kv = kvMax == null ? "" : ", with " + KV_MAX + " " + Text.fraction(kvMax) + " (not full)";
        return new Finding(Factor.DECODE_BANDWIDTH, onset, List.of("median TPOT rose from " + Text.latency(tpot0)
                + " at " + axis.describe(first.load()) + " to " + Text.latency(tpot) + " at " + axis.describe(top.load())
                + " (" + Text.fraction(tpot / tpot0) + "×)" + batch + kv + growthShare(points, last)));
    }

    /**
     * Whether p95 E2E grew at least {@value #E2E_GROWTH}× from the lowest load to point i, and the growth of p95 TTFT ({@code prefill}) or of the rest of p95 E2E
     * (the decode time, otherwise) is the larger part of the growth of p95 E2E; true when E2E is unknown.
     */
    private static boolean dominates(List<LoadPoint> points, int i, boolean prefill) {
        double[] growth = growth(points, i);
        if (growth == null) return true;
        boolean e2eGrew = points.get(i).mean(E2E) >= E2E_GROWTH * points.get(0).mean(E2E);
        return e2eGrew && (prefill ? growth[0] >= growth[1] : growth[1] > growth[0]);
    }

    /** {TTFT growth, decode-time growth} in ms from the lowest load to point i, or null without E2E and TTFT. */
    private static double[] growth(List<LoadPoint> points, int i) {
        LoadPoint first = points.get(0);
        LoadPoint p = points.get(i);
        Double ttft0 = first.mean(TTFT);
        Double e2e0 = first.mean(E2E);
        Double ttft = p.mean(TTFT);
        Double e2e = p.mean(E2E);
        if (ttft0 == null || e2e0 == null || ttft == null || e2e == null) return null;
        return new double[] {ttft - ttft0, (e2e - ttft) - (e2e0 - ttft0)};
    }

    private static String growthShare(List<LoadPoint> points, int i) {
        double[] growth = growth(points, i);
        if (growth == null) return "";
        return "; of p95 E2E's growth, TTFT took " + Text.latency(Math.max(0, growth[0])) + " and decoding "
                + Text.latency(Math.max(0, growth[1]));
    }

    private static List<String> noneSeen(List<LoadPoint> points, Axis axis) {
        if (points.isEmpty()) return List.of("no load point to judge");
        LoadPoint first = points.get(0);
        LoadPoint top = points.get(points.size() - 1);
        List<String> evidence = new ArrayList<>();
        evidence.add("up to " + axis.describe(top.load()) + ": no preemptions, no client limit, errors within the ceiling");
        Double tpot0 = first.mean(TPOT);
        Double tpot = top.mean(TPOT);
        if (tpot0 != null && tpot != null && tpot0 > 0) {
            evidence.add("median TPOT " + Text.latency(tpot) + " at " + axis.describe(top.load()) + ", "
                    + Text.fraction(tpot / tpot0) + "× that at " + axis.describe(first.load()));
        }
        Double kvMax = top.max(KV_MAX);
        if (kvMax != null) evidence.add(KV_MAX + " " + Text.fraction(kvMax) + " at " + axis.describe(top.load()));
        return evidence;
    }

    private static double orZero(Double v) {
        return v == null ? 0 : v;
    }
}
