package dev.headroom.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One request of a run's {@code requests.jsonl}, times in ms since the run started (NaN where the request never
 * got that far): when it was meant to be sent, sent, its first and last token, and every chunk; and, where the
 * server timed the request itself ({@code server_metrics}), its queue time and its prefill (vLLM's engine TTFT,
 * llama.cpp's prompt evaluation) in ms, NaN where it did not.
 */
public record RequestTimes(double scheduledMs, double sentMs, double firstTokenMs, double lastTokenMs,
                           double[] chunkMs, int promptTokens, int outputTokens, boolean ok, double serverQueueMs,
                           double serverPrefillMs) {

    /** The run's requests in file order; an absent file reads as none. */
    public static List<RequestTimes> read(Path runDir) throws IOException {
        Path file = runDir.resolve("requests.jsonl");
        List<RequestTimes> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) return out;
        try (BufferedReader in = Files.newBufferedReader(file)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) out.add(of(SweepResults.JSON.readTree(line)));
            }
        }
        return out;
    }

    private static RequestTimes of(JsonNode n) {
        JsonNode chunks = n.path("chunk_ms");
        double[] chunkMs = new double[chunks.size()];
        for (int i = 0; i < chunkMs.length; i++) chunkMs[i] = chunks.get(i).asDouble();
        double sent = ms(n, "sent_ms");
        double scheduled = n.hasNonNull("scheduled_ms") ? ms(n, "scheduled_ms") : sent;
        JsonNode server = n.path("server_metrics");
        return new RequestTimes(scheduled, sent, ms(n, "first_token_ms"), ms(n, "last_token_ms"), chunkMs,
                n.path("prompt_tokens").asInt(0), n.path("output_tokens").asInt(0), n.path("ok").asBoolean(false),
                ms(server, "queue_time_ms"), ms(server, "time_to_first_token_ms"));
    }

    private static double ms(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    /** Time waiting in the client between the intended and the actual send. */
    public double clientQueueMs() {
        return Math.max(0, sentMs - scheduledMs);
    }

    /** Time to first token, from the send. */
    public double ttftMs() {
        return firstTokenMs - sentMs;
    }

    /** Time from the first to the last token. */
    public double decodeMs() {
        return lastTokenMs - firstTokenMs;
    }

    /** End to end including the client queue: from the intended send to the last token. */
    public double totalMs() {
        return lastTokenMs - scheduledMs;
    }

    /** Whether the request completed with its timings. */
    public boolean complete() {
        return ok && !Double.isNaN(firstTokenMs) && !Double.isNaN(lastTokenMs) && !Double.isNaN(sentMs);
    }
}
