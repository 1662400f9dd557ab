package dev.headroom.selftest;

import dev.headroom.load.StreamingClient;
import dev.headroom.workload.TokenCounter;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code headroom selftest longctx}: whether the load client slows down on long prompts (issue 11). A
 * {@link ScheduleServer} in a child JVM answers each chat request with one token {@value #PREFILL_MS} ms after it read
 * the whole body; per prompt length this measures the prompt-fitting time with cl100k, the client's CPU per request,
 * the upload time (client's first byte written to the server having read the whole body) and the first token's
 * timing error against the schedule. The client does not slow down when its CPU and upload time per body byte at the
 * longest prompt stay within {@value #LINEAR_FACTOR}× of the second longest's ({@link #judge}): cost linear in bytes,
 * not worse.
 */
public final class LongContext {

    static final int PREFILL_MS = 20;
    static final double LINEAR_FACTOR = 2;
    /**
     * Requests per length by default: process CPU time advances in 10 ms ticks on Linux, so 400 requests price one
     * to ±0.025 ms.
     */
    public static final int DEFAULT_REQUESTS = 400;

    /** Whether the client's cost grows linearly with the body. */
    public enum Verdict { LINEAR, SLOW_DOWN, NOT_JUDGED }

    /** Every length's figures, in the order run, the verdict and its line. */
    public record Result(List<ContextLength.Figures> lengths, Verdict verdict, String line) {}

    private LongContext() {}

    /** Measures each prompt length in {@code tokens} (ascending), printing a table and a verdict to {@code out}. */
    public static Result run(PrintStream out, int[] tokens, int requests) throws IOException {
        double loadAverage = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        TokenCounter cl100k = TokenCounter.cl100k();
        cl100k.count(null, "warm the encoding up");
        List<ContextLength.Figures> lengths = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(20, PREFILL_MS);
             StreamingClient client = new StreamingClient(server.endpoint(), Map.of(), Duration.ofSeconds(3))) {
            out.printf("headroom selftest longctx: schedule server in a child JVM (first token %d ms after the body is read),"
                    + " %d closed-loop chat streams, one output token; %d cores, load average %.2f%n",
                    PREFILL_MS, ContextLength.STREAMS, Runtime.getRuntime().availableProcessors(), loadAverage);
            out.println("tokens  body KB  fit ms/prompt  requests  intact  client CPU ms/req  CPU ns/byte"
                    + "  upload p50 ms  p99 ms  upload MB/s  TTFT error p50 ms  p99 ms");
            for (int t : tokens) {
                ContextLength.Figures f = ContextLength.measure(server, client, cl100k, t, requests);
                lengths.add(f);
                out.printf("%6d %8.1f %14.2f %9d %7d %18.3f %12.2f %14.3f %7.3f %12.0f %18.3f %7.3f%n", f.tokens(),
                        f.bodyBytes() / 1024, f.fitMsPerPrompt(), f.requests(), f.intactUploads(), f.cpuMsPerRequest(),
                        f.cpuNanosPerByte(), f.uploadP50Ms(), f.uploadP99Ms(), f.uploadBytesPerMicro(),
                        f.ttftErrorP50Ms(), f.ttftErrorP99Ms());
            }
        }
        Result result = judge(lengths);
        out.println(result.line());
        return result;
    }

    /**
     * The verdict. CPU: the cost above the shortest length's (taken as the fixed cost of a request) per extra body
     * byte, at the longest length against the second longest. Upload: time per body byte, longest against second
     * longest (fixed latency makes it fall with size when linear). Needs three lengths.
     */
    static Result judge(List<ContextLength.Figures> lengths) {
        if (lengths.size() < 3) {
            return new Result(lengths, Verdict.NOT_JUDGED, "verdict: not judged; give three lengths or more");
        }
        ContextLength.Figures shortest = lengths.get(0);
        ContextLength.Figures reference = lengths.get(lengths.size() - 2);
        ContextLength.Figures longest = lengths.get(lengths.size() - 1);
        double cpuRatio = marginalCpuNanosPerByte(longest, shortest) / marginalCpuNanosPerByte(reference, shortest);
        double uploadRatio = longest.uploadNanosPerByte() / reference.uploadNanosPerByte();
        String figures = String.format("at %d tokens (%.0f KB bodies) against %d: client CPU %.2f ns per extra byte"
                        + " (%.2fx), upload %.0f MB/s (%.2fx the time per byte)", longest.tokens(), longest.bodyBytes() / 1024,
                reference.tokens(), marginalCpuNanosPerByte(longest, shortest), cpuRatio, longest.uploadBytesPerMicro(), uploadRatio);
        boolean cpuLinear = !(cpuRatio > LINEAR_FACTOR);
        boolean uploadLinear = !(uploadRatio > LINEAR_FACTOR);
        if (cpuLinear && uploadLinear) {
            return new Result(lengths, Verdict.LINEAR, String.format("verdict: no client slow-down %s, within %.0fx:"
                    + " the cost scales linearly with body bytes", figures, LINEAR_FACTOR));
        }
        String where = (cpuLinear ? "" : "client CPU per byte grows (building or copying the body)")
                + (cpuLinear || uploadLinear ? "" : "; ")
                + (uploadLinear ? "" : "upload time per byte grows (partial socket writes, or the server reading slowly)");
        return new Result(lengths, Verdict.SLOW_DOWN, String.format("verdict: client slow-down %s, over %.0fx: %s",
                figures, LINEAR_FACTOR, where));
    }

    /** CPU nanoseconds per body byte beyond {@code shortest}'s, for the CPU beyond its. */
    private static double marginalCpuNanosPerByte(ContextLength.Figures f, ContextLength.Figures shortest) {
        return (f.cpuMsPerRequest() - shortest.cpuMsPerRequest()) * 1e6 / (f.bodyBytes() - shortest.bodyBytes());
    }
}
