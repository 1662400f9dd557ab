package dev.headroom.metrics;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Live statistics for a progress line: what happened since the previous {@link #sample}. Recording is lock-free
 * and safe from any thread (HdrHistogram {@link Recorder}s and adders); {@link #sample} is called by one thread,
 * e.g. once a second. Percentiles here are HdrHistogram's (3 significant digits), for display only; the summary
 * keys come from {@link Summary} on the raw values.
 */
public final class IntervalStats {

    private static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(6);

    private final Recorder ttft = new Recorder(HIGHEST_NANOS, 3);
    private final Recorder tpot = new Recorder(HIGHEST_NANOS, 3);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder tokens = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private Histogram ttftInterval;
    private Histogram tpotInterval;
    private long lastSampleNanos;
    private long lastTokens;
    private long lastCompleted;
    private long lastFailed;

    /** Starts counting at {@code startNanos} (the run's clock, e.g. {@code System.nanoTime()}). */
    public IntervalStats(long startNanos) {
        this.lastSampleNanos = startNanos;
    }

    /**
     * What one interval saw.
     *
     * @param seconds               the interval's length
     * @param inFlight              requests sent and not yet finished, now
     * @param completed             successful requests finished in the interval
     * @param failed                failed requests finished in the interval
     * @param outputTokensPerSecond tokens reported through {@link #tokensReceived} per second
     * @param ttftP50Ms             median TTFT of requests finished in the interval, NaN if none
     * @param ttftP95Ms             95th percentile TTFT, NaN if none
     * @param tpotP50Ms             median TPOT of requests with more than one output token, NaN if none
     * @param tpotP95Ms             95th percentile TPOT, NaN if none
     * @param totalCompleted        successful requests since the start
     * @param totalFailed           failed requests since the start
     */
    public record Interval(double seconds, int inFlight, long completed, long failed, double outputTokensPerSecond,
                           double ttftP50Ms, double ttftP95Ms, double tpotP50Ms, double tpotP95Ms,
                           long totalCompleted, long totalFailed) {

        /** Successful requests per second in the interval. */
        public double requestsPerSecond() {
            return seconds > 0 ? completed / seconds : 0;
        }
    }

    /** A request was written to the connection; call once before its {@link #requestFinished}. */
    public void requestSent() {
        inFlight.incrementAndGet();
    }

    /** {@code count} output tokens arrived (per chunk, or 1 per token-bearing chunk when counts are unknown). */
    public void tokensReceived(int count) {
        tokens.add(count);
    }

    /** A request finished (successfully or not): records its TTFT and, for more than one token, its TPOT. */
    public void requestFinished(RequestRecord r) {
        inFlight.decrementAndGet();
        if (!r.ok()) {
            failed.increment();
            return;
        }
        completed.increment();
        ttft.recordValue(clamp(r.ttftNanos()));
        if (r.outputTokens() > 1) tpot.recordValue(clamp((r.e2elNanos() - r.ttftNanos()) / (r.outputTokens() - 1)));
    }

    private static long clamp(long nanos) {
        return Math.max(0, Math.min(HIGHEST_NANOS, nanos));
    }

    /** The interval since the previous sample (or the start), ending at {@code nowNanos}; resets the interval. */
    public synchronized Interval sample(long nowNanos) {
        ttftInterval = ttft.getIntervalHistogram(ttftInterval);
        tpotInterval = tpot.getIntervalHistogram(tpotInterval);
        double seconds = (nowNanos - lastSampleNanos) / 1e9;
        long tokensNow = tokens.sum();
        long completedNow = completed.sum();
        long failedNow = failed.sum();
        Interval interval = new Interval(seconds, inFlight.get(), completedNow - lastCompleted,
                failedNow - lastFailed, seconds > 0 ? (tokensNow - lastTokens) / seconds : 0,
                percentileMs(ttftInterval, 50), percentileMs(ttftInterval, 95),
                percentileMs(tpotInterval, 50), percentileMs(tpotInterval, 95), completedNow, failedNow);
        lastSampleNanos = nowNanos;
        lastTokens = tokensNow;
        lastCompleted = completedNow;
        lastFailed = failedNow;
        return interval;
    }

    private static double percentileMs(Histogram h, double p) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1e6;
    }
}
