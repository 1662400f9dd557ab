package dev.headroom.report;

import dev.headroom.metrics.Distribution;
import dev.headroom.metrics.SloResult;
import dev.headroom.metrics.Summary;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The console block of {@code vllm bench serve} ("Serving Benchmark Result"), formatted with vLLM's own format
 * strings (vllm/benchmarks/serve.py {@code benchmark}: {@code "{:<40} {:<10}"}, {@code "{:<40} {:<10.2f}"} and
 * headers {@code "{s:{c}^{n}}"} with n=50), followed by a section of headroom's extras.
 */
public final class ServingBenchmarkTable {

    private static final int WIDTH = 50;

    private final StringBuilder out = new StringBuilder();
    /** No request succeeded: every latency is unknown and prints as {@code n/a}, not as vLLM's 0.00. */
    private final boolean noLatencies;

    private ServingBenchmarkTable(Summary s) {
        this.noLatencies = s.completed() == 0;
    }

    /** The block for a run with neither a concurrency cap nor a finite request rate. */
    public static String render(Summary s) {
        return render(s, null, null);
    }

    /**
     * The block; {@code maxConcurrencyOrNull} and {@code requestRateOrNull} (req/s) add vLLM's configuration lines
     * and, as vLLM does, the client-queue sections (queue with a cap, queue-inclusive E2EL with a cap and a rate).
     */
    public static String render(Summary s, Integer maxConcurrencyOrNull, Double requestRateOrNull) {
        ServingBenchmarkTable t = new ServingBenchmarkTable(s);
        t.totals(s, maxConcurrencyOrNull, requestRateOrNull);
        t.distribution("TTFT", "Time to First Token", s.ttft());
        t.distribution("TPOT", "Time per Output Token (excl. 1st token)", s.tpot());
        t.distribution("ITL", "Inter-token Latency", s.itl());
        t.distribution("E2EL", "End-to-end Latency", s.e2el());
        if (maxConcurrencyOrNull != null) {
            t.distribution("Client Queue Time", "Client-side Queueing", s.distribution("client_queue_time"));
            if (requestRateOrNull != null && !requestRateOrNull.isInfinite()) {
                t.distribution("E2EL incl. Client Queue", "Queue-inclusive End-to-end Latency",
                        s.distribution("e2el_including_client_queue"));
            }
        }
        t.extras(s, maxConcurrencyOrNull != null);
        t.out.append("=".repeat(WIDTH)).append('\n');
        return t.out.toString();
    }

    private void totals(Summary s, Integer maxConcurrency, Double requestRate) {
        header(" Serving Benchmark Result ", '=');
        line("Successful requests:", Integer.toString(s.completed()));
        line("Failed requests:", Integer.toString(s.failed()));
        s.failedByKind().forEach((kind, count) -> line("  failed: " + kind, Integer.toString(count)));
        if (s.cancelled() > 0) line("Cancelled requests (run stopped):", Integer.toString(s.cancelled()));
        if (noLatencies) line("No request succeeded:", "latencies below are unknown (n/a)");
        if (maxConcurrency != null) line("Maximum request concurrency:", maxConcurrency.toString());
        if (requestRate != null && !requestRate.isInfinite()) line("Request rate configured (RPS):", f2(requestRate));
        line("Benchmark duration (s):", f2(s.durationSeconds()));
        line("Total input tokens:", Long.toString(s.totalInputTokens()));
        line("Total generated tokens:", Long.toString(s.totalOutputTokens()));
        line("Request throughput (req/s):", f2(s.requestThroughput()));
        if (s.requestGoodput() != null) line("Request goodput (req/s):", f2(s.requestGoodput()));
        if (s.requestGoodputFromScheduled() != null) line("Goodput from scheduled send (req/s):", f2(s.requestGoodputFromScheduled()));
        line("Output token throughput (tok/s):", f2(s.outputThroughput()));
        line("Peak output token throughput (tok/s):", f2(s.maxOutputTokensPerS()));
        line("Peak concurrent requests:", f2(s.maxConcurrentRequests()));
        line("Total token throughput (tok/s):", f2(s.totalTokenThroughput()));
    }

    // serve.py process_one_metric: mean, median, then P{word} per selected percentile.
    private void distribution(String name, String title, Distribution d) {
        header(title, '-');
        line("Mean " + name + " (ms):", ms(d.meanMs()));
        line("Median " + name + " (ms):", ms(d.medianMs()));
        for (double p : Distribution.PERCENTILES) {
            line("P" + Distribution.percentileWord(p) + " " + name + " (ms):", ms(d.percentileMs(p)));
        }
    }

    private String ms(double value) {
        return noLatencies ? "n/a" : f2(value);
    }

    private void extras(Summary s, boolean queueShown) {
        header("headroom extras", '-');
        Distribution ntpot = s.distribution("ntpot");
        line("Mean NTPOT (ms):", ms(ntpot.meanMs()));
        line("P99 NTPOT (ms):", ms(ntpot.percentileMs(99)));
        Distribution content = s.distribution("ttft_content");
        if (content.count() > 0) line("Mean TTFT to content (ms):", f2(content.meanMs()));
        if (!queueShown) line("Mean client queue (ms):", ms(s.distribution("client_queue_time").meanMs()));
        line("P99 TTFT incl. client queue (ms):", ms(s.distribution("ttft_including_client_queue").percentileMs(99)));
        line("P99 E2EL incl. client queue (ms):", ms(s.distribution("e2el_including_client_queue").percentileMs(99)));
        line("Connections opened:", Integer.toString(s.connectionsOpened()));
        SloResult slo = s.slo();
        if (slo != null) {
            if (slo.attainmentPct() != null) line("SLO attainment (%):", f2(slo.attainmentPct()));
            if (slo.attainmentFromScheduledPct() != null) {
                line("SLO attainment from scheduled send (%):", f2(slo.attainmentFromScheduledPct()));
            }
            for (SloResult.Check c : slo.checks()) {
                line("SLO " + c.target().key() + " (ms):", ms(c.measuredMs()),
                        (c.pass() ? "pass" : "FAIL") + " (limit " + f2(c.thresholdMs()) + ")");
            }
        }
        line("Token counts from server usage (%):", f2(100 * s.usageReportedFraction()));
    }

    // Python str.format "^": the odd padding character goes to the right.
    private void header(String title, char fill) {
        int pad = Math.max(0, WIDTH - title.length());
        out.append(String.valueOf(fill).repeat(pad / 2)).append(title)
                .append(String.valueOf(fill).repeat(pad - pad / 2)).append('\n');
    }

    private void line(String label, String value) {
        out.append(String.format("%-40s %-10s", label, value)).append('\n');
    }

    private void line(String label, String value, String note) {
        out.append(String.format("%-40s %-10s %s", label, value, note)).append('\n');
    }

    /** Python's {@code format(x, ".2f")}: the exact binary value rounded half-even to two decimals. */
    static String f2(double x) {
        if (!Double.isFinite(x)) return Double.isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf");
        String digits = new BigDecimal(x).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
        // Python keeps the sign of a negative value that rounds to zero ("-0.00"); BigDecimal drops it.
        return x < 0 && !digits.startsWith("-") ? "-" + digits : digits;
    }
}
