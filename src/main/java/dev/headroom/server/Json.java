package dev.headroom.server;

import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON helpers for the hot streaming path, where chunks are assembled from strings rather than trees. */
final class Json {

    /** One shared mapper: thread-safe once configured. */
    static final ObjectMapper MAPPER = new ObjectMapper();

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /** Appends {@code s} as a JSON string literal (with quotes), escaping as RFC 8259 requires. */
    static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** {@code s} as a JSON string literal. */
    static String quote(String s) {
        return quote(new StringBuilder(s.length() + 2), s).toString();
    }
}
