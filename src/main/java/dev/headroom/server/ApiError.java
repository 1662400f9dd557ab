package dev.headroom.server;

/**
 * An error answered in vLLM's shape ({@code vllm/entrypoints/openai/protocol.py ErrorResponse} with
 * {@code ErrorInfo}, v0.10.1 onwards, vllm PR #22099): {@code {"error":{"message":...,"type":...,"param":null,
 * "code":status}}}.
 */
final class ApiError extends RuntimeException {

    final int status;
    final String type;

    private ApiError(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    /** A 400 raised by vLLM's own checks (serving_engine.create_error_response: type "BadRequestError"). */
    static ApiError badRequest(String message) {
        return new ApiError(400, "BadRequestError", message);
    }

    /**
     * A 400 for a body that fails request validation (api_server.validation_exception_handler: type is
     * {@code HTTPStatus.BAD_REQUEST.phrase}, "Bad Request"; the message is {@code str(exc)} of FastAPI's
     * RequestValidationError, which is {@code str(exc.errors())}, the list of pydantic's error dicts).
     */
    static ApiError validation(String pydanticMessage) {
        return new ApiError(400, "Bad Request", pydanticMessage);
    }

    /** vLLM's 404 for a model it does not serve (serving_engine._check_model). */
    static ApiError modelNotFound(String model) {
        return new ApiError(404, "NotFoundError", "The model `" + model + "` does not exist.");
    }

    /** A route or method the server does not have (FastAPI's plain 404/405 bodies). */
    static ApiError notFound(String what) {
        return new ApiError(404, "NotFoundError", what);
    }

    /** The JSON body vLLM sends. */
    String toJson() {
        return "{\"error\":{\"message\":" + Json.quote(getMessage()) + ",\"type\":" + Json.quote(type)
                + ",\"param\":null,\"code\":" + status + "}}";
    }
}
