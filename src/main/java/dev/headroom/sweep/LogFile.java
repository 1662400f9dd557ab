package dev.headroom.sweep;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading a server's log: lenient about bytes (a dying server may cut a line in half), bounded in size. */
final class LogFile {

    /** Start-up logs are small; a long-running server's log is read from its tail only. */
    static final long MAX_BYTES = 4L << 20;

    private LogFile() {}

    /** The last {@link #MAX_BYTES} of the log as lines; empty when there is no log. */
    static List<String> lines(Path log) {
        if (log == null || !Files.isRegularFile(log)) return List.of();
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, file.length() - MAX_BYTES);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return start > 0 && !lines.isEmpty() ? lines.subList(1, lines.size()) : lines;
        } catch (IOException e) {
            return List.of();
        }
    }
}
