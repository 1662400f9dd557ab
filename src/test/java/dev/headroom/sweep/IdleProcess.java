package dev.headroom.sweep;

import java.util.concurrent.CountDownLatch;

/** A child process that never becomes healthy: it opens no port and waits until it is stopped. */
public final class IdleProcess {

    private IdleProcess() {}

    public static void main(String[] args) throws InterruptedException {
        System.out.println("idle, ignoring port " + (args.length > 0 ? args[0] : "none"));
        new CountDownLatch(1).await();
    }
}
