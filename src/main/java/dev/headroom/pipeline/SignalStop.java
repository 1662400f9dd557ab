package dev.headroom.pipeline;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT, SIGTERM) during a run or a sweep: stops the load in flight, then holds the JVM's exit until the
 * files of what was already measured are written (at most {@link #FLUSH_WAIT_SECONDS}). One guard spans a whole
 * {@code run} or {@code sweep}; each load phase attaches its stopper while it runs.
 */
public final class SignalStop implements AutoCloseable {

    /** summary.json's {@code stopped_early} of a load cut short by a signal. */
    public static final String REASON = "interrupted by a signal";

    /** The longest the exit waits for files to be flushed. */
    public static final long FLUSH_WAIT_SECONDS = 15;

    private final CountDownLatch written = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean signalled;
    private volatile Runnable stopper;

    private SignalStop(boolean installHook) {
        hook = installHook ? new Thread(this::onSignal, "headroom-shutdown") : null;
        if (hook != null) Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Installs the shutdown hook; close it when everything is written. */
    public static SignalStop install() {
        return new SignalStop(true);
    }

    /** A guard with no hook, for callers that handle signals themselves (tests, nested calls). */
    public static SignalStop none() {
        return new SignalStop(false);
    }

    /** Whether a signal came; a sweep starts no further point once it has. */
    public boolean signalled() {
        return signalled;
    }

    /** Stops {@code stop} on a signal from now on; stops it at once when a signal already came. */
    void attach(Runnable stop) {
        stopper = stop;
        if (signalled) stop.run();
    }

    void detach() {
        stopper = null;
    }

    /** Stops as a signal would (what the hook runs), without waiting for files. */
    public void stopNow() {
        signalled = true;
        Runnable s = stopper;
        if (s != null) s.run();
    }

    private void onSignal() {
        stopNow();
        try {
            written.await(FLUSH_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Everything is written: lets a pending exit go on, and removes the hook. */
    @Override
    public void close() {
        written.countDown();
        if (hook == null) return;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting on a signal: the hook is already running and was waiting for the files.
        }
    }
}
