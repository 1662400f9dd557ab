package dev.headroom.analysis;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The plain-language verdict of a group: where to serve and what happens beyond, e.g. "Serve chat at concurrency
 * 24: 1,180 tok/s, p95 E2E 1.31 s. Beyond 32 the KV cache fills and requests are preempted."
 */
final class Verdict {

    private Verdict() {
    }

    static String of(GroupResult g) {
        if (g.points().isEmpty()) return "No load point of " + g.key().workload() + " was measured.";
        return bestSentence(g) + " " + limitSentence(g);
    }

    private static String bestSentence(GroupResult g) {
        String who = g.key().workload() + (g.key().config().equals("default") ? "" : " with config " + g.key().config());
        String predicted = g.key().predicted() ? " (predicted)" : "";
        LoadPoint best = g.best();
        if (best == null) {
            LoadPoint lowest = g.points().get(0);
            return "No load meets the SLO (" + g.slo().describe() + ") for " + who + predicted + ": at "
                    + g.axis().describe(lowest.load()) + ", the lowest load run, " + figures(g, lowest) + ".";
        }
        return "Serve " + who + " at " + g.axis().describe(best.load()) + predicted + ": "
                + Text.throughput(best.mean(Analyzer.THROUGHPUT)) + ", " + latencies(g.slo(), best) + ".";
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
            boolean allPass = g.points().stream().allMatch(g.judge()::passes);
            return "No limiting factor showed up to " + g.axis().describe(top.load())
                    + (allPass ? "; run higher loads to find one." : ".");
        }
        String where = limit.lastClear() != null ? "Beyond " + g.axis().brief(limit.lastClear())
                : "Already at " + g.axis().describe(limit.onset());
        return switch (limit.factor()) {
            case KV_CAPACITY -> where + (preempted(g, limit.onset()) ? " the KV cache fills and requests are preempted."
                    : " the KV cache fills.");
            case PREFILL_COMPUTE -> where + " requests queue for prefill and TTFT grows with the waiting queue.";
            case DECODE_BANDWIDTH -> where + " decode slows as the batch grows: memory bandwidth sets the pace.";
            case ERRORS -> where + " requests fail.";
            case CLIENT -> "At " + g.axis().describe(limit.onset()) + " the client itself set the pace "
                    + "(client_limited): measure from a stronger client before trusting higher loads.";
            case NONE_OBSERVED -> "";
        };
    }

    private static boolean preempted(GroupResult g, double load) {
        return g.points().stream().filter(p -> p.load() == load).anyMatch(p -> {
            Double preemptions = p.max(LimitFinder.PREEMPTIONS);
            return preemptions != null && preemptions > 0;
        });
    }
}
