package dev.headroom.metrics;

import java.util.Arrays;
import java.util.List;

/** vLLM's two peak metrics over successful requests (vllm/benchmarks/serve.py {@code calculate_metrics}). */
final class Peaks {

    private static final long NANOS_PER_S = 1_000_000_000L;

    private Peaks() {
    }

    /**
     * The largest number of token-bearing chunks in one 1-s bucket, buckets counted from the earliest send:
     * serve.py rebuilds one timestamp per chunk as {@code start + ttft + cumsum(itl)} and buckets
     * {@code int(t - min_start)} over {@code ceil(max_end - min_start) + 1} buckets.
     */
    static double maxOutputTokensPerSecond(List<RequestRecord> ok) {
        if (ok.isEmpty()) return 0.0;
        long minStart = ok.stream().mapToLong(RequestRecord::sentNanos).min().orElseThrow();
        long maxEnd = ok.stream().mapToLong(RequestRecord::lastTokenNanos).max().orElseThrow();
        int buckets = (int) ceilDiv(maxEnd - minStart, NANOS_PER_S) + 1;
        long[] tokensPerSecond = new long[buckets];
        for (RequestRecord r : ok) {
            for (long t : r.chunkNanos()) {
                long bucket = Math.floorDiv(t - minStart, NANOS_PER_S);
                if (bucket >= 0 && bucket < buckets) tokensPerSecond[(int) bucket]++;
            }
        }
        return Arrays.stream(tokensPerSecond).max().orElse(0);
    }

    /**
     * The exact peak of requests in flight: a sweep line over half-open intervals [sent, sent + latency), a
     * departure sorting before an arrival at the same instant (serve.py).
     */
    static int maxConcurrentRequests(List<RequestRecord> ok) {
        long[][] events = new long[ok.size() * 2][];
        int i = 0;
        for (RequestRecord r : ok) {
            events[i++] = new long[] {r.sentNanos(), 1};
            events[i++] = new long[] {r.lastTokenNanos(), -1};
        }
        Arrays.sort(events, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int current = 0;
        int peak = 0;
        for (long[] e : events) {
            current += (int) e[1];
            peak = Math.max(peak, current);
        }
        return peak;
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }
}
