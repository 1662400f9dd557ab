package dev.headroom.selftest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What a {@link ScheduleServer} saw of each completion request's upload, keyed by its {@code x-request-id}: when
 * the request's first byte was read, when its whole body was, the body's size, and when its first token chunk fell
 * due on the {@link Schedule}. All stamps are {@code System.nanoTime()} (CLOCK_MONOTONIC on Linux, so a client in
 * another JVM on the same machine can subtract its own stamps).
 */
final class Uploads {

    /** One request's upload as the server read it. */
    record Upload(String requestId, long firstByteNanos, long bodyReadNanos, int bodyBytes, long firstDueNanos) {

        /** The line the server process prints for it: {@code upload ID FIRST_BYTE BODY_READ BYTES FIRST_DUE}. */
        String line() {
            return "upload " + requestId + " " + firstByteNanos + " " + bodyReadNanos + " " + bodyBytes + " " + firstDueNanos;
        }

        /** Parses {@link #line()}. */
        static Upload parse(String line) {
            String[] f = line.split(" ");
            if (f.length != 6 || !f[0].equals("upload")) throw new IllegalArgumentException("not an upload line: " + line);
            return new Upload(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Integer.parseInt(f[4]), Long.parseLong(f[5]));
        }
    }

    private final ConcurrentLinkedQueue<Upload> recorded = new ConcurrentLinkedQueue<>();

    void add(Upload upload) {
        recorded.add(upload);
    }

    /** The uploads recorded since the last call, in arrival order. */
    List<Upload> drain() {
        List<Upload> out = new ArrayList<>();
        Upload u;
        while ((u = recorded.poll()) != null) out.add(u);
        return out;
    }
}
