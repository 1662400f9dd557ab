package dev.headroom.analysis;

import dev.headroom.results.Point;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The plain-language verdict of a group: where to serve and why (its {@link Recommendation}), then the knee and the
 * limit, each named once, e.g. "Serve chat at concurrency 16: 1,180 tok/s, p95 E2E 1.31 s. It is the highest load
 * meeting the SLO (p95 E2E ≤ 1.50 s); concurrency 32 would give 1,500 tok/s (+27%) at p95 E2E 1.90 s, 27% over the
 * SLO. The knee is at concurrency 32; the limit is decode bandwidth from concurrency 32: ...". Loads the client did
 * not deliver and points headroom itself failed are named with why; neither is served nor counted against the
 * server.
 */
final class Verdict {

    private Verdict() {
    }

    static String of(GroupResult g) {
        String toolErrors = toolErrors(g);
        if (g.points().isEmpty()) {
            return toolErrors.isEmpty() ? "No load point of " + g.key().workload() + " was measured."
                    : "No load point of " + g.key().workload() + " measured the server." + toolErrors;
        }
        return bestSentence(g) + undelivered(g) + " " + limitSentence(g) + toolErrors;
    }

    private static String bestSentence(GroupResult g) {
        String who = g.key().workload() + (g.key().config().equals("default") ? "" : " with config " + g.key().config());
        String predicted = g.key().predicted() ? " (predicted)" : "";
        Recommendation r = g.recommendation();
        LoadPoint load = r.load();
        if (load != null) {
            return "Serve " + who + " at " + g.axis().describe(load.load()) + predicted + ": "
                    + Text.throughput(load.mean(Analyzer.THROUGHPUT)) + ", " + latencies(g.slo(), load) + ". " + r.reason();
        }
        List<LoadPoint> delivered = g.points().stream().filter(g.judge()::delivered).toList();
        if (delivered.isEmpty()) {
            return "No load of " + who + predicted + " was delivered by the client, so none can be recommended.";
        }
        LoadPoint lowest = delivered.get(0);
        boolean all = delivered.size() == g.points().size();
        if (r.objective().objective() == ServingObjective.THROUGHPUT) {
            return "No " + (all ? "" : "delivered ") + "load of " + who + predicted + " ran without preemptions or server "
                    + "errors: at " + g.axis().describe(lowest.load()) + ", the lowest " + (all ? "load run" : "delivered load")
                    + ", " + figures(g, lowest) + ".";
        }
        if (r.toConfirm() != null) {
            return "No " + (all ? "" : "delivered ") + "load of " + who + predicted + " meets the SLO (" + g.slo().describe()
                    + ") over its whole predicted range: at " + g.axis().describe(lowest.load()) + ", the lowest "
                    + (all ? "load run" : "delivered load") + ", " + figures(g, lowest) + ". " + r.reason();
        }
        return "No " + (all ? "" : "delivered ") + "load meets the SLO (" + g.slo().describe() + ") for " + who
                + predicted + ": at " + g.axis().describe(lowest.load()) + ", the lowest " + (all ? "load run" : "delivered load")
                + ", " + figures(g, lowest) + ".";
    }

    /**
     * " Concurrency 32 and 64 met the SLO but were not delivered by the client: at 32 the client lost 2 of 32
     * requests (client_failed); at 64 ...", then likewise for those that missed it; "" when the client delivered
     * every load.
     */
    private static String undelivered(GroupResult g) {
        List<LoadPoint> met = g.points().stream().filter(p -> !g.judge().delivered(p) && g.judge().passes(p)).toList();
        List<LoadPoint> missed = g.points().stream().filter(p -> !g.judge().delivered(p) && !g.judge().passes(p)).toList();
        return undelivered(g, met, "met the SLO but", false) + undelivered(g, missed, "missed the SLO but", true);
    }

    private static String undelivered(GroupResult g, List<LoadPoint> loads, String what, boolean boundsNothing) {
        if (loads.isEmpty()) return "";
        String why;
        if (loads.size() == 1) {
            why = reason(g.judge().shortfall(loads.get(0)));
        } else {
            // Loads that fell short for the same reason are named together: "at 1, 2 and 4 the load generator ...".
            java.util.Map<String, List<Double>> byReason = new java.util.LinkedHashMap<>();
            for (LoadPoint p : loads) {
                byReason.computeIfAbsent(reason(g.judge().shortfall(p)), k -> new java.util.ArrayList<>()).add(p.load());
            }
            why = byReason.entrySet().stream().map(e -> "at " + Text.briefLoads(g.axis(), e.getValue()) + " " + e.getKey())
                    .collect(Collectors.joining("; "));
        }
        boolean one = loads.size() == 1;
        String consequence = !boundsNothing ? "" : one ? ", so it bounds nothing" : ", so they bound nothing";
        String sentence = Text.loads(g.axis(), loads.stream().map(LoadPoint::load).toList()) + " " + what
                + (one ? " was" : " were") + " not delivered by the client" + consequence + ": " + why + ".";
        return " " + Text.capitalized(sentence);
    }

    private static String reason(Judge.Shortfall s) {
        return s.why() + (s.sign() == Judge.Sign.NOT_VALID ? " (it failed a validity check)" : "");
    }

    /** " Concurrency 16: headroom failed during the point: CAUSE. Run it again: ...", or "" without tool errors. */
    private static String toolErrors(GroupResult g) {
        if (g.toolErrors().isEmpty()) return "";
        StringBuilder b = new StringBuilder();
        for (Point p : g.toolErrors()) b.append(" ").append(Text.capitalized(toolError(g.axis(), p)));
        b.append(g.toolErrors().size() == 1 ? " Run it again" : " Run them again")
                .append(": a failure inside headroom says nothing about the server.");
        return b.toString();
    }

    /** {@code concurrency 16: headroom failed during the point: CAUSE.} */
    static String toolError(Axis axis, Point p) {
        Double load = axis.load(p);
        String where = (load == null ? p.source() : axis.describe(load)) + (p.repeat() > 0 ? " (repeat " + p.repeat() + ")" : "");
        String cause = p.error() == null ? "no cause was recorded" : p.error().strip();
        return where + ": headroom failed during the point: " + cause + (cause.endsWith(".") ? "" : ".");
    }

    private static String figures(GroupResult g, LoadPoint p) {
        if (p.broken()) return "the point ended with status " + p.status();
        String latencies = latencies(g.slo(), p);
        double errors = p.errorRate();
        return errors > g.judge().maxErrorRate() ? latencies + " with " + Text.percent(errors) + " of requests failing"
                : latencies;
    }

    private static String latencies(SloChoice slo, LoadPoint p) {
        List<String> parts = slo.objectives().stream().filter(o -> p.mean(o.key()) != null)
                .map(o -> o.label() + " " + Text.latency(p.mean(o.key()))
                        + (p.range(o.key()) == null ? "" : " (range " + Text.latencyRange(p.range(o.key())) + ")")).toList();
        return parts.isEmpty() ? "no latency measured" : parts.stream().collect(Collectors.joining(", "));
    }

    /**
     * The thresholds, each named once: "The knee is at concurrency 32; the limit is decode bandwidth from
     * concurrency 32: ...". The limit is named from its onset, the lowest load showing it, whatever the recommended
     * load and the knee: a limit can show below both (decode slows long before throughput levels off).
     */
    private static String limitSentence(GroupResult g) {
        Limit limit = g.limit();
        String knee = g.knee() == null ? "Throughput has not levelled off (no knee)"
                : "The knee is at " + g.axis().describe(g.knee().load());
        if (limit.factor() == Factor.NONE_OBSERVED) {
            LoadPoint top = g.points().get(g.points().size() - 1);
            boolean allPass = g.points().stream().filter(g.judge()::delivered).allMatch(g.judge()::passes);
            return knee + "; no limiting factor showed up to " + g.axis().describe(top.load())
                    + (allPass ? ": run higher loads to find one." : ".");
        }
        if (limit.factor() == Factor.CLIENT) return knee + "; " + clientSentence(g, limit.onset());
        String what = switch (limit.factor()) {
            case KV_CAPACITY -> preempted(g, limit.onset()) ? "the KV cache fills and requests are preempted" : "the KV cache fills";
            case PREFILL_COMPUTE -> "requests queue for prefill and TTFT grows with the waiting queue";
            case QUEUEING -> "requests wait for a free slot: the server runs no more at once";
            case PREFILL_INTERFERENCE -> "each decode step also carries new prompts' prefill, so decoding slows as the load grows";
            case DECODE_COMPUTE -> "decode slows as the batch grows and compute sets the pace";
            case DECODE_BANDWIDTH -> "decode slows as the batch grows and memory bandwidth sets the pace";
            default -> "requests fail";
        };
        LoadPoint load = g.recommendation().load();
        String where = load == null ? "" : limit.onset() < load.load() ? ", below the recommended load"
                : limit.onset() == load.load() ? ", the recommended load" : "";
        return knee + "; the limit is " + limitName(limit.factor()) + " from " + g.axis().describe(limit.onset()) + where
                + ": " + what + ".";
    }

    /** The limiting factor in the words of the threshold sentence: "decode bandwidth", "KV-cache capacity". */
    static String limitName(Factor factor) {
        return switch (factor) {
            case CLIENT -> "the client";
            case ERRORS -> "server errors";
            case KV_CAPACITY -> "KV-cache capacity";
            case PREFILL_COMPUTE -> "prefill compute";
            case QUEUEING -> "queueing for a free slot";
            case PREFILL_INTERFERENCE -> "prompt processing sharing the decode steps";
            case DECODE_COMPUTE -> "decode compute";
            case DECODE_BANDWIDTH -> "decode bandwidth";
            case NONE_OBSERVED -> "none observed";
        };
    }

    /** The loads the client did not deliver are named (and why) before; this says what follows. */
    private static String clientSentence(GroupResult g, double onset) {
        return "the client limits from " + g.axis().describe(onset) + " up: measure from a stronger client before "
                + "trusting those loads.";
    }

    private static boolean preempted(GroupResult g, double load) {
        return g.points().stream().filter(p -> p.load() == load).anyMatch(p -> {
            Double preemptions = p.max(LimitFinder.PREEMPTIONS);
            return preemptions != null && preemptions > 0;
        });
    }
}
