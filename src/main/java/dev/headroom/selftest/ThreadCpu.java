package dev.headroom.selftest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * This process's CPU time by kind of thread, read from Linux's {@code /proc/self/task/<tid>/stat} (user + system
 * clock ticks) and {@code comm} (the thread's name, 15 characters): which part of the JVM a selftest's client CPU
 * went to. Threads that ended between two snapshots drop out of the second, so a group's delta covers the threads
 * alive at both ends (the headline figure is the process's CPU time, not this). Empty off Linux.
 */
record ThreadCpu(Map<String, Long> nanosByGroup) {

    /** Linux's USER_HZ, the unit of {@code stat}'s utime and stime on every mainstream kernel. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /**
     * The groups, in print order: the client's I/O threads, its lag probe ({@code ClientHealth}), the JVM's collector
     * and compilers, and the rest (the threads waiting on requests, among others).
     */
    static final String IO = "io", PROBE = "probe", GC = "gc", JIT = "jit", OTHER = "callers+other";

    static ThreadCpu snapshot() {
        Map<String, Long> byGroup = new LinkedHashMap<>();
        for (String g : new String[] {IO, PROBE, GC, JIT, OTHER}) byGroup.put(g, 0L);
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) return new ThreadCpu(Map.of());
        try (DirectoryStream<Path> all = Files.newDirectoryStream(tasks)) {
            for (Path task : all) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    long nanos = ticks(Files.readString(task.resolve("stat"))) * NANOS_PER_TICK;
                    byGroup.merge(group(name), nanos, Long::sum);
                } catch (IOException ended) {
                    // The thread ended while being read: it counts in neither snapshot.
                }
            }
        } catch (IOException e) {
            return new ThreadCpu(Map.of());
        }
        return new ThreadCpu(byGroup);
    }

    /** The CPU each group spent between {@code before} and this snapshot, in nanoseconds (never negative). */
    ThreadCpu since(ThreadCpu before) {
        Map<String, Long> delta = new LinkedHashMap<>();
        nanosByGroup.forEach((g, n) -> delta.put(g, Math.max(0, n - before.nanosByGroup.getOrDefault(g, 0L))));
        return new ThreadCpu(delta);
    }

    /** "io 7.10 · probe 0.20 · gc 0.00 · jit 0.00 · callers+other 0.40" in µs per {@code per}, or "n/a" off Linux. */
    String describe(long per) {
        if (nanosByGroup.isEmpty() || per <= 0) return "n/a";
        StringBuilder s = new StringBuilder();
        nanosByGroup.forEach((g, n) -> s.append(s.isEmpty() ? "" : " · ").append(g).append(' ')
                .append(String.format("%.2f", n / 1e3 / per)));
        return s.toString();
    }

    static String group(String threadName) {
        if (threadName.startsWith("headroom-stream")) return IO;
        if (threadName.startsWith("headroom-lag")) return PROBE;
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ") || threadName.startsWith("VM Thread")) return GC;
        if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) return JIT;
        return OTHER;
    }

    /** utime + stime from a {@code stat} line; the name field in parentheses may hold spaces, so count after it. */
    static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After the name: state is field 3 of stat(5), so utime (14) and stime (15) are at indexes 11 and 12 here.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
