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

    /**
     * Classes of failure, written in lower case to {@code requests.jsonl} as {@code error.kind}. Each says who caused
     * it: the server (or the network to it), or headroom's own client ({@link #byClient}, counted in summary.json
     * {@code client_failed}: such a failure says nothing about the server).
     */
    public enum Kind {
        /** The server answered with a non-200 status. */
        HTTP(false),
        /** The connection could not be opened (refused, unknown host, connect timeout, TLS handshake failed). */
        CONNECT(false),
        /**
         * The server closed a connection opened for this request after some of the request reached it and before
         * any response: the request may have been processed, so it is not sent again.
         */
        CONNECTION_CLOSED(false),
        /**
         * The client wrote the request on a pooled keep-alive connection the server had closed (or was closing):
         * it failed before the first response byte, and the server never answered it. Not sent again.
         */
        STALE_CONNECTION(true),
        /** The request exceeded {@code --request-timeout}. */
        TIMEOUT(false),
        /** The stream ended (or the connection was lost) without {@code [DONE]} and without a {@code finish_reason}. */
        TRUNCATED(false),
        /** The server sent {@code data: {"error": …}} inside the stream. */
        STREAM_ERROR(false),
        /** A stream message was not valid JSON of the expected shape. */
        PARSE(false),
        /** HTTP 200 but not one token-bearing chunk (vLLM: "Never received a valid chunk to calculate TTFT"). */
        NO_TOKENS(false),
        /** An error inside headroom (a fault in its client, its selector thread dying): the message names the cause. */
        TOOL(true),
        /** The run was interrupted while the request was in flight: not a failure of the server. */
        CANCELLED(false);

        private final boolean byClient;

        Kind(boolean byClient) {
            this.byClient = byClient;
        }

        /** True when headroom's own client caused the failure, not the server. */
        public boolean byClient() {
            return byClient;
        }

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
