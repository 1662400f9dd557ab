package dev.headroom.report;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where one request's time went: waiting in the client (intended → actual send), waiting in the server's queue,
 * prefill (admission to the first token, with the server's front end and the network) and decode (first → last
 * token). The TTFT is split as the analysis splits it ({@code analysis.LatencySplit}), from the best evidence the
 * run has:
 * <ol>
 *   <li>the server's own timing of that request ({@code server_metrics}: vLLM's per-request metrics, the simulator's
 *       engine, llama.cpp's {@code timings}): queue is the server's queue time; a server that times prefill but not
 *       its queue (llama.cpp) has the rest of TTFT booked as queue only while requests waited;</li>
 *   <li>vLLM's request-phase histograms: prefill is their mean, the rest of TTFT queue;</li>
 *   <li>otherwise prefill is estimated as the run's fastest TTFT and the rest is queue.</li>
 * </ol>
 * Queue is never inferred where the server's gauge says nobody waited ({@code num_requests_waiting_mean} below
 * {@value #WAITING}): then all of TTFT is prefill.
 */
public record RequestLife(String which, double clientQueueMs, double serverQueueMs, double prefillMs,
                          double decodeMs, int promptTokens, int outputTokens) {

    /** The four phases in order, with their names as charts label them. */
    public static final List<String> PHASES = List.of("client queue", "server queue", "prefill", "decode");

    /** Mean waiting requests below which the server says nobody queued (the analysis's threshold). */
    static final double WAITING = 0.5;

    /** A run's median and p99 request (by time from intended send to last token), with how TTFT was split. */
    public record Dissection(RequestLife median, RequestLife p99, String method) {}

    /** Dissects the completed requests of one run ({@code summary}: its summary.json); empty when none completed. */
    public static Optional<Dissection> of(List<RequestTimes> requests, Map<String, Number> summary) {
        List<RequestTimes> done = requests.stream().filter(RequestTimes::complete)
                .sorted(Comparator.comparingDouble(RequestTimes::totalMs)).toList();
        if (done.isEmpty()) return Optional.empty();
        double waiting = num(summary, "num_requests_waiting_mean");
        boolean nobodyWaited = !Double.isNaN(waiting) && waiting < WAITING;
        String gauge = Double.isNaN(waiting) ? "" : " The server's gauge showed " + Fmt.num(waiting) + " requests waiting on average"
                + (nobodyWaited ? ", so no time is booked as queue beyond what the server timed itself." : ".");
        boolean perRequest = done.stream().anyMatch(r -> !Double.isNaN(r.serverPrefillMs()));
        double meanPrefill = num(summary, "server_mean_prefill_time_ms");
        Split split;
        String method;
        if (perRequest) {
            boolean timedQueue = done.stream().anyMatch(r -> !Double.isNaN(r.serverQueueMs()));
            split = r -> {
                double ttft = Math.max(0, r.ttftMs());
                if (Double.isNaN(r.serverPrefillMs())) return 0;
                if (!Double.isNaN(r.serverQueueMs())) return Math.min(ttft, r.serverQueueMs());
                return nobodyWaited ? 0 : Math.max(0, ttft - r.serverPrefillMs());
            };
            method = timedQueue ? "Server queue is the server's own queue time for each request; prefill is the rest of "
                    + "the time to first token (the server's prefill, its front end and the network)."
                    : "The server timed each request's prompt evaluation but not its wait for a slot: prefill is that "
                    + "evaluation, and the rest of the time to first token is queue only while requests waited.";
        } else if (!Double.isNaN(meanPrefill)) {
            split = r -> nobodyWaited ? 0 : Math.max(0, Math.max(0, r.ttftMs()) - meanPrefill);
            method = "Server queue and prefill are split with the server's request-phase histograms (mean prefill "
                    + Fmt.ms(meanPrefill) + ", mean queue " + Fmt.ms(num(summary, "server_mean_queue_time_ms"))
                    + "): prefill is the mean, the rest of the time to first token is queue and network.";
        } else {
            double fastest = done.stream().mapToDouble(RequestTimes::ttftMs).min().orElse(0);
            split = r -> nobodyWaited ? 0 : Math.max(0, Math.max(0, r.ttftMs()) - fastest);
            method = nobodyWaited ? "The server timed no request itself; as nobody waited, the whole time to first token is prefill."
                    : "The server timed no request itself, so prefill is estimated as the run's fastest time to first token ("
                    + Fmt.ms(fastest) + ") and server queue as the rest.";
        }
        RequestLife median = of("median request", done.get((done.size() - 1) / 2), split);
        RequestLife p99 = of("p99 request", done.get((int) Math.ceil(0.99 * (done.size() - 1))), split);
        return Optional.of(new Dissection(median, p99, method + gauge));
    }

    /** A request's server queue time in ms, at most its TTFT. */
    private interface Split {
        double queueMs(RequestTimes r);
    }

    private static RequestLife of(String which, RequestTimes r, Split split) {
        double ttft = Math.max(0, r.ttftMs());
        double queue = Math.min(ttft, split.queueMs(r));
        return new RequestLife(which, r.clientQueueMs(), queue, ttft - queue, Math.max(0, r.decodeMs()),
                r.promptTokens(), r.outputTokens());
    }

    /** The phases' durations in {@link #PHASES} order. */
    public double[] phasesMs() {
        return new double[] {clientQueueMs, serverQueueMs, prefillMs, decodeMs};
    }

    /** From the intended send to the last token. */
    public double totalMs() {
        return clientQueueMs + serverQueueMs + prefillMs + decodeMs;
    }

    /** The phase that took longest, with its share: "decode (92% of 1,674 ms)". */
    public String dominant() {
        double[] ms = phasesMs();
        int top = 0;
        for (int i = 1; i < ms.length; i++) if (ms[i] > ms[top]) top = i;
        return PHASES.get(top) + " (" + Fmt.pct(totalMs() > 0 ? ms[top] / totalMs() : 0) + " of " + Fmt.ms(totalMs()) + ")";
    }

    private static double num(Map<String, Number> summary, String key) {
        Number v = summary.get(key);
        return v == null ? Double.NaN : v.doubleValue();
    }
}
