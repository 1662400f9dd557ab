package dev.headroom.metrics;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Preemptions as a V0 vLLM logs them (vllm/core/scheduler.py {@code _preempt}): a WARNING on every 50th, carrying
 * the running total, {@code ... is preempted by PreemptionMode.RECOMPUTE mode because there is not enough KV cache
 * space. ... total_num_cumulative_preemption=N}. Marks the log's end when the window opens and reads the total
 * reached since; V1 logs none (it only counts {@code vllm:num_preemptions}).
 */
public final class PreemptionLog {

    private static final Pattern WARNING = Pattern.compile(
            "is preempted by PreemptionMode\\.\\w+ mode because there is not enough KV cache space.*"
                    + "total_num_cumulative_preemption=(\\d+)");

    private final Path log;
    private final long offset;
    private final long totalBefore;

    private PreemptionLog(Path log, long offset, long totalBefore) {
        this.log = log;
        this.offset = offset;
        this.totalBefore = totalBefore;
    }

    /** Marks the end of {@code log} now: preemptions are counted from here. */
    public static PreemptionLog mark(Path log) throws IOException {
        long size = Files.size(log);
        return new PreemptionLog(log, size, lastTotal(read(log, 0, size)));
    }

    /** Preemptions logged since the mark (a lower bound: V0 logs every 50th); 0 when none was logged. */
    public long countSinceMark() throws IOException {
        long total = lastTotal(read(log, offset, Files.size(log)));
        return total < 0 ? 0 : total - Math.max(0, totalBefore);
    }

    /** The highest {@code total_num_cumulative_preemption} in {@code text}, or -1. */
    static long lastTotal(String text) {
        long last = -1;
        Matcher m = WARNING.matcher(text);
        while (m.find()) last = Math.max(last, Long.parseLong(m.group(1)));
        return last;
    }

    private static String read(Path file, long from, long to) throws IOException {
        if (to <= from) return "";
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, to - from)];
            f.seek(from);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
