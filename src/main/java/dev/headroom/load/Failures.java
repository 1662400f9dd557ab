package dev.headroom.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.metrics.RequestError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Every failure the client records, in one place, so each kind has one message whichever path found it. */
final class Failures {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    private Failures() {}

    static RequestError truncated() {
        return new RequestError(RequestError.Kind.TRUNCATED, 200, "stream ended without [DONE] and without a finish_reason");
    }

    /** The connection was lost after the response began. */
    static RequestError lost(String what) {
        return new RequestError(RequestError.Kind.TRUNCATED, 200, "connection lost: " + what);
    }

    /** The connection closed after request bytes were written and before any response byte. */
    static RequestError connectionClosed(boolean wholeRequest) {
        return new RequestError(RequestError.Kind.CONNECTION_CLOSED, 0, "the server closed the connection after "
                + (wholeRequest ? "the request was written" : "part of the request was written")
                + " and before a response; not sent again, as the server may have processed it");
    }

    /**
     * A pooled connection the server had closed, or closed as the request came: the request failed on the client's
     * choice of connection before any response byte, and the server never answered it.
     */
    static RequestError staleConnection(String detail) {
        return new RequestError(RequestError.Kind.STALE_CONNECTION, 0, "the pooled connection this request was written on "
                + "had been closed by the server (" + detail + "); the client's failure, not the server's; not sent again");
    }

    private static final String CONNECT_PREFIX = "cannot connect: ";

    static RequestError connect(String detail) {
        return new RequestError(RequestError.Kind.CONNECT, 0, CONNECT_PREFIX + detail);
    }

    /** What {@link #connect} was told, in lower case: {@code connection refused}, {@code unknown host …}. */
    static String connectDetail(RequestError error) {
        String detail = error.message().startsWith(CONNECT_PREFIX) ? error.message().substring(CONNECT_PREFIX.length()) : error.message();
        return detail.isEmpty() ? detail : Character.toLowerCase(detail.charAt(0)) + detail.substring(1);
    }

    static RequestError timeout() {
        return new RequestError(RequestError.Kind.TIMEOUT, 0, "no response within --request-timeout");
    }

    static RequestError cancelled() {
        return new RequestError(RequestError.Kind.CANCELLED, 0, "run stopped while the request was in flight");
    }

    /** A response the client could not make sense of (bad head, bad chunk framing, oversized head). */
    static RequestError protocol(String detail) {
        return new RequestError(RequestError.Kind.PARSE, 0, "bad HTTP response: " + detail);
    }

    /** An error inside headroom: a fault in the client's handling of one stream, or its selector thread dying. */
    static RequestError tool(Throwable cause) {
        return new RequestError(RequestError.Kind.TOOL, 0, "error inside headroom's client: " + cause);
    }

    /** The message of an error body in either vLLM shape ({@code {"error":{"message"}}} or {@code {"message"}}), else its text. */
    static String errorMessage(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, MAX_ERROR_BODY_BYTES), StandardCharsets.UTF_8);
        try {
            JsonNode node = JSON.readTree(text);
            JsonNode error = node.path("error");
            if (error.isObject() && error.path("message").isTextual()) return error.get("message").asText();
            if (error.isTextual()) return error.asText();
            if (node.path("message").isTextual()) return node.get("message").asText();
            if (node.path("detail").isTextual()) return node.get("detail").asText();
        } catch (IOException | RuntimeException notJson) {
            // Not JSON: the body text itself is the best message there is.
        }
        return StreamState.abbreviate(text.strip());
    }
}
