package dev.headroom.results;

import dev.headroom.metrics.ConnectionTimings;
import dev.headroom.metrics.EngineTiming;
import dev.headroom.metrics.RequestError;
import dev.headroom.metrics.RequestRecord;

/** Builds one {@code requests.jsonl} line by hand: no reflection or allocation beyond one StringBuilder. */
final class JsonLine {

    private JsonLine() {
    }

    static String of(RequestRecord r) {
        StringBuilder b = new StringBuilder(256 + 12 * r.chunkNanos().length);
        b.append("{\"request_id\":");
        string(b, r.requestId());
        b.append(",\"scheduled_ms\":").append(RequestLog.ms(r.scheduledNanos()));
        b.append(",\"sent_ms\":").append(RequestLog.ms(r.sentNanos()));
        b.append(",\"first_token_ms\":").append(RequestLog.ms(r.firstTokenNanos()));
        b.append(",\"last_token_ms\":").append(RequestLog.ms(r.lastTokenNanos()));
        b.append(",\"chunk_ms\":[");
        long[] chunks = r.chunkNanos();
        for (int i = 0; i < chunks.length; i++) {
            if (i > 0) b.append(',');
            b.append(RequestLog.ms(chunks[i]));
        }
        b.append("],\"first_content_ms\":").append(RequestLog.ms(r.firstContentNanos()));
        b.append(",\"prompt_tokens\":").append(r.promptTokens());
        b.append(",\"output_tokens\":").append(r.outputTokens());
        b.append(",\"usage_reported\":").append(r.usageReported());
        if (r.exactOutputTokens() > 0) b.append(",\"exact_output_tokens\":").append(r.exactOutputTokens());
        if (r.cachedTokens() >= 0) b.append(",\"cached_tokens\":").append(r.cachedTokens());
        if (r.turn() >= 0) b.append(",\"turn\":").append(r.turn());
        EngineTiming engine = r.engine();
        if (engine != null) {
            b.append(",\"server_metrics\":{\"queue_time_ms\":").append(number(engine.queueMs()))
                    .append(",\"time_to_first_token_ms\":").append(number(engine.ttftMs()))
                    .append(",\"generation_time_ms\":").append(number(engine.generationMs()))
                    .append(",\"mean_itl_ms\":").append(number(engine.meanItlMs())).append('}');
        }
        ConnectionTimings c = r.connection();
        b.append(",\"connect_ms\":").append(RequestLog.ms(c.connectNanos()));
        b.append(",\"tls_handshake_ms\":").append(RequestLog.ms(c.tlsHandshakeNanos()));
        b.append(",\"attempts\":").append(c.attempts());
        b.append(",\"ok\":").append(r.ok());
        b.append(",\"error\":");
        RequestError e = r.error();
        if (e == null) {
            b.append("null");
        } else {
            b.append("{\"kind\":\"").append(e.kind().label()).append("\",\"status\":").append(e.status())
                    .append(",\"message\":");
            string(b, e.message());
            b.append('}');
        }
        return b.append("}\n").toString();
    }

    /** A milliseconds value as the server sent it (shortest round-trip form), or null for NaN. */
    private static String number(double ms) {
        return Double.isNaN(ms) ? "null" : Double.toString(ms);
    }

    /** A JSON string literal; control characters and every surrogate are \\u-escaped so any String round-trips. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
