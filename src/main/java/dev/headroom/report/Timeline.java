package dev.headroom.report;

import dev.headroom.results.TelemetryCsv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A run over time, in bins of equal width: requests in flight and output tokens/s as the client saw them (from
 * requests.jsonl), and the server's own gauges from telemetry.csv where the run sampled {@code /metrics}.
 */
public record Timeline(double[] tSec, double[] inFlight, double[] tokensPerSec, double[] telemetryTSec,
                       double[] kvUsagePct, double[] running, double[] waiting) {

    private static final int BINS = 120;

    /** Builds the timeline of the run in {@code runDir}. */
    public static Timeline of(Path runDir, List<RequestTimes> requests) throws IOException {
        List<RequestTimes> seen = requests.stream().filter(r -> !Double.isNaN(r.sentMs())).toList();
        double endMs = seen.stream().mapToDouble(r -> Double.isNaN(r.lastTokenMs()) ? r.sentMs() : r.lastTokenMs())
                .max().orElse(0);
        double binMs = Math.max(endMs / BINS, 1);
        int n = (int) Math.ceil(endMs / binMs) + 1;
        double[] t = new double[n];
        double[] inFlight = new double[n];
        double[] tokens = new double[n];
        for (int i = 0; i < n; i++) t[i] = (i + 0.5) * binMs / 1000;
        for (RequestTimes r : seen) {
            double end = Double.isNaN(r.lastTokenMs()) ? r.sentMs() : r.lastTokenMs();
            for (int i = 0; i < n; i++) if (r.sentMs() <= t[i] * 1000 && t[i] * 1000 < end) inFlight[i]++;
            double perChunk = r.chunkMs().length == 0 ? 0 : (double) r.outputTokens() / r.chunkMs().length;
            for (double c : r.chunkMs()) tokens[Math.min(n - 1, (int) (c / binMs))] += perChunk;
        }
        for (int i = 0; i < n; i++) tokens[i] /= binMs / 1000;
        return withTelemetry(runDir.resolve("telemetry.csv"), t, inFlight, tokens);
    }

    private static Timeline withTelemetry(Path file, double[] t, double[] inFlight, double[] tokens) throws IOException {
        Map<String, double[]> columns = TelemetryCsv.read(file);
        if (columns.isEmpty()) return new Timeline(t, inFlight, tokens, new double[0], new double[0], new double[0], new double[0]);
        double[] ts = columns.get("t_s");
        int n = ts == null ? 0 : ts.length;
        double[] kv = column(columns, "kv_cache_usage", n);
        double[] kvPct = Arrays.stream(kv).map(v -> 100 * fraction(v)).toArray();
        return new Timeline(t, inFlight, tokens, ts == null ? new double[0] : ts, kvPct,
                column(columns, "num_requests_running", n), column(columns, "num_requests_waiting", n));
    }

    /** The first column whose name contains {@code part} (vLLM names, with or without the {@code vllm:} prefix); NaNs without one. */
    private static double[] column(Map<String, double[]> columns, String part, int rows) {
        return columns.keySet().stream().filter(k -> k.contains(part)).sorted().findFirst().map(columns::get)
                .orElseGet(() -> { double[] none = new double[rows]; Arrays.fill(none, Double.NaN); return none; });
    }

    /** vLLM's {@code kv_cache_usage_perc} is a fraction despite its name; a value above 1 is read as a percentage. */
    private static double fraction(double v) {
        return v > 1 ? v / 100 : v;
    }

    /** Whether telemetry.csv gave a KV-usage series. */
    public boolean hasKv() {
        for (double v : kvUsagePct) if (!Double.isNaN(v)) return true;
        return false;
    }
}
