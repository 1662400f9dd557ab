package dev.headroom.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.headroom.metrics.EngineTiming;
import java.io.IOException;

/**
 * Reads one streamed {@code data:} JSON message, keeping only what timing needs:
 * whether {@code choices} is non-empty (vLLM bench's token-bearing test), whether the first choice carries
 * non-empty text, whether any choice carries a {@code finish_reason}, the {@code usage} counts (cached prompt tokens
 * included), the server's per-request timing ({@code metrics}, vLLM's {@code --enable-per-request-metrics};
 * {@code timings}, llama.cpp's), an
 * {@code error}, the loopback server's send stamp, and, for callers that keep it, the streamed text.
 * Ordinary token chunks take {@link ChunkScanner}'s allocation-free pass; the rest (usage, errors, anything
 * unusual) one streaming Jackson pass. One reader per stream; the fields describe the last message read.
 */
public final class ChunkReader {

    /** Name of the field in which {@code selftest.ScheduleServer} stamps its {@code System.nanoTime()} at send. */
    public static final String SENT_NANOS_FIELD = "headroom_sent_ns";

    private static final JsonFactory JSON = new JsonFactory();

    private final ChunkScanner scanner = new ChunkScanner();

    /** The message had a non-empty {@code choices} list. */
    boolean tokenBearing;
    /** The first choice's {@code delta.content} (chat) or {@code text} (completions) was a non-empty string. */
    boolean hasContent;
    /** A choice carried a {@code finish_reason} string: the server says the generation ended. */
    boolean finishReason;
    /** {@code usage.prompt_tokens}, or -1 when absent from this message. */
    int promptTokens;
    /** {@code usage.completion_tokens}, or -1 when absent from this message. */
    int completionTokens;
    /** The error message when the message was an error object, else null. */
    String errorMessage;
    /** The error's numeric {@code code}, or 0. */
    int errorCode;
    /** The server's send stamp, or -1 when the message has none. */
    long serverSentNanos;
    /** {@code usage.prompt_tokens_details.cached_tokens}, or -1 when absent from this message. */
    int cachedTokens;
    /** The message's {@code metrics} object, or null when it had none. */
    EngineTiming engine;
    /** Where the first choice's text goes, message after message, when the caller keeps it (sessions); else null. */
    private StringBuilder text;

    /** Appends the first choice's streamed text to {@code sink} from now on (every message then takes the full parse). */
    void keepText(StringBuilder sink) {
        text = sink;
    }

    /** Reads one message; throws {@link IOException} when it is not a JSON object. */
    void read(byte[] payload) throws IOException {
        read(payload, 0, payload.length);
    }

    /** Reads the message in {@code length} bytes of {@code buffer} from {@code offset}; as {@link #read(byte[])}. */
    void read(byte[] buffer, int offset, int length) throws IOException {
        clear();
        if (text == null && scanner.scan(buffer, offset, length, this)) return;
        parse(buffer, offset, length);
    }

    /** The full streaming parse, for every message the scanner does not vouch for. */
    void parse(byte[] buffer, int offset, int length) throws IOException {
        clear();
        try (JsonParser p = JSON.createParser(buffer, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("stream message is not a JSON object");
            boolean objectIsError = false;
            String topMessage = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "choices" -> readChoices(p, value);
                    case "usage" -> readUsage(p, value);
                    case "metrics" -> readMetrics(p, value);
                    case "timings" -> readTimings(p, value);
                    case "error" -> readError(p, value);
                    case SENT_NANOS_FIELD -> serverSentNanos = p.getValueAsLong(-1);
                    case "object" -> objectIsError = "error".equals(p.getValueAsString());
                    case "message" -> topMessage = p.getValueAsString();
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("stream message is not one complete JSON object");
            }
            // Older vLLM releases send errors as {"object":"error","message":...,"code":N} (vllm/entrypoints/openai/protocol.py ErrorResponse).
            if (objectIsError && errorMessage == null) errorMessage = topMessage == null ? "error" : topMessage;
        }
    }

    private void clear() {
        tokenBearing = false;
        hasContent = false;
        finishReason = false;
        promptTokens = -1;
        completionTokens = -1;
        errorMessage = null;
        errorCode = 0;
        serverSentNanos = -1;
        cachedTokens = -1;
        engine = null;
    }

    private void readChoices(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        JsonToken first = p.nextToken();
        if (first == JsonToken.END_ARRAY) return;
        tokenBearing = true;
        if (first == JsonToken.START_OBJECT) readChoice(p);
        else p.skipChildren();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.START_OBJECT) readFinishReason(p);
            else p.skipChildren();
        }
    }

    private void readChoice(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("text")) {
                hasContent |= value == JsonToken.VALUE_STRING && p.getTextLength() > 0;
                keep(p, value);
            } else if (name.equals("finish_reason")) {
                finishReason |= value == JsonToken.VALUE_STRING;
            } else if (name.equals("delta") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    boolean content = p.currentName().equals("content");
                    JsonToken v = p.nextToken();
                    if (content) {
                        hasContent |= v == JsonToken.VALUE_STRING && p.getTextLength() > 0;
                        keep(p, v);
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
    }

    private void keep(JsonParser p, JsonToken value) throws IOException {
        if (text != null && value == JsonToken.VALUE_STRING) text.append(p.getText());
    }

    /** A later choice: only its {@code finish_reason} matters (n > 1 streams). */
    private void readFinishReason(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            boolean finish = p.currentName().equals("finish_reason");
            JsonToken v = p.nextToken();
            if (finish) finishReason |= v == JsonToken.VALUE_STRING;
            else p.skipChildren();
        }
    }

    private void readUsage(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "prompt_tokens" -> promptTokens = p.getValueAsInt(-1);
                case "completion_tokens" -> completionTokens = p.getValueAsInt(-1);
                case "prompt_tokens_details" -> readPromptDetails(p);
                default -> p.skipChildren();
            }
        }
    }

    /**
     * vLLM's per-request {@code metrics} (docs/features/per_request_metrics.md): {@code queue_time_ms},
     * {@code time_to_first_token_ms}, {@code generation_time_ms}, {@code mean_itl_ms}; each may be null.
     */
    private void readMetrics(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        double queue = Double.NaN, ttft = Double.NaN, generation = Double.NaN, itl = Double.NaN;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            double ms = v.isNumeric() ? p.getValueAsDouble() : Double.NaN;
            switch (name) {
                case "queue_time_ms" -> queue = ms;
                case "time_to_first_token_ms" -> ttft = ms;
                case "generation_time_ms" -> generation = ms;
                case "mean_itl_ms" -> itl = ms;
                default -> p.skipChildren();
            }
        }
        engine = new EngineTiming(queue, ttft, generation, itl);
    }

    /**
     * llama.cpp's per-response {@code timings} (its final chunk): {@code prompt_ms} and {@code predicted_ms} give
     * the server's timing ({@link EngineTiming#ofSlot}), {@code cache_n} the prompt tokens reused from the slot's
     * cache where the usage did not say. A message that also has vLLM's {@code metrics} keeps those.
     */
    private void readTimings(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        double prompt = Double.NaN, predicted = Double.NaN;
        int cached = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "prompt_ms" -> prompt = v.isNumeric() ? p.getValueAsDouble() : Double.NaN;
                case "predicted_ms" -> predicted = v.isNumeric() ? p.getValueAsDouble() : Double.NaN;
                case "cache_n" -> cached = v.isNumeric() ? p.getValueAsInt(-1) : -1;
                default -> p.skipChildren();
            }
        }
        if (engine == null && !Double.isNaN(prompt)) engine = EngineTiming.ofSlot(prompt, predicted);
        if (cachedTokens < 0) cachedTokens = cached;
    }

    /** vLLM's {@code PromptTokenUsageInfo} (with {@code --enable-prompt-tokens-details}): {@code cached_tokens}. */
    private void readPromptDetails(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (name.equals("cached_tokens")) cachedTokens = p.getValueAsInt(-1);
            else p.skipChildren();
        }
    }

    private void readError(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            errorMessage = p.getText();
            return;
        }
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            if (value != JsonToken.VALUE_NULL) errorMessage = "error";
            return;
        }
        errorMessage = "error";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "message" -> errorMessage = p.getValueAsString("error");
                case "code" -> errorCode = p.getValueAsInt(0);
                default -> p.skipChildren();
            }
        }
    }
}
