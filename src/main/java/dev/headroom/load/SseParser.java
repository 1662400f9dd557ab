package dev.headroom.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental SSE framing on bytes: feed whatever each read returned, in order; complete events go to the sink.
 *
 * <p>Lines end with {@code \n}, {@code \r\n} or {@code \r}; a blank line ends an event. {@code data:} lines (one
 * optional space after the colon) are joined with {@code \n}; {@code event:}, {@code id:} and {@code retry:} lines
 * are ignored; lines starting with {@code :} are comments. Not thread-safe: one parser per stream.
 */
public final class SseParser {

    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private byte[] line = new byte[512];
    private int lineLength;
    private byte[] data = new byte[512];
    private int dataLength;
    private boolean hasData;
    private StringBuilder comment;
    private boolean lastWasCr;

    /** Feeds {@code length} bytes of {@code buffer} from {@code offset}; every event they complete goes to {@code sink}. */
    public void feed(byte[] buffer, int offset, int length, Consumer<SseEvent> sink) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = buffer[i];
            if (b == '\n' && lastWasCr) {
                lastWasCr = false;
                continue;
            }
            lastWasCr = b == '\r';
            if (b == '\n' || b == '\r') {
                endLine(sink);
            } else {
                if (lineLength == line.length) line = Arrays.copyOf(line, line.length * 2);
                line[lineLength++] = b;
            }
        }
    }

    /** True when bytes of an unfinished event are buffered (a stream ending now would be truncated mid-event). */
    public boolean hasPartialEvent() {
        return lineLength > 0 || hasData || comment != null;
    }

    private void endLine(Consumer<SseEvent> sink) {
        if (lineLength == 0) {
            dispatch(sink);
            return;
        }
        if (line[0] == ':') {
            if (comment == null) comment = new StringBuilder();
            else comment.append('\n');
            comment.append(new String(line, 1, lineLength - 1, StandardCharsets.UTF_8).strip());
        } else if (startsWithField("data")) {
            int start = 4 < lineLength && line[4] == ':' ? 5 : lineLength;
            if (start < lineLength && line[start] == ' ') start++;
            appendData(start);
        }
        lineLength = 0;
    }

    private boolean startsWithField(String name) {
        if (lineLength < name.length()) return false;
        for (int i = 0; i < name.length(); i++) {
            if (line[i] != name.charAt(i)) return false;
        }
        return lineLength == name.length() || line[name.length()] == ':';
    }

    private void appendData(int start) {
        int add = lineLength - start + (hasData ? 1 : 0);
        if (dataLength + add > data.length) data = Arrays.copyOf(data, Math.max(data.length * 2, dataLength + add));
        if (hasData) data[dataLength++] = '\n';
        System.arraycopy(line, start, data, dataLength, lineLength - start);
        dataLength += lineLength - start;
        hasData = true;
    }

    private void dispatch(Consumer<SseEvent> sink) {
        if (hasData) {
            if (Arrays.equals(data, 0, dataLength, DONE, 0, DONE.length)) sink.accept(new SseEvent.Done());
            else sink.accept(new SseEvent.Data(Arrays.copyOf(data, dataLength)));
        } else if (comment != null) {
            sink.accept(new SseEvent.Comment(comment.toString()));
        }
        hasData = false;
        dataLength = 0;
        comment = null;
    }
}
