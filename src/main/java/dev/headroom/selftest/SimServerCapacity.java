package dev.headroom.selftest;

import dev.headroom.engine.EngineConfig;
import dev.headroom.engine.Lateness;
import dev.headroom.engine.LiveEngine;
import dev.headroom.engine.SimTokenizer;
import dev.headroom.server.SimServer;
import dev.headroom.server.SimServerOptions;
import dev.headroom.server.SimTokenizers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Benchmark: can the live simulator hold N concurrent streams? Starts a {@link LiveEngine} with a fixed step
 * time behind a {@link SimServer} on loopback, opens N streaming completions at once (one virtual thread and
 * socket each, reading to {@code [DONE]}), and reports (1) the engine's lateness against its own step schedule
 * and (2) the delivery delay from a step's end to its bytes being flushed, median and p99, once all streams are
 * running (the connection ramp excluded). The target: at
 * 2,000 streams the median lateness stays within 2 ms. Run with {@code headroom selftest sim}.
 */
public final class SimServerCapacity {

    /** The target median lateness of the engine behind its schedule, milliseconds. */
    public static final double TARGET_MEDIAN_LATENESS_MS = 2.0;

    /**
     * The figures of one run.
     *
     * @param streams            concurrent streams
     * @param completedStreams   streams that read through {@code [DONE]}
     * @param engine             engine lateness against its schedule
     * @param deliveryMedianNanos step end to bytes flushed, median over written batches
     * @param deliveryP99Nanos   the same, 99th percentile
     */
    public record Result(int streams, int completedStreams, Lateness engine, long deliveryMedianNanos,
            long deliveryP99Nanos) {

        /** Whether every stream completed and the median lateness met the target. */
        public boolean passed() {
            return completedStreams == streams && engine.medianNanos() / 1e6 <= TARGET_MEDIAN_LATENESS_MS;
        }
    }

    /** Default load: the 2,000 streams. */
    public static final int DEFAULT_STREAMS = 2000;
    /** Default output tokens per stream. */
    public static final int DEFAULT_OUTPUT_TOKENS = 400;
    /** Default engine step: 20 ms, so 2,000 streams receive 100,000 tokens per second. */
    public static final int DEFAULT_STEP_MILLIS = 20;

    private SimServerCapacity() {}

    /** The default run: {@value #DEFAULT_STREAMS} streams of {@value #DEFAULT_OUTPUT_TOKENS} tokens, 20 ms steps. */
    public static Result run(PrintStream out) throws IOException, InterruptedException {
        return run(out, DEFAULT_STREAMS, DEFAULT_OUTPUT_TOKENS, DEFAULT_STEP_MILLIS);
    }

    /**
     * Runs {@code streams} concurrent streams of {@code outputTokens} tokens each with engine steps of
     * {@code stepMillis}, printing the figures to {@code out}.
     */
    public static Result run(PrintStream out, int streams, int outputTokens, int stepMillis)
            throws IOException, InterruptedException {
        if (streams < 1) throw new IllegalArgumentException("--streams must be at least 1, was " + streams);
        if (outputTokens < 1) throw new IllegalArgumentException("--output-tokens must be at least 1, was " + outputTokens);
        if (stepMillis < 1) throw new IllegalArgumentException("--step must be at least 1 ms, was " + stepMillis);
        int maxModelLen = outputTokens + 64;
        int blocks = streams * Math.ceilDiv(maxModelLen, EngineConfig.DEFAULT_BLOCK_SIZE) + 1;
        EngineConfig config = new EngineConfig(blocks, EngineConfig.DEFAULT_BLOCK_SIZE, streams,
                Math.max(streams, 8192), maxModelLen, true, true, 0, 151_936);
        long stepNanos = TimeUnit.MILLISECONDS.toNanos(stepMillis);
        LiveEngine engine = LiveEngine.start(config, work -> stepNanos);
        SimServerOptions options = SimServerOptions.loopback("capacity", maxModelLen,
                SimTokenizers.of(new SimTokenizer(config.vocabSize())));
        out.printf(Locale.ROOT, "headroom selftest sim: %d concurrent streams x %d tokens, engine step %d ms, loopback%n",
                streams, outputTokens, stepMillis);
        try (SimServer server = SimServer.start(engine, options)) {
            long startNanos = System.nanoTime();
            java.util.concurrent.atomic.AtomicBoolean steady = new java.util.concurrent.atomic.AtomicBoolean();
            Thread watcher = Thread.ofVirtual().start(
                    () -> steady.set(resetWhenAllRunning(engine, server, streams, startNanos, out)));
            int completed = runClients(server.port(), streams, outputTokens);
            watcher.interrupt();
            watcher.join();
            Histogram delivery = server.deliveryDelays();
            Result result = new Result(streams, completed, engine.lateness(), delivery.getValueAtPercentile(50),
                    delivery.getValueAtPercentile(99));
            print(out, result, delivery.getTotalCount(), steady.get());
            return result;
        }
    }

    /** Drops the ramp-up from the delivery figures: resets them once every stream is in the running queue. */
    private static boolean resetWhenAllRunning(LiveEngine engine, SimServer server, int streams, long startNanos,
            PrintStream out) {
        try {
            while (engine.snapshot().running() < streams) Thread.sleep(5);
        } catch (InterruptedException stopped) {
            return false;
        }
        server.deliveryDelays();
        out.printf(Locale.ROOT, "  all %d streams running after %.1f s; delivery measured from then on%n", streams,
                (System.nanoTime() - startNanos) / 1e9);
        return true;
    }

    private static int runClients(int port, int streams, int outputTokens) throws InterruptedException {
        String body = "{\"prompt\":\"The quick brown fox jumps over the lazy dog\",\"max_tokens\":" + outputTokens
                + ",\"ignore_eos\":true,\"stream\":true}";
        byte[] request = ("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
        List<Future<Boolean>> done = new ArrayList<>(streams);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) done.add(clients.submit(() -> stream(port, request)));
        }
        int completed = 0;
        for (Future<Boolean> f : done) {
            try {
                if (f.get()) completed++;
            } catch (java.util.concurrent.ExecutionException e) {
                // a failed stream is counted as not completed
            }
        }
        return completed;
    }

    /** One client: send, read to EOF (Connection: close); true when the stream ended with {@code [DONE]}. */
    private static boolean stream(int port, byte[] request) {
        byte[] done = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16_384];
            byte[] tail = new byte[64];
            int tailLength = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                // keep the last bytes only: [DONE] is the final event, followed by the last chunk's framing
                int keep = Math.min(n, tail.length);
                int shift = Math.min(tailLength, tail.length - keep);
                System.arraycopy(tail, tailLength - shift, tail, 0, shift);
                System.arraycopy(buffer, n - keep, tail, shift, keep);
                tailLength = shift + keep;
            }
            String end = new String(tail, 0, tailLength, StandardCharsets.US_ASCII);
            return end.contains(new String(done, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void print(PrintStream out, Result r, long batches, boolean steady) {
        out.printf(Locale.ROOT, "  streams completed:           %d of %d%n", r.completedStreams(), r.streams());
        out.printf(Locale.ROOT, "  engine %s%n", r.engine().describe());
        out.printf(Locale.ROOT, "  delivery, step end -> bytes flushed (%s), over %d batches: median %.3f ms, p99 %.3f ms%n",
                steady ? "all streams running" : "whole run: the streams were never all running at once", batches,
                r.deliveryMedianNanos() / 1e6, r.deliveryP99Nanos() / 1e6);
        out.printf(Locale.ROOT, "  target (all streams complete, median lateness <= %.1f ms): %s%n",
                TARGET_MEDIAN_LATENESS_MS, r.passed() ? "PASS" : "FAIL");
    }
}
