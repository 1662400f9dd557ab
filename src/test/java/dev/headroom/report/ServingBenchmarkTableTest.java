package dev.headroom.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.metrics.RequestError;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.metrics.Slo;
import dev.headroom.metrics.Summary;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServingBenchmarkTableTest {

    private static final long MS = 1_000_000L;

    private static Summary summary(String slo) {
        List<RequestRecord> records = List.of(
                new RequestRecord("a", 0, 0, new long[] {100 * MS, 150 * MS, 250 * MS}, 150 * MS, 10, 5, true, null),
                new RequestRecord("b", 0, 50 * MS, new long[] {250 * MS}, -1, 20, 1, false, null),
                RequestRecord.failed("c", 0, 0, 30, new RequestError(RequestError.Kind.HTTP, 500, "x")));
        return Summary.compute(records, 2_000_000_000L, slo == null ? null : Slo.parse(slo));
    }

    /** Lines exactly as Python prints them with serve.py's format strings (checked with CPython 3). */
    @Test
    void linesMatchVllmFormatStrings() {
        List<String> lines = ServingBenchmarkTable.render(summary(null)).lines().toList();
        assertThat(lines.get(0)).isEqualTo("============ Serving Benchmark Result ============");
        assertThat(lines).contains(
                "Successful requests:                     2         ",
                "Failed requests:                         1         ",
                "Benchmark duration (s):                  2.00      ",
                "Total input tokens:                      30        ",
                "Total generated tokens:                  6         ",
                "Request throughput (req/s):              1.00      ",
                "Output token throughput (tok/s):         3.00      ",
                "Peak concurrent requests:                2.00      ",
                "Total token throughput (tok/s):          18.00     ",
                "---------------Time to First Token----------------",
                "Mean TTFT (ms):                          150.00    ",
                "Median TTFT (ms):                        150.00    ",
                "P99.9 TTFT (ms):                         199.90    ",
                "-----Time per Output Token (excl. 1st token)------",
                "Mean TPOT (ms):                          37.50     ",
                "---------------Inter-token Latency----------------",
                "----------------End-to-end Latency----------------");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("=".repeat(50));
        assertThat(lines).noneMatch(l -> l.startsWith("Request goodput")).noneMatch(l -> l.startsWith("Maximum request"));
    }

    @Test
    void vllmLabelsInVllmOrder() {
        String table = ServingBenchmarkTable.render(summary("ttft=120ms,p95_e2el=240ms"), 8, 4.0);
        String[] labels = {"Successful requests:", "Failed requests:", "Maximum request concurrency:",
            "Request rate configured (RPS):", "Benchmark duration (s):", "Total input tokens:",
            "Total generated tokens:", "Request throughput (req/s):", "Request goodput (req/s):",
            "Output token throughput (tok/s):", "Peak output token throughput (tok/s):", "Peak concurrent requests:",
            "Total token throughput (tok/s):", "Mean TTFT (ms):", "Median TTFT (ms):", "P90 TTFT (ms):",
            "P99 TTFT (ms):", "Mean TPOT (ms):", "Mean ITL (ms):", "Mean E2EL (ms):", "Client-side Queueing",
            "Mean Client Queue Time (ms):", "Queue-inclusive End-to-end Latency", "Mean E2EL incl. Client Queue (ms):",
            "headroom extras", "SLO attainment (%):", "SLO p95_e2el (ms):"};
        int from = 0;
        for (String label : labels) {
            int at = table.indexOf(label, from);
            assertThat(at).as("'%s' after position %d", label, from).isGreaterThanOrEqualTo(0);
            from = at;
        }
        assertThat(table).contains("Maximum request concurrency:             8         ")
                .contains("Request rate configured (RPS):           4.00      ")
                .contains("Request goodput (req/s):                 0.50      ")
                .contains("SLO attainment (%):                      33.33     ")
                .contains("SLO p95_e2el (ms):                       247.50     FAIL (limit 240.00)");
    }

    @Test
    void infiniteRateShowsNoRateLineAndNoQueueInclusiveSection() {
        String table = ServingBenchmarkTable.render(summary(null), 4, Double.POSITIVE_INFINITY);
        assertThat(table).contains("Client-side Queueing").doesNotContain("Request rate configured")
                .doesNotContain("Queue-inclusive End-to-end Latency");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0.125, 0.12", "0.375, 0.38", "2.675, 2.67", "-0.001, -0.00", "1234.5678, 1234.57", "0, 0.00"})
    void twoDecimalsRoundLikePython(double value, String python) {
        assertThat(ServingBenchmarkTable.f2(value)).isEqualTo(python);
    }

    @Test
    void aRunWithoutOneSuccessSaysSoPrintsNoLatencyAndCountsFailuresByKind() {
        List<RequestRecord> records = List.of(
                RequestRecord.failed("a", 0, 0, 5, new RequestError(
                        RequestError.Kind.HTTP, 503, "down")),
                RequestRecord.failed("b", 0, 0, 5, new RequestError(
                        RequestError.Kind.CANCELLED, 0, "stopped")));
        String table = ServingBenchmarkTable.render(Summary.compute(records, 1_000_000_000L, null));
        assertThat(table).contains("No request succeeded:").contains(String.format("%-40s %-10s", "  failed: http", "1"))
                .contains(String.format("%-40s %-10s", "Cancelled requests (run stopped):", "1"))
                .contains(String.format("%-40s %-10s", "Mean TTFT (ms):", "n/a"))
                .doesNotContain("Mean TTFT (ms):                          0.00");
    }
}
