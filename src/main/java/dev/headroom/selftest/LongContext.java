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
 * longest prompt stay within {@value #LINEAR_FACTOR}× of the reference length's (the second shortest): cost linear in
 * bytes, not worse.
 */
public final class LongContext {

    static final int PREFILL_MS = 20;
    static final double LINEAR_FACTOR = 2;
    /** Requests at 1K tokens; longer prompts get fewer, in proportion to the square root of their length. */
    public static final int DEFAULT_REQUESTS_AT_1K = 400;

    /** Every length's figures, in the order run, and the verdict line. */
    public record Result(List<ContextLength.Figures> lengths, boolean linear, String verdict) {}

    private LongContext() {}

    /** Measures each prompt length in {@code tokens} (ascending), printing a table and a verdict to {@code out}. */
    public static Result run(PrintStream out, int[] tokens, int requestsAt1K) throws IOException {
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
                ContextLength.Figures f = ContextLength.measure(server, client, cl100k, t, requests(t, requestsAt1K));
                lengths.add(f);
                out.printf("%6d %8.1f %14.2f %9d %7d %18.3f %12.2f %14.3f %7.3f %12.0f %18.3f %7.3f%n", f.tokens(),
                        f.bodyBytes() / 1024, f.fitMsPerPrompt(), f.requests(), f.intactUploads(), f.cpuMsPerRequest(),
                        f.cpuNanosPerByte(), f.uploadP50Ms(), f.uploadP99Ms(), f.uploadBytesPerMicro(),
                        f.ttftErrorP50Ms(), f.ttftErrorP99Ms());
            }
        }
        Result result = judge(lengths);
        out.println(result.verdict());
        return result;
    }

    /** Requests at {@code tokens}: {@code requestsAt1K} scaled by √(1024 / tokens), at least {@link ContextLength#STREAMS}. */
    static int requests(int tokens, int requestsAt1K) {
        return Math.max(ContextLength.STREAMS, (int) Math.round(requestsAt1K * Math.sqrt(1024.0 / tokens)));
    }

    /** The verdict: the longest length's CPU and upload per body byte against the reference (second shortest) length's. */
    static Result judge(List<ContextLength.Figures> lengths) {
        ContextLength.Figures longest = lengths.get(lengths.size() - 1);
        ContextLength.Figures reference = lengths.get(Math.min(1, lengths.size() - 1));
        if (longest == reference && lengths.size() > 1) reference = lengths.get(0);
        double cpuRatio = longest.cpuNanosPerByte() / reference.cpuNanosPerByte();
        double uploadRatio = longest.uploadNanosPerByte() / reference.uploadNanosPerByte();
        String per = String.format("at %d tokens (%.0f KB bodies) against %d tokens: CPU %.2f ns/byte (%.2fx), upload %.0f MB/s"
                        + " (%.2fx the time per byte)", longest.tokens(), longest.bodyBytes() / 1024, reference.tokens(),
                longest.cpuNanosPerByte(), cpuRatio, longest.uploadBytesPerMicro(), uploadRatio);
        boolean cpuLinear = !(cpuRatio > LINEAR_FACTOR);
        boolean uploadLinear = !(uploadRatio > LINEAR_FACTOR);
        if (cpuLinear && uploadLinear) {
            return new Result(lengths, true, String.format("verdict: no client slow-down %s, within %.0fx: the cost scales"
                    + " linearly with body bytes; prompt fitting %.0f ms per prompt", per, LINEAR_FACTOR, longest.fitMsPerPrompt()));
        }
        String where = (cpuLinear ? "" : "client CPU per byte grows (building or writing the body)")
                + (cpuLinear || uploadLinear ? "" : "; ")
                + (uploadLinear ? "" : "the upload per byte grows (small socket writes, or the server reading slowly)");
        return new Result(lengths, false, String.format("verdict: client slow-down %s, over %.0fx: %s", per, LINEAR_FACTOR, where));
    }
}
