package dev.headroom.results;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.headroom.metrics.ConnectionTimings;
import dev.headroom.metrics.EngineTiming;
import dev.headroom.metrics.RequestError;
import dev.headroom.metrics.RequestRecord;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code requests.jsonl}: one JSON object per request, appended as each request completes. Times are
 * milliseconds relative to the run's start with microsecond precision (nanoseconds are floored to whole
 * microseconds); a time that never happened is {@code null}.
 */
public final class RequestLog implements Closeable {

    private static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;
    // Decimal ms must not pass through double: 13+ significant digits are common for long runs.
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final BufferedWriter out;
    private long lastFlushNanos = System.nanoTime();

    private RequestLog(BufferedWriter out) {
        this.out = out;
    }

    /** Creates (or truncates) {@code file}, creating parent directories. */
    public static RequestLog open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        return new RequestLog(new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16));
    }

    /**
     * Appends one record; thread-safe. The line is built outside the lock; the buffer is flushed at most once a
     * second here, and by {@link #flush()} / {@link #close()}.
     */
    public void append(RequestRecord r) {
        String line = JsonLine.of(r);
        synchronized (out) {
            try {
                out.write(line);
                long now = System.nanoTime();
                if (now - lastFlushNanos >= FLUSH_INTERVAL_NANOS) {
                    out.flush();
                    lastFlushNanos = now;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write requests.jsonl", e);
            }
        }
    }

    /** Writes everything appended so far to the file. */
    public void flush() throws IOException {
        synchronized (out) {
            out.flush();
            lastFlushNanos = System.nanoTime();
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (out) {
            out.close();
        }
    }

    /** Reads a {@code requests.jsonl} back; blank lines are skipped; a malformed line fails naming its number. */
    public static List<RequestRecord> read(Path file) throws IOException {
        List<RequestRecord> records = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank()) continue;
            try {
                records.add(parse(JSON.readTree(line)));
            } catch (IOException | RuntimeException e) {
                throw new IOException(file + ":" + lineNo + ": not a request record: " + e.getMessage(), e);
            }
        }
        return records;
    }

    private static RequestRecord parse(JsonNode n) {
        JsonNode chunkNode = required(n, "chunk_ms");
        long[] chunks = new long[chunkNode.size()];
        for (int i = 0; i < chunks.length; i++) chunks[i] = nanos(chunkNode.get(i));
        JsonNode err = n.get("error");
        RequestError error = err == null || err.isNull() ? null : new RequestError(
                RequestError.Kind.valueOf(required(err, "kind").asText().toUpperCase(Locale.ROOT)),
                required(err, "status").asInt(), required(err, "message").asText());
        ConnectionTimings connection = new ConnectionTimings(nanos(n.get("connect_ms")), nanos(n.get("tls_handshake_ms")),
                n.path("attempts").asInt(1));
        return new RequestRecord(required(n, "request_id").asText(), nanos(n.get("scheduled_ms")),
                nanos(n.get("sent_ms")), chunks, nanos(n.get("first_content_ms")),
                required(n, "prompt_tokens").asInt(), required(n, "output_tokens").asInt(),
                n.path("usage_reported").asBoolean(false), error, connection, n.path("cached_tokens").asInt(-1),
                n.path("turn").asInt(-1), engineTiming(n.get("server_metrics")), n.path("exact_output_tokens").asInt(-1));
    }

    private static EngineTiming engineTiming(JsonNode m) {
        if (m == null || m.isNull()) return null;
        return new EngineTiming(msOrNaN(m, "queue_time_ms"), msOrNaN(m, "time_to_first_token_ms"),
                msOrNaN(m, "generation_time_ms"), msOrNaN(m, "mean_itl_ms"));
    }

    private static double msOrNaN(JsonNode m, String field) {
        JsonNode v = m.get(field);
        return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null) throw new IllegalArgumentException("missing field '" + field + "'");
        return v;
    }

    private static long nanos(JsonNode ms) {
        if (ms == null || ms.isNull()) return -1;
        if (!ms.isNumber()) throw new IllegalArgumentException("'" + ms + "' is not a number of ms");
        return ms.decimalValue().movePointRight(6).setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    /** Formats nanoseconds as milliseconds with three decimals (whole microseconds, floored); -1 as null. */
    static String ms(long nanos) {
        if (nanos == -1) return "null";
        long micros = Math.floorDiv(nanos, 1000L);
        return BigDecimal.valueOf(micros, 3).toPlainString();
    }
}
