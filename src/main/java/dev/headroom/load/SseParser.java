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

    /** Receives events without allocation: a data message is a slice of the parser's buffer, valid only during the call. */
    public interface Listener {
        /** A {@code data:} message other than {@code [DONE]}: {@code length} bytes from {@code offset}. */
        void data(byte[] buffer, int offset, int length);

        /** The OpenAI stream terminator {@code data: [DONE]}. */
        void done();

        /** An event holding only comment lines; the default ignores it. */
        default void comment(String text) {
        }
    }

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
        feed(buffer, offset, length, new Listener() {
            @Override
            public void data(byte[] bytes, int from, int n) {
                sink.accept(new SseEvent.Data(Arrays.copyOfRange(bytes, from, from + n)));
            }

            @Override
            public void done() {
                sink.accept(new SseEvent.Done());
            }

            @Override
            public void comment(String text) {
                sink.accept(new SseEvent.Comment(text));
            }
        });
    }

    /** As {@link #feed(byte[], int, int, Consumer)}, handing each completed event to {@code listener} without allocating. */
    public void feed(byte[] buffer, int offset, int length, Listener listener) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            byte b = buffer[i];
            if (b == '\n' && lastWasCr) {
                lastWasCr = false;
                i++;
                continue;
            }
            lastWasCr = b == '\r';
            if (b == '\n' || b == '\r') {
                endLine(listener);
                i++;
                continue;
            }
            int lineEnd = i + 1;
            while (lineEnd < end && buffer[lineEnd] != '\n' && buffer[lineEnd] != '\r') lineEnd++;
            appendLine(buffer, i, lineEnd - i);
            i = lineEnd;
        }
    }

    /** True when bytes of an unfinished event are buffered (a stream ending now would be truncated mid-event). */
    public boolean hasPartialEvent() {
        return lineLength > 0 || hasData || comment != null;
    }

    private void appendLine(byte[] buffer, int offset, int length) {
        if (lineLength + length > line.length) line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
        System.arraycopy(buffer, offset, line, lineLength, length);
        lineLength += length;
    }

    private void endLine(Listener sink) {
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

    private void dispatch(Listener sink) {
        if (hasData) {
            if (Arrays.equals(data, 0, dataLength, DONE, 0, DONE.length)) sink.done();
            else sink.data(data, 0, dataLength);
        } else if (comment != null) {
            sink.comment(comment.toString());
        }
        hasData = false;
        dataLength = 0;
        comment = null;
    }
}
