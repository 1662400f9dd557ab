package dev.headroom.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON helpers for the hot streaming path, where chunks are assembled from strings rather than trees. */
final class Json {

    /** One shared mapper: thread-safe once configured. */
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** Appends {@code s} as a JSON string literal (with quotes), escaped by Jackson's encoder (RFC 8259). */
    static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, out);
        return out.append('"');
    }

    /** {@code s} as a JSON string literal. */
    static String quote(String s) {
        return quote(new StringBuilder(s.length() + 2), s).toString();
    }
}
