package dev.headroom.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A response's status line and headers (names in lower case); {@code keepAlive} when the connection may carry
 * another request.
 */
record ResponseHead(int status, Map<String, String> headers, boolean keepAlive) {

    /** The most bytes a response head may take, the blank line included; body bytes never count. */
    static final int MAX_BYTES = 16 * 1024;

    String header(String name) {
        return headers.get(name);
    }

    /**
     * The end of a head in {@code buffer[0, length)}: the index just past its blank line, or -1 when it is not
     * complete yet. {@code from} is where the previous scan of the same growing buffer stopped.
     */
    static int find(byte[] buffer, int from, int length) {
        for (int i = Math.max(0, from - 3); i + 3 < length; i++) {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') return i + 4;
        }
        return -1;
    }

    /** Parses the {@code length} bytes of a response head from {@code offset}, blank line excluded or included. */
    static ResponseHead parse(byte[] buffer, int offset, int length) throws IOException {
        String text = new String(buffer, offset, length, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP/1.x response: " + lines[0]);
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        try {
            boolean keepAlive = !"close".equalsIgnoreCase(headers.get("connection")) && !status[0].equals("HTTP/1.0");
            return new ResponseHead(Integer.parseInt(status[1]), headers, keepAlive);
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: " + lines[0]);
        }
    }

    /** True when the body is sent with chunked transfer coding. */
    boolean chunked() {
        String coding = headers.get("transfer-encoding");
        return coding != null && coding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    /** The Content-Length, or -1 when absent; throws when it is not a number. */
    long contentLength() throws IOException {
        String length = headers.get("content-length");
        if (length == null) return -1;
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length: " + length);
        }
    }
}
