package dev.headroom.selftest;

import dev.headroom.load.ClientHealth;
import dev.headroom.load.Endpoint;
import dev.headroom.load.StreamResult;
import dev.headroom.load.StreamingClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code headroom selftest client}: what the load client costs and how well it times. A {@link ScheduleServer}
 * runs in a child JVM (so this process's CPU time is the client's alone) and streams one token per chunk every
 * {@value #DEFAULT_STEP_MS} ms (or {@code --step}), by default like vLLM's engine: one global step clock, one chunk
 * per running stream per step, all of a step's chunks written together ({@link Schedule#withLockstepSteps()}); or
 * per stream, each on its own clock. For each level of concurrent streams this measures, over a fixed window, the
 * client's CPU microseconds per received chunk (and where they went, by thread group), its timing error (client
 * read stamp − server send stamp, both CLOCK_MONOTONIC), and whether the client's own watch ({@link ClientHealth},
 * as a run uses it) judged it {@code client_limited}. The server's lateness against its schedule is printed as the
 * harness baseline. Process CPU time advances in 10 ms clock ticks on Linux, so a level's CPU figure is good to
 * ±10 ms over its window (about ±5% at 100 streams over the default 3 s).
 */
public final class ClientOverhead {

    static final int DEFAULT_STEP_MS = 20;
    static final double THROUGHPUT_TARGET_CHUNKS_PER_S = 200_000;
    private static final int TOKENS_PER_REQUEST = 100;

    /**
     * One level's figures; times in milliseconds, CPU in microseconds per chunk. {@code health} is the judgement a
     * run makes of its client ({@link ClientHealth}) over the window; {@code cpuByThread} is where the CPU went.
     */
    public record Level(int streams, long chunks, double chunksPerSecond, double scheduledChunksPerSecond, double cpuMicrosPerChunk,
                        double errorP50Ms, double errorP99Ms, double serverLatenessP50Ms, double serverLatenessP99Ms,
                        ClientHealth.Report health, ThreadCpu cpuByThread, double allocatedBytesPerChunk, double keysPerWakeUp) {}

    /**
     * All levels, in the order run, and the CPU per request outside its chunks ({@link RequestOverhead}), in ms.
     */
    public record Result(List<Level> levels, double cpuMsPerRequestOutsideChunks) {

        /** The level with {@code streams} concurrent streams, or null when it was not run. */
        public Level level(int streams) {
            return levels.stream().filter(l -> l.streams() == streams).findFirst().orElse(null);
        }
    }

    /** The figures issue 8 sets, and their targets. */
    static final int CPU_FIGURE_STREAMS = 256;
    static final double CPU_TARGET_MICROS = 8;
    static final int ERROR_FIGURE_STREAMS = 100;
    static final double ERROR_TARGET_MS = 0.5;
    static final double REQUEST_TARGET_MS = 1;

    private ClientOverhead() {}

    /**
     * Measures each level in {@code streams} for {@code window} after a warm-up, printing a table to {@code out}.
     *
     * @param lockstep true for vLLM-like steps (all streams' chunks together), false for per-stream clocks
     */
    public static Result run(PrintStream out, int[] streams, Duration window, boolean lockstep, int stepMs)
            throws IOException, InterruptedException {
        double loadAverage = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Process server = startServer(lockstep, stepMs);
        try (BufferedReader fromServer = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter toServer = new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String first = fromServer.readLine();
            if (first == null || !first.startsWith("port ")) throw new IOException("the schedule server did not start: " + first);
            Endpoint endpoint = Endpoint.parse("http://127.0.0.1:" + first.substring(5).strip());
            out.printf("headroom selftest client: schedule server in a child JVM, %s (one token per chunk, a chunk per"
                            + " stream every %d ms); %d cores%n",
                    lockstep ? "lockstep steps like vLLM's engine" : "per-stream clocks", stepMs,
                    Runtime.getRuntime().availableProcessors());
            warmUp(endpoint, streams, toServer, fromServer, stepMs);
            out.println("streams   chunks   chunks/s (scheduled)   client CPU µs/chunk   timing error p50 ms   p99 ms   server lateness p50 ms   p99 ms   I/O thread busy   client_limited");
            List<Level> levels = new ArrayList<>();
            for (int s : streams) {
                Level level = measure(endpoint, s, window, toServer, fromServer, stepMs);
                levels.add(level);
                out.printf("%7d %8d %10.0f (%9.0f) %21.2f %21.3f %8.3f %24.3f %8.3f %16.0f%% %16s%n", level.streams(), level.chunks(),
                        level.chunksPerSecond(), level.scheduledChunksPerSecond(), level.cpuMicrosPerChunk(),
                        level.errorP50Ms(), level.errorP99Ms(), level.serverLatenessP50Ms(), level.serverLatenessP99Ms(),
                        level.health().ioBusyMax() * 100, level.health().clientLimited());
                out.println("        CPU µs/chunk by thread: " + level.cpuByThread().describe(level.chunks())
                        + String.format("; heap allocated %.0f B/chunk; %.1f ready sockets per I/O wake-up", level.allocatedBytesPerChunk(),
                                level.keysPerWakeUp())
                        + (level.health().clientLimited() ? "; client_limited: " + level.health().reason() : ""));
            }
            Level priced = levels.stream().filter(l -> l.streams() == CPU_FIGURE_STREAMS).findFirst().orElse(levels.get(0));
            RequestOverhead.measure(endpoint, Duration.ofMillis(stepMs * 25L), priced.cpuMicrosPerChunk());
            double perRequestMs = RequestOverhead.measure(endpoint, window, priced.cpuMicrosPerChunk());
            Result result = new Result(levels, perRequestMs);
            printFigures(out, result, lockstep, loadAverage, stepMs);
            return result;
        } finally {
            server.getOutputStream().close();
            server.destroy();
        }
    }

    private static void printFigures(PrintStream out, Result r, boolean lockstep, double loadAverage, int stepMs) {
        Level cpu = r.level(CPU_FIGURE_STREAMS);
        Level error = r.level(ERROR_FIGURE_STREAMS);
        out.printf("figures (issue 8), this machine: %d cores, load average %.2f before the run%n",
                Runtime.getRuntime().availableProcessors(), loadAverage);
        out.println("  CPU per streamed chunk at " + CPU_FIGURE_STREAMS + " streams:      "
                + (cpu == null ? "not measured (add " + CPU_FIGURE_STREAMS + " to --streams)"
                : String.format("%.2f µs (target <= %.0f)", cpu.cpuMicrosPerChunk(), CPU_TARGET_MICROS)));
        out.println("  median timing error at " + ERROR_FIGURE_STREAMS + " streams" + (lockstep ? " in lockstep" : " (per-stream)") + ": "
                + (error == null ? "not measured (add " + ERROR_FIGURE_STREAMS + " to --streams)"
                : String.format("%.3f ms (target <= %.1f)", error.errorP50Ms(), ERROR_TARGET_MS)));
        out.printf("  CPU per request outside its chunks:    %.3f ms (target <= %.0f; 16 streams of one-token requests,"
                + " requests.jsonl written)%n", r.cpuMsPerRequestOutsideChunks(), REQUEST_TARGET_MS);
        Level kept = r.levels().stream().filter(l -> keptUp(l, stepMs)).reduce((a, b) -> a.chunksPerSecond() >= b.chunksPerSecond() ? a : b)
                .orElse(null);
        out.println("  chunks per second received without client_limited, with a median timing error under one step: "
                + (kept == null ? "none of the levels" : String.format("%,.0f at %d streams", kept.chunksPerSecond(), kept.streams())
                + (serverLimited(kept, stepMs) ? String.format(" (the loopback server fell behind its schedule, %,.0f ms median: "
                        + "the harness, not the client, set this rate)", kept.serverLatenessP50Ms()) : ""))
                + String.format("; target >= %,.0f on 16 cores", THROUGHPUT_TARGET_CHUNKS_PER_S)
                + (scheduledBelowTarget(r) ? String.format(" (these levels scheduled at most %,.0f chunks/s: "
                        + "--streams 1000,1500 --step 5ms schedules 200,000 and 300,000)", maxScheduled(r)) : ""));
    }

    /** True when no level scheduled as many chunks per second as the throughput target asks. */
    static boolean scheduledBelowTarget(Result r) {
        return maxScheduled(r) < THROUGHPUT_TARGET_CHUNKS_PER_S;
    }

    private static double maxScheduled(Result r) {
        return r.levels().stream().mapToDouble(Level::scheduledChunksPerSecond).max().orElse(0);
    }

    /**
     * The client kept up with what the server sent: each chunk read, at the median, within one step of its send,
     * and the client's own watch did not judge it {@code client_limited}.
     */
    static boolean keptUp(Level l, int stepMs) {
        return l.errorP50Ms() < stepMs && !l.health().clientLimited();
    }

    /** The loopback server emitted late by more than a step at the median: the level measures the harness's limit. */
    static boolean serverLimited(Level l, int stepMs) {
        return l.serverLatenessP50Ms() > stepMs;
    }

    /**
     * Streams at the largest level until the JIT compiler goes quiet (under {@value #QUIET_JIT_MILLIS} ms of
     * compilation in a round, at most {@value #MAX_WARMUP_ROUNDS} rounds): otherwise C2 compiling the hot path would
     * be billed to the first levels as client CPU. A round outlasts a whole request, so that the end of a stream
     * (last token, usage, {@code [DONE]}, connection reuse) is compiled too and no deoptimisation lands in the window.
     */
    private static void warmUp(Endpoint endpoint, int[] streams, PrintWriter toServer, BufferedReader fromServer, int stepMs)
            throws IOException, InterruptedException {
        int level = java.util.Arrays.stream(streams).max().orElse(100);
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        for (int round = 0; round < MAX_WARMUP_ROUNDS; round++) {
            long before = jit.getTotalCompilationTime();
            measure(endpoint, level, Duration.ofMillis((long) stepMs * TOKENS_PER_REQUEST), toServer, fromServer, stepMs);
            if (jit.getTotalCompilationTime() - before < QUIET_JIT_MILLIS) return;
        }
    }

    private static final long QUIET_JIT_MILLIS = 10;
    private static final int MAX_WARMUP_ROUNDS = 12;

    private static Process startServer(boolean lockstep, int stepMs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ScheduleServer.class.getName(), String.valueOf(stepMs), "0", lockstep ? "lockstep" : "per-stream")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static Level measure(Endpoint endpoint, int streams, Duration window, PrintWriter toServer, BufferedReader fromServer,
                                 int stepMs)
            throws IOException, InterruptedException {
        byte[] body = ("{\"model\":\"schedule-model\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_tokens\":"
                + TOKENS_PER_REQUEST + ",\"prompt\":\"selftest\"}").getBytes(StandardCharsets.UTF_8);
        Recorder errors = new Recorder(3);
        LongAdder chunks = new LongAdder();
        long rampNanos = Duration.ofMillis(stepMs * 2L).toNanos();
        long windowStart = System.nanoTime() + rampNanos + Duration.ofMillis(500).toNanos();
        long windowEnd = windowStart + window.toNanos();
        List<Thread> workers = new ArrayList<>();
        try (StreamingClient client = new StreamingClient(endpoint, Map.of(), Duration.ofSeconds(3))) {
            for (int i = 0; i < streams; i++) {
                long startAt = System.nanoTime() + rampNanos * i / streams;
                workers.add(Thread.ofPlatform().daemon().start(() -> stream(client, body, startAt, windowStart, windowEnd, errors, chunks)));
            }
            sleepUntil(windowStart);
            ClientHealth health = ClientHealth.start(client);
            ThreadCpu threadsBefore = ThreadCpu.snapshot();
            long allocatedStart = allocatedBytes();
            long[] wakeUpsStart = client.ioWakeUps();
            long cpuStart = ClientHealth.processCpuNanos();
            lateness(toServer, fromServer);
            sleepUntil(windowEnd);
            long cpuNanos = ClientHealth.processCpuNanos() - cpuStart;
            long allocated = allocatedBytes() - allocatedStart;
            long[] wakeUpsEnd = client.ioWakeUps();
            ThreadCpu byThread = ThreadCpu.snapshot().since(threadsBefore);
            ClientHealth.Report report = health.stop();
            long[] serverLateness = lateness(toServer, fromServer);
            client.abortAll();
            for (Thread t : workers) t.join();
            Histogram e = errors.getIntervalHistogram();
            long n = chunks.sum();
            double seconds = window.toNanos() / 1e9;
            return new Level(streams, n, n / seconds, streams * 1000.0 / stepMs, n == 0 ? 0 : cpuNanos / 1e3 / n, e.getValueAtPercentile(50) / 1e6,
                    e.getValueAtPercentile(99) / 1e6, serverLateness[0] / 1e6, serverLateness[1] / 1e6, report, byThread,
                    n == 0 ? 0 : (double) allocated / n,
                    (double) (wakeUpsEnd[1] - wakeUpsStart[1]) / Math.max(1, wakeUpsEnd[0] - wakeUpsStart[0]));
        }
    }

    private static void stream(StreamingClient client, byte[] body, long startAt, long windowStart, long windowEnd,
                               Recorder errors, LongAdder chunks) {
        sleepUntil(startAt);
        int request = 0;
        while (System.nanoTime() < windowEnd) {
            StreamResult r = client.stream("/v1/completions", body, "selftest-" + request++, Duration.ofSeconds(30),
                    TOKENS_PER_REQUEST + 2, true);
            long[] at = r.chunkNanos();
            long[] sent = r.serverSentNanos();
            for (int i = 0; i < at.length; i++) {
                if (at[i] < windowStart || at[i] >= windowEnd || sent[i] < 0) continue;
                chunks.increment();
                errors.recordValue(Math.max(0, at[i] - sent[i]));
            }
            if (r.error() != null) return;
        }
    }

    /** Heap bytes every thread of this JVM allocated so far (HotSpot's count), or 0 where the JVM cannot tell. */
    private static long allocatedBytes() {
        return java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() ? t.getTotalThreadAllocatedBytes() : 0;
    }

    private static long[] lateness(PrintWriter toServer, BufferedReader fromServer) throws IOException {
        toServer.println("lateness");
        String line = fromServer.readLine();
        if (line == null || !line.startsWith("lateness ")) throw new IOException("the schedule server stopped answering");
        String[] parts = line.split(" ");
        return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3])};
    }

    private static void sleepUntil(long nanos) {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
    }
}
