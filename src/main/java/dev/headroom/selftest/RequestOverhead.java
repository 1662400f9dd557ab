package dev.headroom.selftest;

import dev.headroom.load.Api;
import dev.headroom.load.ClientHealth;
import dev.headroom.load.Endpoint;
import dev.headroom.load.LoadRunner;
import dev.headroom.load.RunSettings;
import dev.headroom.load.StreamingClient;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.results.RequestLog;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Prompt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's CPU per request outside the chunks: a closed loop of one-token requests through the whole run path
 * ({@link LoadRunner}: request bodies, send, response head, one token chunk, usage, {@code [DONE]}, the record, its
 * {@code requests.jsonl} line), whose process CPU per request, less the per-chunk cost measured for the chunks it
 * read, is what a request costs besides its tokens.
 */
final class RequestOverhead {

    private static final int STREAMS = 16;

    private RequestOverhead() {}

    /** CPU milliseconds per request outside its chunks, given the client's CPU µs per chunk measured alongside. */
    static double measure(Endpoint endpoint, Duration window, double cpuMicrosPerChunk) throws IOException {
        Path dir = Files.createTempDirectory("headroom-selftest-");
        Path file = dir.resolve("requests.jsonl");
        List<Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < 64; i++) prompts.add(new Prompt("You are terse.", "selftest prompt number " + i, 8, 1));
        RunSettings settings = new RunSettings(Api.CHAT, "schedule-model", true, Map.of(), Duration.ofSeconds(30),
                LoadPattern.closedLoop(STREAMS), 0, window, 0, 0, 1, "selftest-");
        AtomicInteger chunks = new AtomicInteger();
        try (StreamingClient client = new StreamingClient(endpoint, Map.of(), Duration.ofSeconds(3));
             RequestLog log = RequestLog.open(file)) {
            LoadRunner runner = new LoadRunner(client, settings);
            long cpuStart = ClientHealth.processCpuNanos();
            LoadRunner.Outcome outcome = runner.run(prompts, (RequestRecord r) -> {
                chunks.addAndGet(r.chunkNanos().length);
                log.append(r);
            });
            log.flush();
            long cpuNanos = ClientHealth.processCpuNanos() - cpuStart;
            int requests = Math.max(1, outcome.issued());
            // Each request also reads a usage message and [DONE]: three SSE messages, priced as chunks.
            double chunkMicros = cpuMicrosPerChunk * (chunks.get() + 2.0 * requests);
            return Math.max(0, (cpuNanos / 1e3 - chunkMicros) / requests / 1e3);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
