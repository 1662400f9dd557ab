package dev.headroom.selftest;

import dev.headroom.load.Api;
import dev.headroom.load.ClientHealth;
import dev.headroom.load.LoadRunner;
import dev.headroom.load.RequestBodies;
import dev.headroom.load.RunSettings;
import dev.headroom.load.StreamingClient;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Lengths;
import dev.headroom.workload.Prompt;
import dev.headroom.workload.RandomWorkload;
import dev.headroom.workload.TokenCounter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One prompt length of {@link LongContext}: prompts fitted with cl100k (timed one by one), a warm-up run, then a
 * closed loop of one-token chat requests through the whole run path ({@link LoadRunner}: request bodies, send,
 * stream, records), matched by {@code x-request-id} with what the {@link ScheduleServer} read of each upload.
 */
final class ContextLength {

    static final String MODEL = "schedule-model";
    static final int STREAMS = 4;
    static final int FITTED_PROMPTS = 4;
    /** A warm-up round is quiet when the JIT compiled for less than this, ms; at most {@link #MAX_WARMUP_ROUNDS} rounds. */
    private static final long QUIET_JIT_MILLIS = 30;
    private static final int MAX_WARMUP_ROUNDS = 8;

    private ContextLength() {}

    /**
     * One length's figures.
     *
     * @param bodyBytes       the mean request body size, bytes
     * @param intactUploads   requests whose body the server read in full: found by id, byte count equal to the body
     * @param cpuMsPerRequest the client process's CPU per request (body built, sent, one-token stream read, recorded)
     * @param uploadP50Ms     median time from the client's first byte written to the server having read the whole body
     * @param ttftErrorP50Ms  median first-token arrival at the client minus its due time on the server's schedule
     */
    record Figures(int tokens, double bodyBytes, double fitMsPerPrompt, int requests, int intactUploads,
                   double cpuMsPerRequest, double uploadP50Ms, double uploadP99Ms, double ttftErrorP50Ms, double ttftErrorP99Ms) {

        double cpuNanosPerByte() {
            return cpuMsPerRequest * 1e6 / bodyBytes;
        }

        double uploadNanosPerByte() {
            return uploadP50Ms * 1e6 / bodyBytes;
        }

        /** Body bytes per microsecond of upload (= MB/s). */
        double uploadBytesPerMicro() {
            return bodyBytes / (uploadP50Ms * 1e3);
        }
    }

    /** Measures {@code requests} requests of {@code tokens}-token prompts against {@code server}. */
    static Figures measure(ServerProcess server, StreamingClient client, TokenCounter cl100k, int tokens, int requests)
            throws IOException {
        List<Prompt> distinct = new ArrayList<>();
        long fitNanos = 0;
        RandomWorkload workload = new RandomWorkload(Lengths.fixed(tokens), Lengths.fixed(1));
        for (int i = 0; i < FITTED_PROMPTS; i++) {
            long start = System.nanoTime();
            distinct.addAll(workload.prompts(1, 1000L * tokens + i, cl100k));
            fitNanos += System.nanoTime() - start;
        }
        int[] bodyBytes = distinct.stream().mapToInt(p -> RequestBodies.build(Api.CHAT, MODEL, p, false, Map.of()).length).toArray();
        List<Prompt> prompts = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) prompts.add(distinct.get(i % distinct.size()));
        warmUp(client, prompts.subList(0, Math.min(requests, Math.max(2 * STREAMS, requests / 4))), "warm-" + tokens + "-");
        server.takeUploads();
        List<RequestRecord> records = Collections.synchronizedList(new ArrayList<>());
        long cpuStart = ClientHealth.processCpuNanos();
        LoadRunner.Outcome outcome = run(client, prompts, "longctx-" + tokens + "-", records::add);
        long cpuNanos = ClientHealth.processCpuNanos() - cpuStart;
        Map<String, Uploads.Upload> uploads = server.takeUploads();
        return figures(tokens, fitNanos / 1e6 / FITTED_PROMPTS, bodyBytes, records, uploads, outcome.startNanos(),
                cpuNanos / 1e6 / Math.max(1, records.size()));
    }

    private static Figures figures(int tokens, double fitMs, int[] bodyBytes, List<RequestRecord> records,
                                   Map<String, Uploads.Upload> uploads, long startNanos, double cpuMs) {
        long[] uploadNanos = new long[records.size()];
        long[] errorNanos = new long[records.size()];
        int intact = 0;
        int n = 0;
        for (RequestRecord r : records) {
            Uploads.Upload u = uploads.get(r.requestId());
            if (u == null || r.chunkNanos().length == 0) continue;
            int index = Integer.parseInt(r.requestId().substring(r.requestId().lastIndexOf('-') + 1));
            if (u.bodyBytes() == bodyBytes[index % bodyBytes.length]) intact++;
            uploadNanos[n] = u.bodyReadNanos() - (startNanos + r.sentNanos());
            errorNanos[n++] = startNanos + r.chunkNanos()[0] - u.firstDueNanos();
        }
        uploadNanos = Arrays.copyOf(uploadNanos, n);
        errorNanos = Arrays.copyOf(errorNanos, n);
        return new Figures(tokens, Arrays.stream(bodyBytes).average().orElse(0), fitMs, records.size(), intact, cpuMs,
                percentileMs(uploadNanos, 50), percentileMs(uploadNanos, 99), percentileMs(errorNanos, 50), percentileMs(errorNanos, 99));
    }

    /** Nearest-rank percentile of {@code nanos}, in ms; NaN when empty. */
    static double percentileMs(long[] nanos, double percentile) {
        if (nanos.length == 0) return Double.NaN;
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    /**
     * Runs {@code prompts} until the JIT compiler goes quiet, so that compiling the path for this body size is not
     * billed to the measured requests as client CPU.
     */
    private static void warmUp(StreamingClient client, List<Prompt> prompts, String idPrefix) {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        for (int round = 0; round < MAX_WARMUP_ROUNDS; round++) {
            long before = jit.getTotalCompilationTime();
            run(client, prompts, idPrefix + round + "-", r -> { });
            if (jit.getTotalCompilationTime() - before < QUIET_JIT_MILLIS) return;
        }
    }

    private static LoadRunner.Outcome run(StreamingClient client, List<Prompt> prompts, String idPrefix, Consumer<RequestRecord> sink) {
        RunSettings settings = new RunSettings(Api.CHAT, MODEL, false, Map.of(), Duration.ofSeconds(60),
                LoadPattern.closedLoop(STREAMS), prompts.size(), null, 0, 0, 1, idPrefix);
        return new LoadRunner(client, settings).run(prompts, sink);
    }
}
