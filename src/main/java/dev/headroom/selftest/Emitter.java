package dev.headroom.selftest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The threads that write every stream's chunks on schedule, each stream on one of them: per thread, a queue ordered
 * by due time, parked until the earliest is due. Each chunk carries the {@code System.nanoTime()} taken just before
 * its write, and each thread's own lateness (write start − due time) is recorded as the harness baseline. Streams on
 * a lockstep schedule fall due on the same ticks of one clock, so each tick's chunks go out together, one write per
 * stream. One thread writes about 150,000 chunks/s on loopback; the selftest server runs one per 4 cores.
 */
final class Emitter {

    /** One streaming response in progress; {@code finished} completes with true when the connection can be reused. */
    static final class Stream {
        final Socket socket;
        final OutputStream out;
        final Schedule schedule;
        final boolean chat;
        final boolean faulted;
        final int maxTokens;
        final boolean usage;
        final int promptTokens;
        final String id;
        final CompletableFuture<Boolean> finished = new CompletableFuture<>();
        int tokensSent;
        int chunksSent;
        long dueNanos;

        Stream(Socket socket, OutputStream out, Schedule schedule, boolean chat, boolean faulted, int maxTokens,
               boolean usage, int promptTokens, String id, long firstDueNanos) {
            this.socket = socket;
            this.out = out;
            this.schedule = schedule;
            this.chat = chat;
            this.faulted = faulted;
            this.maxTokens = maxTokens;
            this.usage = usage;
            this.promptTokens = promptTokens;
            this.id = id;
            this.dueNanos = firstDueNanos;
        }
    }

    /** Tick zero of the global step clock that lockstep schedules share. */
    final long clockStartNanos = System.nanoTime();
    /** Tokens sent and streams finished in full, for the server's {@code /metrics}. */
    final AtomicLong tokensSent = new AtomicLong();
    final AtomicLong streamsFinished = new AtomicLong();
    private final Lane[] lanes;
    private final AtomicLong added = new AtomicLong();

    /** An emitter of {@code threads} writer threads; streams are dealt to them in turn. */
    Emitter(int threads) {
        lanes = new Lane[threads];
        for (int i = 0; i < threads; i++) lanes[i] = new Lane("schedule-emitter-" + i);
    }

    void add(Stream stream) {
        lanes[(int) (added.getAndIncrement() % lanes.length)].add(stream);
    }

    /** The emitter's lateness (nanoseconds) since the last call, over all its threads. */
    Histogram takeLateness() {
        Histogram all = new Histogram(3);
        for (Lane lane : lanes) all.add(lane.lateness.getIntervalHistogram());
        return all;
    }

    void stop() {
        for (Lane lane : lanes) lane.stop();
    }

    /** One writer thread and the streams dealt to it: a queue ordered by due time, parked until the earliest is due. */
    private final class Lane implements Runnable {

        private final ConcurrentLinkedQueue<Stream> inbox = new ConcurrentLinkedQueue<>();
        private final PriorityQueue<Stream> due = new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
        private final List<Stream> stalled = new ArrayList<>();
        private final Recorder lateness = new Recorder(3);
        private final Thread thread;
        private volatile boolean running = true;

        Lane(String name) {
            thread = Thread.ofPlatform().name(name).daemon().unstarted(this);
            thread.setPriority(Thread.MAX_PRIORITY);
            thread.start();
        }

        void add(Stream stream) {
            inbox.add(stream);
            LockSupport.unpark(thread);
        }

        void stop() {
            running = false;
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            while (running) {
                Stream s;
                while ((s = inbox.poll()) != null) due.add(s);
                Stream head = due.peek();
                if (head == null) {
                    LockSupport.park(this);
                    continue;
                }
                long now = System.nanoTime();
                long wait = head.dueNanos - now;
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                    continue;
                }
                due.poll();
                lateness.recordValue(Math.min(now - head.dueNanos, 3_600_000_000_000L));
                if (emit(head, stalled)) {
                    head.dueNanos += head.schedule.step().toNanos();
                    due.add(head);
                }
            }
            due.forEach(st -> st.finished.complete(false));
            inbox.forEach(st -> st.finished.complete(false));
            stalled.forEach(st -> st.finished.complete(false));
        }
    }

    /** Writes the stream's next chunk; returns true when more are to come. A stalled stream joins {@code stalled}. */
    private boolean emit(Stream s, List<Stream> stalled) {
        Schedule.Fault fault = s.schedule.fault();
        boolean faultNow = s.faulted && s.chunksSent == fault.afterChunks();
        try {
            if (faultNow) {
                switch (fault.kind()) {
                    case TRUNCATE -> {
                        s.socket.close();
                        s.finished.complete(false);
                        return false;
                    }
                    case STALL -> {
                        stalled.add(s);
                        return false;
                    }
                    case MID_STREAM_ERROR -> {
                        write(s, "data: {\"error\":{\"message\":\"schedule server: injected failure\",\"type\":\"InternalServerError\",\"param\":null,\"code\":500}}\n\ndata: [DONE]\n\n", true);
                        s.finished.complete(true);
                        return false;
                    }
                    default -> { }
                }
            }
            StringBuilder sse = new StringBuilder(512);
            if (faultNow && fault.kind() == Schedule.Kind.GARBAGE) sse.append("data: {\"choices\": [{\"delta\": \n\n");
            long sentNanos = System.nanoTime();
            if (s.chunksSent == 0 && s.chat && s.schedule.roleChunk()) appendChunk(sse, s, "\"role\":\"assistant\",\"content\":\"\"", null, sentNanos);
            int n = Math.min(s.schedule.tokensPerChunk(), s.maxTokens - s.tokensSent);
            s.tokensSent += n;
            tokensSent.addAndGet(n);
            s.chunksSent++;
            boolean last = s.tokensSent >= s.maxTokens;
            String text = " tok".repeat(n);
            appendChunk(sse, s, s.chat ? "\"content\":\"" + text + "\"" : text, last ? "\"length\"" : "null", sentNanos);
            if (last && s.usage) {
                sse.append("data: {\"id\":\"").append(s.id).append("\",\"choices\":[],\"usage\":{\"prompt_tokens\":").append(s.promptTokens)
                        .append(",\"total_tokens\":").append(s.promptTokens + s.tokensSent).append(",\"completion_tokens\":")
                        .append(s.tokensSent).append("}}\n\n");
            }
            if (last) sse.append("data: [DONE]\n\n");
            write(s, sse.toString(), last);
            if (last) {
                streamsFinished.incrementAndGet();
                s.finished.complete(true);
            }
            return !last;
        } catch (IOException e) {
            s.finished.complete(false);
            return false;
        }
    }

    private static void appendChunk(StringBuilder sse, Stream s, String payload, String finishReason, long sentNanos) {
        sse.append("data: {\"id\":\"").append(s.id).append("\",\"object\":\"")
                .append(s.chat ? "chat.completion.chunk" : "text_completion").append("\",\"model\":\"").append(s.schedule.model())
                .append("\",\"choices\":[{\"index\":0,");
        if (s.chat) sse.append("\"delta\":{").append(payload).append('}');
        else sse.append("\"text\":\"").append(payload).append('"');
        sse.append(",\"finish_reason\":").append(finishReason == null ? "null" : finishReason).append("}],\"")
                .append(dev.headroom.load.ChunkReader.SENT_NANOS_FIELD).append("\":").append(sentNanos).append("}\n\n");
    }

    /** Writes one HTTP chunk holding {@code sse}, plus the terminating chunk when {@code end}. */
    private static void write(Stream s, String sse, boolean end) throws IOException {
        byte[] payload = sse.getBytes(StandardCharsets.UTF_8);
        byte[] size = (Integer.toHexString(payload.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = (end ? "\r\n0\r\n\r\n" : "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[size.length + payload.length + tail.length];
        System.arraycopy(size, 0, all, 0, size.length);
        System.arraycopy(payload, 0, all, size.length, payload.length);
        System.arraycopy(tail, 0, all, size.length + payload.length, tail.length);
        s.out.write(all);
        s.out.flush();
    }
}
