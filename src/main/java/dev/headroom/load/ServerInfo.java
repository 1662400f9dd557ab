package dev.headroom.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The target's identity, read before a run: the model to use (the given one, or the first id of
 * {@code /v1/models}), the {@code server} response header, and the {@code /version} body when there is one.
 *
 * @param model        the served model name requests will carry
 * @param serverHeader the {@code server} HTTP header, or null
 * @param version      the {@code /version} response body, or null
 */
public record ServerInfo(String model, String serverHeader, String version) {

    /** The target could not be reached at all: the message is the one line users see. */
    public static final class UnreachableException extends Exception {
        public UnreachableException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Asks the target who it is. Throws {@link UnreachableException} when it cannot be reached within
     * {@code timeout}, and {@link IllegalArgumentException} when no model is given and {@code /v1/models} names none.
     */
    public static ServerInfo probe(StreamingClient client, String model, Duration timeout) throws UnreachableException {
        StreamingClient.Response models;
        String url = client.endpoint().url();
        try {
            models = client.send("GET", "/v1/models", null, timeout);
        } catch (ConnectException e) {
            throw new UnreachableException("cannot reach " + url + ": " + e.getMessage());
        } catch (SocketTimeoutException e) {
            throw new UnreachableException("cannot reach " + url + ": no answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new UnreachableException("cannot reach " + url + ": " + e.getMessage());
        }
        String resolved = model != null ? model : firstModel(models, url);
        return new ServerInfo(resolved, models.headers().get("server"), version(client, timeout));
    }

    /** The identity as run.yaml records it. */
    public Map<String, Object> toMap(String baseUrl) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("base_url", baseUrl);
        map.put("model", model);
        map.put("server_header", serverHeader);
        map.put("version", version);
        return map;
    }

    private static String firstModel(StreamingClient.Response models, String url) {
        if (models.status() == 200) {
            try {
                JsonNode id = JSON.readTree(models.body()).path("data").path(0).path("id");
                if (id.isTextual()) return id.asText();
            } catch (IOException notJson) {
                // Reported below.
            }
        }
        throw new IllegalArgumentException("--model is needed: " + url + "/v1/models answered HTTP " + models.status()
                + " without a model id");
    }

    private static String version(StreamingClient client, Duration timeout) {
        try {
            StreamingClient.Response v = client.send("GET", "/version", null, timeout);
            return v.status() == 200 ? versionOf(v.text().strip()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** vLLM's {@code /version} answers {@code {"version": "0.11.0"}}: keep the version, or the body when it is not that. */
    static String versionOf(String body) {
        try {
            JsonNode v = new ObjectMapper().readTree(body).get("version");
            return v != null && v.isTextual() ? v.asText() : body;
        } catch (IOException | RuntimeException notJson) {
            return body;
        }
    }
}
