package dev.headroom.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run's aggregate metrics, computed exactly as vLLM's {@code vllm/benchmarks/serve.py calculate_metrics}: only
 * successful requests count; TTFT, TPOT = (E2EL − TTFT)/(out − 1) for out &gt; 1, ITL = every per-chunk gap
 * pooled, E2EL; throughputs over the run's duration; peak output tokens per 1-s bucket and peak concurrency.
 * headroom's extras carry their own names (see reference/metrics.md, cross-walk).
 */
public final class Summary {

    /** The distributions vLLM reports, in its order. */
    public static final List<String> VLLM_METRICS = List.of("ttft", "tpot", "itl", "e2el");

    /**
     * vLLM's optional distributions ({@code --percentile-metrics client_queue_time,e2el_including_client_queue})
     * followed by headroom's extras: latency from the scheduled send (free of coordinated omission), TTFT to the
     * first non-empty content, NTPOT = E2EL/out (inference-perf) and decode ITL = (last − first)/(out − 1)
     * (GuideLLM's ITL; with chunk timestamps it equals vLLM's TPOT, and is reported so GuideLLM users find it).
     */
    public static final List<String> EXTRA_METRICS = List.of("client_queue_time", "e2el_including_client_queue",
            "ttft_including_client_queue", "ttft_content", "ntpot", "decode_itl");

    private final int completed;
    private final int failed;
    private final int cancelled;
    private final int clientFailed;
    private final int shortOutputs;
    private final Map<String, Integer> failedByKind;
    private final int connectionsOpened;
    private final double durationSeconds;
    private final long totalInputTokens;
    private final long totalOutputTokens;
    private final double maxOutputTokensPerS;
    private final int maxConcurrentRequests;
    private final Map<String, Distribution> distributions;
    private final double usageReportedFraction;
    private final SloResult slo;
    private final TokenLengths inputLengths;
    private final TokenLengths outputLengths;

    private Summary(SeriesSet s, double durationSeconds, double maxOutputTokensPerS, int maxConcurrentRequests,
                    SloResult slo) {
        this.completed = s.completed;
        this.failed = s.failed;
        this.cancelled = s.cancelled;
        this.clientFailed = s.clientFailed;
        this.shortOutputs = s.shortOutputs;
        this.failedByKind = java.util.Collections.unmodifiableMap(s.failedByKind());
        this.connectionsOpened = s.connectionsOpened;
        this.durationSeconds = durationSeconds;
        this.totalInputTokens = s.totalInput;
        this.totalOutputTokens = s.totalOutput;
        this.maxOutputTokensPerS = maxOutputTokensPerS;
        this.maxConcurrentRequests = maxConcurrentRequests;
        this.distributions = s.distributions();
        this.usageReportedFraction = s.completed == 0 ? 0 : (double) s.usageReported / s.completed;
        this.slo = slo;
        this.inputLengths = s.inputLengths();
        this.outputLengths = s.outputLengths();
    }

    /**
     * Computes the summary of {@code records} over a run of {@code durationNanos} (vLLM's benchmark_duration: from
     * the start of dispatch to the last completion), judged against {@code sloOrNull}.
     */
    public static Summary compute(List<RequestRecord> records, long durationNanos, Slo sloOrNull) {
        Objects.requireNonNull(records, "records");
        if (durationNanos <= 0) throw new IllegalArgumentException("durationNanos must be > 0, was " + durationNanos);
        SeriesSet series = SeriesSet.of(records);
        List<RequestRecord> ok = records.stream().filter(RequestRecord::ok).toList();
        SloResult slo = sloOrNull == null ? null : judge(sloOrNull, series, records.size() - series.cancelled);
        return new Summary(series, durationNanos / 1e9, Peaks.maxOutputTokensPerSecond(ok),
                Peaks.maxConcurrentRequests(ok), slo);
    }

    private static SloResult judge(Slo slo, SeriesSet series, int sent) {
        int good = slo.hasPerRequest() ? series.goodRequests(slo, false) : -1;
        int goodFromScheduled = slo.hasPerRequest() ? series.goodRequests(slo, true) : -1;
        List<SloResult.Check> checks = new ArrayList<>();
        for (Slo.PercentileTarget t : slo.percentileTargets()) {
            Distribution d = series.distributions().get(t.metric().key());
            double measuredMs = d.percentileMs(t.percentile());
            boolean pass = d.count() > 0 && measuredMs <= t.thresholdNanos() / 1e6;
            checks.add(new SloResult.Check(t, measuredMs, pass));
        }
        return new SloResult(slo, good, goodFromScheduled, sent, checks);
    }

    public int completed() {
        return completed;
    }

    /** Failed requests, cancelled ones excluded. */
    public int failed() {
        return failed;
    }

    /** Requests cancelled in flight when the run stopped: neither completed nor failed. */
    public int cancelled() {
        return cancelled;
    }

    /** Failed requests headroom's own client caused ({@link RequestError.Kind#byClient}): part of {@link #failed}. */
    public int clientFailed() {
        return clientFailed;
    }

    /** Completed requests the server cut short ({@link RequestRecord#shortOutput}): part of {@link #completed}. */
    public int shortOutputs() {
        return shortOutputs;
    }

    /** The point's failures, for the one rule that judges them. */
    public PointErrors errors() {
        return new PointErrors(completed, failed, clientFailed, shortOutputs);
    }

    /** Failed requests per error kind label ({@code http}, {@code timeout}, …) that occurred, in the kinds' order. */
    public Map<String, Integer> failedByKind() {
        return failedByKind;
    }

    /**
     * True when requests were sent and not one succeeded: latencies are then unknown (null in summary.json), and
     * the run must exit non-zero.
     */
    public boolean noneSucceeded() {
        return completed == 0 && failed + cancelled > 0;
    }

    /** TCP connections the measured requests opened (requests that reused a pooled connection opened none). */
    public int connectionsOpened() {
        return connectionsOpened;
    }

    /** The run's duration in seconds, the denominator of every throughput. */
    public double durationSeconds() {
        return durationSeconds;
    }

    /** Prompt tokens of successful requests. */
    public long totalInputTokens() {
        return totalInputTokens;
    }

    /** Output tokens of successful requests (failed ones count 0, as in vLLM). */
    public long totalOutputTokens() {
        return totalOutputTokens;
    }

    /** Successful requests per second. */
    public double requestThroughput() {
        return completed / durationSeconds;
    }

    /** Good requests per second (vLLM's request_goodput), or null without per-request SLO thresholds. */
    public Double requestGoodput() {
        return slo == null || slo.goodRequests() < 0 ? null : slo.goodRequests() / durationSeconds;
    }

    /** As {@link #requestGoodput} with TTFT and E2EL from the scheduled send, or null without per-request thresholds. */
    public Double requestGoodputFromScheduled() {
        return slo == null || slo.goodFromScheduled() < 0 ? null : slo.goodFromScheduled() / durationSeconds;
    }

    /** Output tokens per second. */
    public double outputThroughput() {
        return totalOutputTokens / durationSeconds;
    }

    /** Prompt plus output tokens per second. */
    public double totalTokenThroughput() {
        return (totalInputTokens + totalOutputTokens) / durationSeconds;
    }

    /** The most token-bearing chunks in any 1-s bucket from the earliest send (vLLM counts chunks, not tokens). */
    public double maxOutputTokensPerS() {
        return maxOutputTokensPerS;
    }

    /** The most successful requests in flight at once (sweep line over [sent, last chunk)). */
    public int maxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    public Distribution ttft() {
        return distributions.get("ttft");
    }

    public Distribution tpot() {
        return distributions.get("tpot");
    }

    public Distribution itl() {
        return distributions.get("itl");
    }

    public Distribution e2el() {
        return distributions.get("e2el");
    }

    /** A distribution by its summary name: one of {@link #VLLM_METRICS} or {@link #EXTRA_METRICS}. */
    public Distribution distribution(String name) {
        Distribution d = distributions.get(name);
        if (d == null) throw new IllegalArgumentException("no metric '" + name + "'; known: " + distributions.keySet());
        return d;
    }

    /** Share (0..1) of successful requests whose token counts came from the server's usage. */
    public double usageReportedFraction() {
        return usageReportedFraction;
    }

    /** Prompt tokens per successful request as sent (mean, median, p90), or null when none succeeded. */
    public TokenLengths inputLengths() {
        return inputLengths;
    }

    /** Output tokens per successful request as received (mean, median, p90), or null when none succeeded. */
    public TokenLengths outputLengths() {
        return outputLengths;
    }

    /** The SLO outcome, or null when no SLO was given. */
    public SloResult slo() {
        return slo;
    }

    /**
     * The flat summary.json map: vLLM's result keys first, in vLLM's order ({@code request_goodput} is null
     * without an SLO, as in vLLM), then headroom's extras ({@code max_*_ms}, extra distributions, failures by kind,
     * {@code client_failed} and {@code short_outputs}, connections, {@code usage_reported_fraction}, the requests'
     * lengths in tokens ({@code mean_input_tokens} … {@code p90_output_tokens}), SLO attainment and the {@code slo} block). When no request
     * succeeded every latency is null: vLLM would print 0, which reads as a perfect run.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("duration", durationSeconds);
        m.put("completed", completed);
        m.put("failed", failed);
        m.put("total_input_tokens", totalInputTokens);
        m.put("total_output_tokens", totalOutputTokens);
        m.put("request_throughput", requestThroughput());
        m.put("request_goodput", requestGoodput());
        m.put("output_throughput", outputThroughput());
        m.put("total_token_throughput", totalTokenThroughput());
        m.put("max_output_tokens_per_s", maxOutputTokensPerS);
        m.put("max_concurrent_requests", maxConcurrentRequests);
        for (String name : VLLM_METRICS) putLatencies(m, name);
        for (String name : VLLM_METRICS) m.put("max_" + name + "_ms", latency(distributions.get(name).maxMs()));
        for (String name : EXTRA_METRICS) {
            putLatencies(m, name);
            m.put("max_" + name + "_ms", latency(distributions.get(name).maxMs()));
        }
        m.put("ttft_starts_at", TTFT_STARTS_AT);
        m.put("cancelled", cancelled);
        m.put("client_failed", clientFailed);
        m.put("short_outputs", shortOutputs);
        m.put("failed_by_kind", failedByKind);
        m.put("connections_opened", connectionsOpened);
        m.put("usage_reported_fraction", usageReportedFraction);
        TokenLengths.put(m, "input", inputLengths);
        TokenLengths.put(m, "output", outputLengths);
        if (slo != null) {
            m.put("slo_attainment_pct", slo.attainmentPct());
            m.put("slo_attainment_from_scheduled_pct", slo.attainmentFromScheduledPct());
            m.put("request_goodput_from_scheduled", requestGoodputFromScheduled());
            m.put("slo_pass", slo.pass());
            m.put("slo", slo.toMap());
        }
        return m;
    }

    /**
     * Where TTFT (and E2EL) start: the send stamp, taken as the request's first byte is written to a ready
     * connection, so TCP connect and TLS handshake (requests.jsonl {@code connect_ms}, {@code tls_handshake_ms})
     * are not in it; vLLM's client stamps before its post, whose connection is usually already pooled.
     */
    public static final String TTFT_STARTS_AT = "request_write";

    private void putLatencies(Map<String, Object> m, String name) {
        distributions.get(name).vllmKeys(name).forEach((key, value) -> m.put(key, latency(value)));
    }

    private Double latency(double ms) {
        return completed == 0 ? null : ms;
    }
}
