package dev.headroom.metrics;

import java.util.Objects;

/**
 * Why a request failed.
 *
 * @param kind    the class of failure
 * @param status  the HTTP status, or 0 when there was no HTTP response
 * @param message the server's or the transport's message, never containing secrets
 */
public record RequestError(Kind kind, int status, String message) {

    /** Classes of failure, written in lower case to {@code requests.jsonl} as {@code error.kind}. */
    public enum Kind {
        /** The server answered with a non-200 status. */
        HTTP,
        /** The connection could not be opened (refused, unknown host, connect timeout, TLS handshake failed). */
        CONNECT,
        /**
         * The server closed the connection after some of the request reached it and before any response: the
         * request may have been processed, so it is not sent again.
         */
        CONNECTION_CLOSED,
        /** The request exceeded {@code --request-timeout}. */
        TIMEOUT,
        /** The stream ended (or the connection was lost) without {@code [DONE]} and without a {@code finish_reason}. */
        TRUNCATED,
        /** The server sent {@code data: {"error": …}} inside the stream. */
        STREAM_ERROR,
        /** A stream message was not valid JSON of the expected shape. */
        PARSE,
        /** HTTP 200 but not one token-bearing chunk (vLLM: "Never received a valid chunk to calculate TTFT"). */
        NO_TOKENS,
        /** The run was interrupted while the request was in flight: not a failure of the server. */
        CANCELLED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public RequestError {
        Objects.requireNonNull(kind, "kind");
        message = message == null ? "" : message;
    }

    public static RequestError noTokens() {
        return new RequestError(Kind.NO_TOKENS, 200, "Never received a valid chunk to calculate TTFT.");
    }
}
