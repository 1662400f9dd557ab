package dev.headroom.load;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Watches whether the client itself limited a run: this process's CPU time, the busiest I/O (selector) thread's CPU
 * time (one saturated thread limits a client long before the process's share of all cores shows it), a probe
 * thread that parks for 5 ms again and again (its oversleep is what a runnable thread of the client, such as an I/O
 * thread with a chunk to read, waits for the OS or a GC pause), and the open-loop dispatcher's lateness against the
 * schedule. The probe is a platform thread, as the I/O threads are: a virtual one would also wake a carrier and
 * the JDK's timer thread each time. A wake-up costs 5-12 µs of CPU on a virtual machine, so a 1 ms period cost 1 µs
 * per streamed chunk at 12,800 chunks/s; at 5 ms the probe still takes 200 samples a second for its p99.
 */
public final class ClientHealth {

    /** Above this share of all cores busy in this process, the client may have limited the result. */
    public static final double CPU_LIMIT_FRACTION = 0.80;
    /** Above this share of the wall time, the busiest I/O thread reads chunks later than they arrive. */
    public static final double IO_BUSY_LIMIT_FRACTION = 0.80;
    /** Above this p99 oversleep of the probe (or of open-loop dispatch), timestamps may be late. */
    public static final long LAG_LIMIT_NANOS = 5_000_000;

    private static final long PROBE_PARK_NANOS = 5_000_000;

    /** What the watch saw; {@code clientLimited} with its reason when a threshold was crossed. */
    public record Report(double cpuSeconds, double cpuFractionOfCores, int cores, int ioThreads, double ioBusyMax,
                         double lagP50Ms, double lagP99Ms, double lagMaxMs, double dispatchLagP99Ms, boolean clientLimited,
                         String reason) {

        /** The summary.json extras, under headroom's own names. */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("client_cpu_seconds", cpuSeconds);
            map.put("client_cpu_fraction_of_cores", cpuFractionOfCores);
            map.put("client_cores", cores);
            map.put("client_io_threads", ioThreads);
            map.put("client_io_busy_max", ioBusyMax);
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
    private final StreamingClient client;
    private final long[] startIoCpuNanos;
    private final long startCpuNanos = processCpuNanos();
    private final long startNanos = System.nanoTime();
    private final Thread probe;
    private volatile boolean running = true;

    private ClientHealth(StreamingClient client) {
        this.client = client;
        this.startIoCpuNanos = client.ioThreadCpuNanos();
        probe = Thread.ofPlatform().name("headroom-lag-probe").daemon().start(this::probe);
    }

    /** Starts watching {@code client}'s run now. */
    public static ClientHealth start(StreamingClient client) {
        return new ClientHealth(client);
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
        long[] ioCpuNanos = client.ioThreadCpuNanos();
        double ioBusy = 0;
        for (int i = 0; i < ioCpuNanos.length; i++) {
            if (ioCpuNanos[i] >= 0 && startIoCpuNanos[i] >= 0) ioBusy = Math.max(ioBusy, (double) (ioCpuNanos[i] - startIoCpuNanos[i]) / wallNanos);
        }
        Histogram l = lag.getIntervalHistogram();
        Histogram d = dispatchLag.getIntervalHistogram();
        double lagP99 = ms(l.getValueAtPercentile(99));
        double dispatchP99 = ms(d.getValueAtPercentile(99));
        String reason = limit(cpuFraction, cores, ioBusy, ioCpuNanos.length, lagP99, dispatchP99);
        return new Report(cpuNanos / 1e9, cpuFraction, cores, ioCpuNanos.length, ioBusy, ms(l.getValueAtPercentile(50)), lagP99, ms(l.getMaxValue()),
                dispatchP99, reason != null, reason);
    }

    /**
     * Why the client limited a run, or null: the first threshold crossed of process CPU, the busiest I/O thread's
     * share of the wall time, the probe's p99 lag and the open-loop dispatcher's p99 lag (both in ms).
     */
    static String limit(double cpuFraction, int cores, double ioBusy, int ioThreads, double lagP99Ms, double dispatchP99Ms) {
        if (cpuFraction > CPU_LIMIT_FRACTION) {
            return String.format("client CPU at %.0f%% of %d cores (limit %.0f%%)", cpuFraction * 100, cores, CPU_LIMIT_FRACTION * 100);
        } else if (ioBusy > IO_BUSY_LIMIT_FRACTION) {
            return String.format("the client's busiest I/O thread was on CPU %.0f%% of the run (limit %.0f%%; %d I/O thread%s)",
                    ioBusy * 100, IO_BUSY_LIMIT_FRACTION * 100, ioThreads, ioThreads == 1 ? "" : "s");
        } else if (lagP99Ms > ms(LAG_LIMIT_NANOS)) {
            return String.format("client scheduling lag p99 %.1f ms (limit %.0f ms)", lagP99Ms, ms(LAG_LIMIT_NANOS));
        } else if (dispatchP99Ms > ms(LAG_LIMIT_NANOS)) {
            return String.format("open-loop dispatch lag p99 %.1f ms (limit %.0f ms)", dispatchP99Ms, ms(LAG_LIMIT_NANOS));
        }
        return null;
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
