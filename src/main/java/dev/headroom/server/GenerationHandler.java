package dev.headroom.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.headroom.engine.EngineRequest;
import dev.headroom.engine.FinishedRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/chat/completions} and {@code /v1/completions}: validate, submit to the engine, and answer as
 * one JSON body or as SSE ({@code data: {json}\n\n} per engine step, {@code data: [DONE]\n\n} at the end),
 * flushing every step. A client that goes away mid-stream has its request aborted in the engine.
 */
final class GenerationHandler implements HttpHandler {

    private final Api api;
    private final ServerContext context;

    GenerationHandler(Api api, ServerContext context) {
        this.api = api;
        this.context = context;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(api.path)) {
                Responses.notFound(exchange);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                Responses.methodNotAllowed(exchange);
                return;
            }
            GenerationRequest request;
            try {
                request = GenerationRequest.parse(api, exchange.getRequestBody().readAllBytes(),
                        context.options.tokenizer(), context.options.maxModelLen());
                if (request.model() != null && !request.model().equals(context.options.servedModelName())) {
                    throw ApiError.modelNotFound(request.model());
                }
            } catch (ApiError error) {
                Responses.error(exchange, error);
                return;
            }
            serve(exchange, request);
        }
    }

    private void serve(HttpExchange exchange, GenerationRequest request) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("X-Request-Id");
        String id = context.claimId(api.idPrefix, header);
        try {
            exchange.getResponseHeaders().set("X-Request-Id", header != null ? header : id);
            RequestStream stream = new RequestStream(Thread.currentThread(), context.metrics);
            try {
                context.engine.submit(new EngineRequest(id, request.promptTokenIds(), request.maxTokens(),
                        request.minTokens(), request.ignoreEos()), stream);
            } catch (IllegalArgumentException refused) {
                Responses.error(exchange, ApiError.badRequest(refused.getMessage()));
                return;
            }
            Chunks chunks = new Chunks(api, id, System.currentTimeMillis() / 1000, context.options.servedModelName(),
                    request.promptTokenIds().length, request.continuousUsage());
            if (request.stream()) {
                streamResponse(exchange, request, id, stream, chunks);
            } else {
                wholeResponse(exchange, stream, chunks);
            }
        } finally {
            context.releaseId(id);
        }
    }

    private void streamResponse(HttpExchange exchange, GenerationRequest request, String id, RequestStream stream,
            Chunks chunks) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            out.flush(); // the status line and headers go out now, as uvicorn sends them, not with the first token
        } catch (IOException clientGone) {
            context.engine.abort(id);
            return;
        }
        RequestStream.Batch batch = new RequestStream.Batch();
        StringBuilder frames = new StringBuilder(256);
        int completionTokens = 0;
        boolean roleSent = api != Api.CHAT;
        boolean finishSent = false;
        while (true) {
            stream.next(batch);
            frames.setLength(0);
            if (!roleSent) frame(frames, chunks.role());
            roleSent = true;
            FinishedRequest finished = batch.finished;
            if (batch.tokenCount > 0) {
                completionTokens += batch.tokenCount;
                // the step that reaches max_tokens is the last: vLLM sends its text with finish_reason "length"
                String reason = finished != null ? reason(finished)
                        : completionTokens >= request.maxTokens() ? "length" : null;
                frame(frames, chunks.delta(text(batch), reason, completionTokens));
                finishSent = reason != null;
            }
            if (finished != null) {
                if (!finishSent) frame(frames, chunks.delta("", reason(finished), completionTokens));
                if (request.includeUsage()) frame(frames, chunks.usage(completionTokens, finished));
                frames.append("data: [DONE]\n\n");
            }
            try {
                out.write(frames.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException clientGone) {
                context.engine.abort(id);
                return;
            }
            if (batch.tokenCount > 0) {
                long delayNanos = System.nanoTime() - batch.firstStepNanos;
                context.deliveryNanos.recordValue(Math.clamp(delayNanos, 1, TimeUnit.MINUTES.toNanos(10)));
            }
            if (finished != null) return;
        }
    }

    private void wholeResponse(HttpExchange exchange, RequestStream stream, Chunks chunks)
            throws IOException {
        RequestStream.Batch batch = new RequestStream.Batch();
        StringBuilder text = new StringBuilder();
        int completionTokens = 0;
        while (true) {
            stream.next(batch);
            text.append(text(batch));
            completionTokens += batch.tokenCount;
            if (batch.finished != null) {
                Responses.json(exchange, 200, chunks.complete(text.toString(), batch.finished, completionTokens));
                return;
            }
        }
    }

    private String text(RequestStream.Batch batch) {
        StringBuilder text = new StringBuilder(batch.tokenCount * 4);
        for (int i = 0; i < batch.tokenCount; i++) text.append(context.options.tokenizer().decode(batch.tokenIds[i]));
        return text.toString();
    }

    // vllm/v1/engine/__init__.py FinishReason: str() is "stop", "length" or "abort"
    private static String reason(FinishedRequest finished) {
        return finished.reason().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void frame(StringBuilder frames, String json) {
        frames.append("data: ").append(json).append("\n\n");
    }
}
