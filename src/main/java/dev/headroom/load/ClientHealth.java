package dev.headroom.load;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Watches whether the client itself limited a run: this process's CPU time, a probe virtual thread that parks
 * for 1 ms again and again (its oversleep is what any stream's read would wait for a carrier thread, a GC pause or
 * the OS), and the open-loop dispatcher's lateness against the schedule.
 */
public final class ClientHealth {

    /** Above this share of all cores busy in this process, the client may have limited the result. */
    public static final double CPU_LIMIT_FRACTION = 0.80;
    /** Above this p99 oversleep of the 1 ms probe (or of open-loop dispatch), timestamps may be late. */
    public static final long LAG_LIMIT_NANOS = 5_000_000;

    private static final long PROBE_PARK_NANOS = 1_000_000;

    /** What the watch saw; {@code clientLimited} with its reason when a threshold was crossed. */
    public record Report(double cpuSeconds, double cpuFractionOfCores, int cores, double lagP50Ms, double lagP99Ms,
                         double lagMaxMs, double dispatchLagP99Ms, boolean clientLimited, String reason) {

        /** The summary.json extras, under headroom's own names. */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("client_cpu_seconds", cpuSeconds);
            map.put("client_cpu_fraction_of_cores", cpuFractionOfCores);
            map.put("client_cores", cores);
            map.put("client_lag_p50_ms", lagP50Ms);
            map.put("client_lag_p99_ms", lagP99Ms);
            map.put("client_lag_max_ms", lagMaxMs);
            map.put("client_dispatch_lag_p99_ms", dispatchLagP99Ms);
            map.put("client_limited", clientLimited);
            map.put("client_limited_reason", reason);
            return map;
        }
    }

    private final Recorder lag = new Recorder(3);
    private final Recorder dispatchLag = new Recorder(3);
    private final long startCpuNanos = processCpuNanos();
    private final long startNanos = System.nanoTime();
    private final Thread probe;
    private volatile boolean running = true;

    private ClientHealth() {
        probe = Thread.ofVirtual().name("headroom-lag-probe").start(this::probe);
    }

    /** Starts watching now. */
    public static ClientHealth start() {
        return new ClientHealth();
    }

    /** Records how late the open-loop dispatcher released one request, in nanoseconds. */
    public void recordDispatchLag(long lateNanos) {
        dispatchLag.recordValue(Math.max(0, Math.min(lateNanos, 3_600_000_000_000L)));
    }

    /** This process's CPU time so far in nanoseconds, or -1 when the JVM cannot tell. */
    public static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Stops watching and judges the run. */
    public Report stop() {
        running = false;
        LockSupport.unpark(probe);
        long wallNanos = Math.max(1, System.nanoTime() - startNanos);
        long cpuNanos = processCpuNanos() - startCpuNanos;
        int cores = Runtime.getRuntime().availableProcessors();
        double cpuFraction = startCpuNanos < 0 ? 0 : (double) cpuNanos / wallNanos / cores;
        Histogram l = lag.getIntervalHistogram();
        Histogram d = dispatchLag.getIntervalHistogram();
        double lagP99 = ms(l.getValueAtPercentile(99));
        double dispatchP99 = ms(d.getValueAtPercentile(99));
        String reason = null;
        if (cpuFraction > CPU_LIMIT_FRACTION) {
            reason = String.format("client CPU at %.0f%% of %d cores (limit %.0f%%)", cpuFraction * 100, cores, CPU_LIMIT_FRACTION * 100);
        } else if (lagP99 > ms(LAG_LIMIT_NANOS)) {
            reason = String.format("client scheduling lag p99 %.1f ms (limit %.0f ms)", lagP99, ms(LAG_LIMIT_NANOS));
        } else if (dispatchP99 > ms(LAG_LIMIT_NANOS)) {
            reason = String.format("open-loop dispatch lag p99 %.1f ms (limit %.0f ms)", dispatchP99, ms(LAG_LIMIT_NANOS));
        }
        return new Report(cpuNanos / 1e9, cpuFraction, cores, ms(l.getValueAtPercentile(50)), lagP99, ms(l.getMaxValue()),
                dispatchP99, reason != null, reason);
    }

    private void probe() {
        while (running) {
            long before = System.nanoTime();
            LockSupport.parkNanos(PROBE_PARK_NANOS);
            long overslept = System.nanoTime() - before - PROBE_PARK_NANOS;
            if (running) lag.recordValue(Math.max(0, Math.min(overslept, 3_600_000_000_000L)));
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
