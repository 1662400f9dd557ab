package dev.headroom.report;


import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where one request's time went, from the run's own timings: waiting in the client (intended → actual send),
 * waiting in the server's queue, prefill (up to the first token) and decode (first → last token).
 *
 * <p>requests.jsonl times the client side only, so the split of TTFT into server queue and prefill is estimated:
 * with vLLM's request-phase histograms scraped ({@code server_mean_prefill_time_ms}), prefill is that mean and the
 * rest of TTFT is queue (and network); without them, prefill is the run's fastest TTFT, the closest the run came to
 * a prefill that waited for nothing.
 */
public record RequestLife(String which, double clientQueueMs, double serverQueueMs, double prefillMs,
                          double decodeMs, int promptTokens, int outputTokens) {

    /** The four phases in order, with their names as charts label them. */
    public static final List<String> PHASES = List.of("client queue", "server queue", "prefill", "decode");

    /** A run's median and p99 request (by time from intended send to last token), with how TTFT was split. */
    public record Dissection(RequestLife median, RequestLife p99, String method) {}

    /** Dissects the completed requests of one run ({@code summary}: its summary.json); empty when none completed. */
    public static Optional<Dissection> of(List<RequestTimes> requests, Map<String, Number> summary) {
        List<RequestTimes> done = requests.stream().filter(RequestTimes::complete)
                .sorted(Comparator.comparingDouble(RequestTimes::totalMs)).toList();
        if (done.isEmpty()) return Optional.empty();
        double meanPrefill = num(summary, "server_mean_prefill_time_ms");
        double prefill;
        String method;
        if (!Double.isNaN(meanPrefill)) {
            prefill = meanPrefill;
            method = "Server queue and prefill are split with vLLM's request-phase histograms scraped from /metrics "
                    + "(mean prefill " + Fmt.ms(meanPrefill) + ", mean queue " + Fmt.ms(num(summary, "server_mean_queue_time_ms"))
                    + "): prefill is the mean, the rest of TTFT is queue and network.";
        } else {
            prefill = done.stream().mapToDouble(RequestTimes::ttftMs).min().orElse(0);
            method = "The server exposed no request-phase histograms, so prefill is estimated as the run's fastest TTFT ("
                    + Fmt.ms(prefill) + ") and server queue as TTFT minus that estimate.";
        }
        RequestLife median = of("median request", done.get((done.size() - 1) / 2), prefill);
        RequestLife p99 = of("p99 request", done.get((int) Math.ceil(0.99 * (done.size() - 1))), prefill);
        return Optional.of(new Dissection(median, p99, method));
    }

    private static RequestLife of(String which, RequestTimes r, double prefillEstimateMs) {
        double ttft = Math.max(0, r.ttftMs());
        double prefill = Math.min(ttft, prefillEstimateMs);
        return new RequestLife(which, r.clientQueueMs(), ttft - prefill, prefill, Math.max(0, r.decodeMs()),
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
