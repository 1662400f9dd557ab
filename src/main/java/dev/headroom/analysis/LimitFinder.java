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
 *   <li>{@code kv_capacity}: {@code server_preemptions} > 0, or {@code kv_cache_usage_max} ≥ {@value #KV_FULL}; or
 *       queue time led the latency's growth while the KV cache was at least {@value #KV_QUEUE} full;</li>
 *   <li>a latency factor, the component of the mean request's time ({@link LatencySplit}: queue, prefill, decode)
 *       that took most of the latency's growth from the lowest load, once the mean E2E is at least
 *       {@value #E2E_GROWTH}× that of the lowest load. Named at the highest load where a component led, with its onset
 *       at the lowest load of the run of loads below it that the same component led. Queue time leading is
 *       {@code queueing} when the running batch was at its cap (slots, {@code max_num_seqs}), {@code kv_capacity}
 *       when the KV cache was nearly full, else {@code prefill_compute} (requests waited for the scheduler to fit
 *       their prompts); prefill leading is {@code prefill_compute}; decode leading (median TPOT at least
 *       {@value #TPOT_GROWTH}× that of the lowest load, KV cache not full) is {@code decode_compute} when the time per
 *       step grows with the batch, else {@code decode_bandwidth}; a step growing with the batch while prompt tokens
 *       are at least {@value #PROMPT_SHARE} of the tokens sent and generated is {@code prefill_interference} (the
 *       steps are mostly new prompts' prefill chunks run beside the decodes).</li>
 * </ul>
 * The factor with the lowest onset limits; equal onsets go by {@link Factor}'s order. Without any sign the factor
 * is {@code none_observed}. Points that failed inside headroom ({@code tool_error}) are not on the curve at all.
 * Evidence is in plain words, with the numbers.
 */
final class LimitFinder {

    static final double KV_FULL = 0.95;
    static final double TPOT_GROWTH = 1.5;
    static final double E2E_GROWTH = 1.2;

    static final String TTFT = "p95_ttft_ms";
    static final String TPOT = "median_tpot_ms";
    static final String E2E = "p95_e2el_ms";
    static final String WAITING = "num_requests_waiting_mean";
    static final String RUNNING = "num_requests_running_mean";
    static final String KV_MAX = "kv_cache_usage_max";
    static final String RUNNING_MAX = "num_requests_running_max";
    static final double KV_QUEUE = 0.9;
    static final double COMPUTE_ELASTICITY = 0.6;
    /** Prompt tokens' share of all tokens from which a step growing with the batch is their prefill's doing. */
    static final double PROMPT_SHARE = 0.5;
    static final String PREEMPTIONS = "server_preemptions";

    private record Finding(Factor factor, int onset, List<String> evidence) {}

    private LimitFinder() {
    }

    static Limit find(List<LoadPoint> points, Judge judge, Axis axis) {
        List<Finding> findings = Stream.of(client(points, judge, axis), errors(points, judge, axis), kv(points, axis),
                latency(points, axis)).filter(Objects::nonNull)
                .sorted(Comparator.comparingInt(Finding::onset).thenComparing(Finding::factor)).toList();
        if (findings.isEmpty()) return new Limit(Factor.NONE_OBSERVED, null, noneSeen(points, axis));
        Finding chosen = findings.get(0);
        List<String> evidence = new ArrayList<>(chosen.evidence());
        for (Finding other : findings.subList(1, findings.size())) {
            for (String e : other.evidence()) evidence.add("also: " + e);
        }
        double onset = points.get(chosen.onset()).load();
        return new Limit(chosen.factor(), onset, evidence);
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
        return new Finding(Factor.CLIENT, onset, List.of("at " + axis.describe(p.load()) + " "
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
                evidence.add("the server preempted " + Text.number(preemptions) + " requests at " + axis.describe(p.load())
                        + (before == null ? "" : " (" + Text.number(orZero(before.mean(PREEMPTIONS))) + " at "
                        + Text.number(before.load()) + ")"));
            }
            Double kvMax = p.max(KV_MAX);
            if (kvMax != null) {
                Double kvBefore = before == null ? null : before.max(KV_MAX);
                evidence.add("the KV cache was " + Text.percent(kvMax) + " full at " + axis.describe(p.load())
                        + (kvBefore == null ? "" : " (" + Text.percent(kvBefore) + " at " + Text.number(before.load()) + ")"));
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

    /** The latency component that grew most from the lowest load to point i, or null where latency barely grew. */
    private enum Component { QUEUE, PREFILL, DECODE }

    private static Component grew(List<LoadPoint> points, List<LatencySplit> splits, int i) {
        LatencySplit first = splits.get(0);
        LatencySplit here = splits.get(i);
        if (first == null || here == null || !(first.totalMs() > 0) || here.totalMs() < E2E_GROWTH * first.totalMs()) return null;
        double queue = here.queueMs() - first.queueMs();
        double prefill = here.prefillMs() - first.prefillMs();
        double decode = here.decodeMs() - first.decodeMs();
        if (queue >= prefill && queue >= decode) return Component.QUEUE;
        if (prefill >= decode) return Component.PREFILL;
        Double tpot0 = points.get(0).mean(TPOT);
        Double tpot = points.get(i).mean(TPOT);
        boolean slower = tpot0 == null || tpot == null || !(tpot0 > 0) || tpot >= TPOT_GROWTH * tpot0;
        return slower && !kvFull(points.get(i)) ? Component.DECODE : null;
    }

    /**
     * The latency factor: the component that took most of the latency's growth at the highest load where one did,
     * with its onset at the lowest load of the run of loads up to there where that component led (a different
     * component leading below it is what the curve went through, not what limits it).
     */
    private static Finding latency(List<LoadPoint> points, Axis axis) {
        if (points.isEmpty()) return null;
        Double ttft0 = points.get(0).mean("mean_ttft_ms") != null ? points.get(0).mean("mean_ttft_ms") : points.get(0).mean(TTFT);
        List<LatencySplit> splits = points.stream().map(p -> LatencySplit.of(p, ttft0)).toList();
        Component leader = null;
        int onset = -1;
        int top = -1;
        for (int i = points.size() - 1; i > 0; i--) {
            Component c = grew(points, splits, i);
            if (c == null) continue;
            if (leader == null) {
                leader = c;
                top = i;
            } else if (c != leader) {
                break;
            }
            onset = i;
        }
        if (leader == null) return null;
        LoadPoint at = points.get(top);
        String share = share(splits, axis, points, top);
        return switch (leader) {
            case QUEUE -> queueing(points, splits, onset, top, axis, share);
            case PREFILL -> new Finding(Factor.PREFILL_COMPUTE, onset, List.of("the time to prefill the prompt rose from "
                    + Text.latency(splits.get(0).prefillMs()) + " at " + axis.describe(points.get(0).load()) + " to "
                    + Text.latency(splits.get(top).prefillMs()) + " at " + axis.describe(at.load())
                    + (splits.get(top).queueMs() == 0 && splits.get(top).source() != LatencySplit.Source.TTFT_ONLY
                            ? " with no request waiting in the server's queue" : "") + share));
            case DECODE -> decode(points, onset, top, axis, share);
        };
    }

    /** Queue time led the growth: for free slots (the running batch at its cap), KV blocks, or prefill. */
    private static Finding queueing(List<LoadPoint> points, List<LatencySplit> splits, int onset, int top, Axis axis,
                                    String share) {
        LoadPoint first = points.get(0);
        LoadPoint at = points.get(top);
        String rise = "the time requests waited in the server's queue rose from " + Text.latency(splits.get(0).queueMs())
                + " at " + axis.describe(first.load()) + " to " + Text.latency(splits.get(top).queueMs()) + " at "
                + axis.describe(at.load());
        Double waiting = at.mean(WAITING);
        Double running = at.max(RUNNING_MAX);
        String gauges = (waiting == null ? "" : ", with " + Text.number(round1(waiting)) + " requests waiting on average")
                + (running == null ? "" : " and at most " + Text.number(running) + " running at once");
        Double kvMax = at.max(KV_MAX);
        if (kvMax != null && kvMax >= KV_QUEUE) {
            return new Finding(Factor.KV_CAPACITY, onset, List.of(rise + gauges + ": they waited for KV-cache blocks "
                    + "(KV cache " + Text.percent(kvMax) + " full)" + share));
        }
        if (slotsFull(points, top)) {
            double cap = at.first().served().num("max_num_seqs");
            String cap0 = Double.isNaN(cap) ? "" : " (the server is set to run at most " + Text.number(cap) + ")";
            return new Finding(Factor.QUEUEING, onset, List.of(rise + gauges + ": they waited for a free slot"
                    + cap0 + share));
        }
        return new Finding(Factor.PREFILL_COMPUTE, onset, List.of(rise + gauges + ": they waited for the scheduler "
                + "to fit their prompts (neither the KV cache nor the batch was full)" + share));
    }

    /**
     * Whether the running batch was at its cap at point i: at the configured {@code max_num_seqs}, or, with the cap
     * unknown (a server headroom did not start), no larger than at the load below while requests waited.
     */
    private static boolean slotsFull(List<LoadPoint> points, int i) {
        LoadPoint p = points.get(i);
        Double running = p.max(RUNNING_MAX);
        if (running == null) return false;
        double cap = p.first().served().num("max_num_seqs");
        if (!Double.isNaN(cap)) return running >= cap - 0.5;
        Double below = i > 0 ? points.get(i - 1).max(RUNNING_MAX) : null;
        return below != null && running <= below + 0.5 && running < p.load();
    }

    /**
     * Decode led the growth. The time per decode step (TPOT) against the batch tells memory bandwidth (the step
     * reads the weights once for the whole batch, so it stays nearly flat) from compute (the step grows with the
     * batch: elasticity ln(TPOT ratio) / ln(batch ratio) at least {@value #COMPUTE_ELASTICITY}).
     */
    private static Finding decode(List<LoadPoint> points, int onset, int top, Axis axis, String share) {
        LoadPoint first = points.get(0);
        LoadPoint at = points.get(top);
        Double tpot0 = first.mean(TPOT);
        Double tpot = at.mean(TPOT);
        Double batch0 = first.mean(RUNNING);
        Double batch = at.mean(RUNNING);
        if ((batch0 == null || batch == null) && first.concurrency() != null && at.concurrency() != null) {
            batch0 = first.concurrency().doubleValue();
            batch = at.concurrency().doubleValue();
        }
        boolean compute = false;
        String step = "";
        if (tpot0 != null && tpot != null && tpot0 > 0) {
            step = "the time per output token rose from " + Text.latency(tpot0) + " at " + axis.describe(first.load())
                    + " to " + Text.latency(tpot) + " at " + axis.describe(at.load()) + " (" + Text.fraction(tpot / tpot0) + "×)";
            if (batch0 != null && batch != null && batch0 > 0 && batch >= 2 * batch0) {
                double elasticity = Math.log(tpot / tpot0) / Math.log(batch / batch0);
                compute = elasticity >= COMPUTE_ELASTICITY;
                step += " while the batch grew from " + Text.number(round1(batch0)) + " to " + Text.number(round1(batch))
                        + " requests (" + Text.fraction(batch / batch0) + "×)";
            }
        } else {
            step = "decoding took longer at " + axis.describe(at.load()) + " than at " + axis.describe(first.load());
        }
        Double promptShare = promptShare(at);
        boolean prefill = compute && promptShare != null && promptShare >= PROMPT_SHARE;
        String why = prefill ? ": each step grows with the load, and " + Text.percent(promptShare) + " of the tokens "
                        + "sent and generated were prompt tokens, so most of each step's work is new prompts' prefill "
                        + "run beside the decodes"
                : compute ? ": each decode step grows with the batch, so compute sets the pace"
                : ": each decode step stays nearly flat as the batch grows, so memory bandwidth sets the pace";
        Double kvMax = at.max(KV_MAX);
        String kv = kvMax == null ? "" : "; the KV cache was " + Text.percent(kvMax) + " full at most";
        Factor factor = prefill ? Factor.PREFILL_INTERFERENCE : compute ? Factor.DECODE_COMPUTE : Factor.DECODE_BANDWIDTH;
        return new Finding(factor, onset, List.of(step + why + kv + share));
    }

    /** Prompt tokens over all tokens sent and generated at the point, or null where the counts are missing. */
    private static Double promptShare(LoadPoint p) {
        Double in = p.mean("total_input_tokens");
        Double out = p.mean("total_output_tokens");
        if (in == null || out == null || !(in + out > 0)) return null;
        return in / (in + out);
    }

    /** How the mean request's latency grew from the lowest load to point i, part by part. */
    private static String share(List<LatencySplit> splits, Axis axis, List<LoadPoint> points, int i) {
        LatencySplit a = splits.get(0);
        LatencySplit b = splits.get(i);
        return "; the mean request's latency grew by " + Text.latency(b.totalMs() - a.totalMs()) + " from "
                + axis.describe(points.get(0).load()) + ": queue " + signed(b.queueMs() - a.queueMs()) + ", prefill "
                + signed(b.prefillMs() - a.prefillMs()) + ", decode " + signed(b.decodeMs() - a.decodeMs())
                + " (split from " + b.source().words() + ")";
    }

    private static String signed(double ms) {
        return (ms < 0 ? "−" : "+") + Text.latency(Math.abs(ms));
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static List<String> noneSeen(List<LoadPoint> points, Axis axis) {
        if (points.isEmpty()) return List.of("no load point to judge");
        LoadPoint first = points.get(0);
        LoadPoint top = points.get(points.size() - 1);
        List<String> evidence = new ArrayList<>();
        Double preemptions = top.max(PREEMPTIONS);
        evidence.add("up to " + axis.describe(top.load()) + ": " + (preemptions == null ? "preemptions not measured"
                : "no preemptions") + ", no client limit, errors within the ceiling");
        Double tpot0 = first.mean(TPOT);
        Double tpot = top.mean(TPOT);
        if (tpot0 != null && tpot != null && tpot0 > 0) {
            evidence.add("the time per output token was " + Text.latency(tpot) + " at " + axis.describe(top.load()) + ", "
                    + Text.fraction(tpot / tpot0) + "× that at " + axis.describe(first.load()));
        }
        Double kvMax = top.max(KV_MAX);
        if (kvMax != null) evidence.add("the KV cache was " + Text.percent(kvMax) + " full at most at " + axis.describe(top.load()));
        return evidence;
    }

    private static double orZero(Double v) {
        return v == null ? 0 : v;
    }
}
