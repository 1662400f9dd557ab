package dev.headroom.sweep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops one server process by its own id, never by name: a polite {@code destroy} (SIGTERM, vLLM's graceful
 * shutdown), a wait, then {@code destroyForcibly} of that process and every descendant still alive.
 */
final class ProcessStopper {

    private ProcessStopper() {}

    /**
     * Stops {@code process} and its process tree; returns once all are gone or {@code grace} plus a short forcible
     * wait has passed.
     *
     * @return true when the process and every descendant seen at the start have exited
     */
    static boolean stop(ProcessHandle process, Duration grace) {
        // Children are re-parented once the server exits, so the tree is taken before the first signal.
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(0, process);
        long deadline = System.nanoTime() + grace.toNanos();
        process.destroy();
        for (ProcessHandle p : tree) waitUntil(p, deadline);
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        long forcedDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        boolean allGone = true;
        for (ProcessHandle p : tree) allGone &= waitUntil(p, forcedDeadline);
        return allGone;
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
