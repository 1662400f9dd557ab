package dev.headroom.load;

import dev.headroom.metrics.ConnectionTimings;
import dev.headroom.metrics.EngineTiming;
import dev.headroom.metrics.RequestError;
import java.io.IOException;
import java.util.Arrays;

/**
 * The per-request hot path: receives SSE events with the stamp of the read that completed them and records
 * token-bearing arrivals into a pre-sized {@code long[]}, growing it only when a server sends more chunks than
 * {@code max_tokens} promised. No locks; only this request's thread touches it.
 */
final class StreamState implements SseParser.Listener {

    private final ChunkReader reader = new ChunkReader();
    private final boolean keepServerStamps;
    private long[] chunks;
    private long[] serverStamps;
    private int count;
    private long firstContentNanos = -1;
    private int contentChunks;
    private int promptTokens = -1;
    private int completionTokens = -1;
    private int cachedTokens = -1;
    private EngineTiming engine;
    private final StringBuilder text;
    private RequestError error;
    private boolean done;
    private boolean finishReason;
    long readNanos;

    StreamState(int expectedChunks, boolean keepServerStamps) {
        this(expectedChunks, keepServerStamps, false);
    }

    /** As above; {@code keepText} keeps the streamed answer (multi-turn sessions send it back), at a full parse per chunk. */
    StreamState(int expectedChunks, boolean keepServerStamps, boolean keepText) {
        this.chunks = new long[Math.max(1, expectedChunks)];
        this.keepServerStamps = keepServerStamps;
        this.serverStamps = keepServerStamps ? new long[chunks.length] : null;
        this.text = keepText ? new StringBuilder(expectedChunks * 4) : null;
        if (keepText) reader.keepText(text);
    }

    @Override
    public void done() {
        done = true;
    }

    @Override
    public void data(byte[] buffer, int offset, int length) {
        if (error != null || done) return;
        try {
            reader.read(buffer, offset, length);
        } catch (IOException e) {
            error = new RequestError(RequestError.Kind.PARSE, 200,
                    "unparsable stream message: " + abbreviate(new String(buffer, offset, length, java.nio.charset.StandardCharsets.UTF_8)));
            return;
        }
        if (reader.errorMessage != null) {
            error = new RequestError(RequestError.Kind.STREAM_ERROR, reader.errorCode, reader.errorMessage);
            return;
        }
        if (reader.completionTokens >= 0) completionTokens = reader.completionTokens;
        if (reader.promptTokens >= 0) promptTokens = reader.promptTokens;
        if (reader.cachedTokens >= 0) cachedTokens = reader.cachedTokens;
        if (reader.engine != null) engine = reader.engine;
        finishReason |= reader.finishReason;
        if (!reader.tokenBearing) return;
        if (count == chunks.length) {
            chunks = Arrays.copyOf(chunks, count * 2);
            if (keepServerStamps) serverStamps = Arrays.copyOf(serverStamps, count * 2);
        }
        if (keepServerStamps) serverStamps[count] = reader.serverSentNanos;
        chunks[count++] = readNanos;
        if (reader.hasContent) {
            if (contentChunks++ == 0) firstContentNanos = readNanos;
        }
    }

    /** True once the stream said {@code [DONE]} or failed: nothing more to read. */
    boolean finished() {
        return done || error != null;
    }

    boolean sawDone() {
        return done;
    }

    /** True once a choice carried a {@code finish_reason}: a stream that then ends without {@code [DONE]} is complete. */
    boolean sawFinishReason() {
        return finishReason;
    }

    RequestError error() {
        return error;
    }

    /** The result, given the send stamp, connection facts and, when the stream itself did not fail, a transport error or null. */
    StreamResult result(long sentNanos, RequestError transportError, ConnectionTimings connection) {
        RequestError e = error != null ? error : transportError;
        return new StreamResult(sentNanos, Arrays.copyOf(chunks, count),
                keepServerStamps ? Arrays.copyOf(serverStamps, count) : null,
                firstContentNanos, contentChunks, promptTokens, completionTokens, e, connection, cachedTokens,
                text == null ? null : text.toString(), engine);
    }

    static String abbreviate(String text) {
        String oneLine = text.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }
}
