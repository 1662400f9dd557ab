package dev.headroom.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writing whole (non-streaming) responses. */
final class Responses {

    private Responses() {}

    /** A JSON body with {@code status}. */
    static void json(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, "application/json", json);
    }

    /** vLLM's error body for {@code error}. */
    static void error(HttpExchange exchange, ApiError error) throws IOException {
        json(exchange, error.status, error.toJson());
    }

    /** FastAPI's answer to a route it does not have. */
    static void notFound(HttpExchange exchange) throws IOException {
        json(exchange, 404, "{\"detail\":\"Not Found\"}");
    }

    /** FastAPI's answer to a known route called with the wrong method. */
    static void methodNotAllowed(HttpExchange exchange) throws IOException {
        json(exchange, 405, "{\"detail\":\"Method Not Allowed\"}");
    }

    /** A body of {@code contentType}; an empty body is sent with Content-Length 0. */
    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!contentType.isEmpty()) exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
