package dev.headroom.sweep;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops one server by its own process id, never by name: a polite {@code destroy} (SIGTERM, vLLM's graceful
 * shutdown) of it and of every process of its group, a wait, then {@code destroyForcibly} of every one still alive.
 * Its group ({@link ProcessGroup}) holds what its shell forked even after the shell exited; its descendants are
 * taken too, for systems without process groups.
 */
final class ProcessStopper {

    /** How long a forcibly stopped process may take to be gone. */
    private static final Duration FORCED_WAIT = Duration.ofSeconds(5);

    private ProcessStopper() {}

    /**
     * Stops {@code process}, its group when it leads one, and its descendants; returns once all are gone or
     * {@code grace} plus a short forcible wait has passed.
     *
     * @return true when every process found has exited
     */
    static boolean stop(ProcessHandle process, Duration grace) {
        // Children are re-parented once the server exits, so the tree is taken before the first signal.
        Set<ProcessHandle> all = members(process);
        long deadline = System.nanoTime() + grace.toNanos();
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : all) waitUntil(p, deadline);
        all.addAll(members(process));
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        long forcedDeadline = System.nanoTime() + FORCED_WAIT.toNanos();
        boolean allGone = true;
        for (ProcessHandle p : all) allGone &= waitUntil(p, forcedDeadline);
        return allGone;
    }

    private static Set<ProcessHandle> members(ProcessHandle process) {
        Set<ProcessHandle> all = new LinkedHashSet<>();
        all.add(process);
        all.addAll(ProcessGroup.members(process.pid()));
        process.descendants().forEach(all::add);
        return all;
    }

    private static boolean waitUntil(ProcessHandle p, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (!p.isAlive()) return true;
        if (left <= 0) return false;
        try {
            p.onExit().get(left, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !p.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }
}
