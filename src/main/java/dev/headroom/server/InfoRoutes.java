package dev.headroom.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.UUID;

/**
 * The small routes: {@code /health}, {@code /version}, {@code /v1/models}, {@code /tokenize}, {@code /detokenize},
 * {@code /metrics}, in vLLM's shapes (vllm/entrypoints/openai/api_server.py, protocol.py, v0.10).
 */
final class InfoRoutes {

    private final ServerContext context;
    private final String version;
    private final long createdSeconds = System.currentTimeMillis() / 1000;

    /** @param headroomVersion this tool's version, reported next to the imitated vLLM version */
    InfoRoutes(ServerContext context, String headroomVersion) {
        this.context = context;
        this.version = "{\"version\":" + Json.quote(context.options.vllmVersion()) + ",\"simulator\":"
                + Json.quote("headroom " + headroomVersion) + "}";
    }

    /** Dispatches by exact path; unknown paths get FastAPI's 404. */
    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            boolean get = method.equals("GET") || method.equals("HEAD");
            switch (path) {
                case "/health" -> ifMethod(exchange, get, () -> Responses.send(exchange, 200, "", ""));
                case "/version" -> ifMethod(exchange, get, () -> Responses.json(exchange, 200, version));
                case "/v1/models" -> ifMethod(exchange, get, () -> Responses.json(exchange, 200, models()));
                case "/metrics" -> ifMethod(exchange, get, () -> Responses.send(exchange, 200,
                        "text/plain; version=0.0.4; charset=utf-8", context.metrics.render(context.engine.snapshot())));
                case "/tokenize" -> ifMethod(exchange, method.equals("POST"), () -> tokenize(exchange));
                case "/detokenize" -> ifMethod(exchange, method.equals("POST"), () -> detokenize(exchange));
                default -> Responses.notFound(exchange);
            }
        }
    }

    private interface Action {
        void run() throws IOException;
    }

    private static void ifMethod(HttpExchange exchange, boolean allowed, Action action) throws IOException {
        if (allowed) {
            action.run();
        } else {
            Responses.methodNotAllowed(exchange);
        }
    }

    // protocol.py ModelList / ModelCard / ModelPermission
    private String models() {
        ObjectNode card = Json.MAPPER.createObjectNode()
                .put("id", context.options.servedModelName())
                .put("object", "model")
                .put("created", createdSeconds)
                .put("owned_by", "vllm")
                .put("root", context.options.modelRoot())
                .putNull("parent")
                .put("max_model_len", context.options.maxModelLen());
        card.putArray("permission").addObject()
                .put("id", "modelperm-" + UUID.randomUUID().toString().replace("-", ""))
                .put("object", "model_permission")
                .put("created", createdSeconds)
                .put("allow_create_engine", false)
                .put("allow_sampling", true)
                .put("allow_logprobs", true)
                .put("allow_search_indices", false)
                .put("allow_view", true)
                .put("allow_fine_tuning", false)
                .put("organization", "*")
                .putNull("group")
                .put("is_blocking", false);
        ObjectNode list = Json.MAPPER.createObjectNode().put("object", "list");
        list.putArray("data").add(card);
        return list.toString();
    }

    // serving_tokenization.py: TokenizeCompletionRequest {prompt} or TokenizeChatRequest {messages}
    private void tokenize(HttpExchange exchange) throws IOException {
        try {
            JsonNode body = readObject(exchange);
            checkModel(body);
            Tokenizer tokenizer = context.options.tokenizer();
            int[] tokens;
            if (body.path("messages").isArray()) {
                tokens = tokenizer.encodeChat(ChatTemplate.messages(body.get("messages")),
                        body.path("add_generation_prompt").asBoolean(true));
            } else if (body.path("prompt").isTextual()) {
                tokens = tokenizer.encode(body.get("prompt").asText());
            } else {
                throw ApiError.validation("[{'type': 'missing', 'loc': ('body', 'prompt'), 'msg': 'Field required'}]");
            }
            ObjectNode out = Json.MAPPER.createObjectNode()
                    .put("count", tokens.length)
                    .put("max_model_len", context.options.maxModelLen());
            ArrayNode ids = out.putArray("tokens");
            for (int id : tokens) ids.add(id);
            if (body.path("return_token_strs").asBoolean(false)) {
                ArrayNode strs = out.putArray("token_strs");
                for (int id : tokens) strs.add(context.options.tokenizer().decode(id));
            } else {
                out.putNull("token_strs");
            }
            Responses.json(exchange, 200, out.toString());
        } catch (ApiError error) {
            Responses.error(exchange, error);
        }
    }

    private void detokenize(HttpExchange exchange) throws IOException {
        try {
            JsonNode body = readObject(exchange);
            checkModel(body);
            if (!body.path("tokens").isArray()) {
                throw ApiError.validation("[{'type': 'missing', 'loc': ('body', 'tokens'), 'msg': 'Field required'}]");
            }
            StringBuilder text = new StringBuilder();
            for (JsonNode id : body.get("tokens")) text.append(context.options.tokenizer().decode(id.asInt()));
            Responses.json(exchange, 200, Json.MAPPER.createObjectNode().put("prompt", text.toString()).toString());
        } catch (ApiError error) {
            Responses.error(exchange, error);
        }
    }

    private void checkModel(JsonNode body) {
        String model = body.path("model").isTextual() ? body.get("model").asText() : null;
        if (model != null && !model.equals(context.options.servedModelName())) throw ApiError.modelNotFound(model);
    }

    private static JsonNode readObject(HttpExchange exchange) throws IOException {
        try {
            JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            if (body == null || !body.isObject()) throw new IOException("not a JSON object");
            return body;
        } catch (IOException e) {
            throw ApiError.validation("[{'type': 'json_invalid', 'loc': ('body', 0), 'msg': 'JSON decode error'}]");
        }
    }
}
