package dev.headroom.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        if (!Files.isRegularFile(file)) return new Timeline(t, inFlight, tokens, new double[0], new double[0], new double[0], new double[0]);
        List<Row> rows = Csv.read(file);
        String kv = column(rows, "kv_cache_usage");
        double[] ts = rows.stream().mapToDouble(r -> r.num("t_s")).toArray();
        double[] kvPct = rows.stream().mapToDouble(r -> kv == null ? Double.NaN : 100 * fraction(r.num(kv))).toArray();
        return new Timeline(t, inFlight, tokens, ts, kvPct, values(rows, column(rows, "num_requests_running")),
                values(rows, column(rows, "num_requests_waiting")));
    }

    /** The first column whose name contains {@code part} (vLLM names, with or without the {@code vllm:} prefix). */
    private static String column(List<Row> rows, String part) {
        if (rows.isEmpty()) return null;
        return rows.get(0).cells().keySet().stream().filter(k -> k.contains(part)).sorted().findFirst().orElse(null);
    }

    private static double[] values(List<Row> rows, String column) {
        return rows.stream().mapToDouble(r -> column == null ? Double.NaN : r.num(column)).toArray();
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
