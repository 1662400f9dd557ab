package dev.headroom.analysis;

import dev.headroom.results.Point;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The plain-language verdict of a group: where to serve and what happens beyond, e.g. "Serve chat at concurrency
 * 24: 1,180 tok/s, p95 E2E 1.31 s. Beyond 32 the KV cache fills and requests are preempted." Loads the client did
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
        LoadPoint best = g.best();
        if (best != null) {
            return "Serve " + who + " at " + g.axis().describe(best.load()) + predicted + ": "
                    + Text.throughput(best.mean(Analyzer.THROUGHPUT)) + ", " + latencies(g.slo(), best) + ".";
        }
        List<LoadPoint> delivered = g.points().stream().filter(g.judge()::delivered).toList();
        if (delivered.isEmpty()) {
            return "No load of " + who + predicted + " was delivered by the client, so none can be recommended.";
        }
        LoadPoint lowest = delivered.get(0);
        boolean all = delivered.size() == g.points().size();
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
            why = loads.stream().map(p -> "at " + g.axis().brief(p.load()) + " " + reason(g.judge().shortfall(p)))
                    .collect(Collectors.joining("; "));
        }
        boolean one = loads.size() == 1;
        String consequence = !boundsNothing ? "" : one ? ", so it bounds nothing" : ", so they bound nothing";
        String sentence = Text.loads(g.axis(), loads.stream().map(LoadPoint::load).toList()) + " " + what
                + (one ? " was" : " were") + " not delivered by the client" + consequence + ": " + why + ".";
        return " " + Text.capitalized(sentence);
    }

    private static String reason(Judge.Shortfall s) {
        return s.why() + " (" + s.sign().key() + ")";
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
                .map(o -> o.label() + " " + Text.latency(p.mean(o.key()))).toList();
        return parts.isEmpty() ? "no latency measured" : parts.stream().collect(Collectors.joining(", "));
    }

    private static String limitSentence(GroupResult g) {
        Limit limit = g.limit();
        if (limit.factor() == Factor.NONE_OBSERVED) {
            LoadPoint top = g.points().get(g.points().size() - 1);
            boolean allPass = g.points().stream().filter(g.judge()::delivered).allMatch(g.judge()::passes);
            return "No limiting factor showed up to " + g.axis().describe(top.load())
                    + (allPass ? "; run higher loads to find one." : ".");
        }
        String where = limit.lastClear() != null ? "Beyond " + g.axis().brief(limit.lastClear())
                : "Already at " + g.axis().describe(limit.onset());
        return switch (limit.factor()) {
            case KV_CAPACITY -> where + (preempted(g, limit.onset()) ? " the KV cache fills and requests are preempted."
                    : " the KV cache fills.");
            case PREFILL_COMPUTE -> where + " requests queue for prefill and TTFT grows with the waiting queue.";
            case QUEUEING -> where + " requests wait for a free slot: the server runs no more at once.";
            case DECODE_COMPUTE -> where + " decode slows with the batch: compute sets the pace.";
            case DECODE_BANDWIDTH -> where + " decode slows as the batch grows: memory bandwidth sets the pace.";
            case ERRORS -> where + " requests fail.";
            case CLIENT -> clientSentence(g, limit.onset());
            case NONE_OBSERVED -> "";
        };
    }

    /** The loads the client did not deliver are named (and why) before; this says what follows. */
    private static String clientSentence(GroupResult g, double onset) {
        return "The client limits from " + g.axis().describe(onset) + " up: measure from a stronger client before "
                + "trusting those loads.";
    }

    private static boolean preempted(GroupResult g, double load) {
        return g.points().stream().filter(p -> p.load() == load).anyMatch(p -> {
            Double preemptions = p.max(LimitFinder.PREEMPTIONS);
            return preemptions != null && preemptions > 0;
        });
    }
}
