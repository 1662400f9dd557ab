package dev.headroom.server;

import static dev.headroom.server.LaxType.ANY;
import static dev.headroom.server.LaxType.BOOL;
import static dev.headroom.server.LaxType.FLOAT;
import static dev.headroom.server.LaxType.INT;
import static dev.headroom.server.LaxType.STR;
import static dev.headroom.server.LaxType.optional;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * vLLM 0.10.2–0.11.0's request models ({@code vllm/entrypoints/openai/protocol.py} ChatCompletionRequest and
 * CompletionRequest) as FastAPI validates a body against them: first the {@code model_validator(mode="before")}
 * checks on the raw dict (the last defined runs first; the first that raises is the only error), then every field
 * in definition order, all errors together. Unknown keys are accepted ({@code extra="allow"}).
 */
final class RequestModel {

    /** One field: its name and type; {@code required} fields have no default. */
    record Field(String name, LaxType type, boolean required) {}

    private static final LaxType OPT_INT = optional(INT);
    private static final LaxType OPT_FLOAT = optional(FLOAT);
    private static final LaxType OPT_BOOL = optional(BOOL);
    private static final LaxType OPT_STR = optional(STR);
    private static final LaxType INT_LIST = new LaxType.ListOf(INT);
    private static final LaxType STR_LIST = new LaxType.ListOf(STR);
    private static final LaxType ANY_DICT = optional(new LaxType.DictOf(ANY));
    // seed: Field(None, ge=torch.iinfo(torch.long).min, le=torch.iinfo(torch.long).max)
    private static final LaxType SEED = optional(new LaxType.Int(BigInteger.valueOf(Long.MIN_VALUE),
            BigInteger.valueOf(Long.MAX_VALUE)));
    private static final LaxType TRUNCATE = optional(new LaxType.Int(BigInteger.ONE, null));
    private static final LaxType STOP = optional(new LaxType.Union(List.of("str", "list[str]"), List.of(STR, STR_LIST)));
    private static final LaxType STREAM_OPTIONS = optional(new LaxType.Model("StreamOptions",
            orderedMap("include_usage", OPT_BOOL, "continuous_usage_stats", OPT_BOOL)));
    private static final LaxType PROMPT = optional(new LaxType.Union(
            List.of("list[int]", "list[list[int]]", "str", "list[str]"),
            List.of(INT_LIST, new LaxType.ListOf(INT_LIST), STR, STR_LIST)));

    static final RequestModel CHAT = new RequestModel(chatFields(), List.of(
            RequestModel::cacheSalt, RequestModel::generationPrompt, RequestModel::chatLogprobs,
            RequestModel::streamOptions));
    static final RequestModel COMPLETION = new RequestModel(completionFields(), List.of(
            RequestModel::cacheSalt, RequestModel::promptOrEmbeds, RequestModel::streamOptions,
            RequestModel::completionLogprobs));

    private final List<Field> fields;
    /** The before-validators in the order they run; each returns its ValueError's text, or null. */
    private final List<Function<JsonNode, String>> before;

    private RequestModel(List<Field> fields, List<Function<JsonNode, String>> before) {
        this.fields = fields;
        this.before = before;
    }

    /** The body's fields, coerced as pydantic would (absent fields absent); throws a 400 listing pydantic's errors. */
    Map<String, Object> validate(JsonNode body) {
        for (Function<JsonNode, String> check : before) {
            String valueError = check.apply(body);
            if (valueError != null) {
                throw ApiError.validation(PydanticError.message(List.of(new PydanticError("value_error", List.of(),
                        "Value error, " + valueError, body, "{'error': ValueError(" + PyRepr.str(valueError) + ")}"))));
            }
        }
        List<PydanticError> errors = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : fields) {
            JsonNode value = body.get(field.name());
            if (value == null) {
                if (field.required()) {
                    errors.add(new PydanticError("missing", List.of(field.name()), "Field required", body, null));
                }
                continue;
            }
            values.put(field.name(), field.type().validate(value, List.of(field.name()), errors, false));
        }
        if (!errors.isEmpty()) throw ApiError.validation(PydanticError.message(errors));
        return values;
    }

    // --- before-validators (protocol.py), each on the raw body as Python sees the dict ---

    private static String cacheSalt(JsonNode body) {
        JsonNode salt = body.get("cache_salt");
        if (salt == null || salt.isNull()) return null;
        return salt.isTextual() && !salt.textValue().isEmpty() ? null
                : "Parameter 'cache_salt' must be a non-empty string if provided.";
    }

    private static String generationPrompt(JsonNode body) {
        return truthy(body.get("continue_final_message")) && truthy(body.get("add_generation_prompt"))
                ? "Cannot set both `continue_final_message` and `add_generation_prompt` to True." : null;
    }

    private static String streamOptions(JsonNode body) {
        return truthy(body.get("stream_options")) && !truthy(body.get("stream"))
                ? "Stream options can only be defined when `stream=True`." : null;
    }

    private static String promptOrEmbeds(JsonNode body) {
        return isNone(body.get("prompt")) && isNone(body.get("prompt_embeds"))
                ? "At least one of `prompt` or `prompt_embeds` must be set." : null;
    }

    private static String promptLogprobs(JsonNode body) {
        JsonNode p = body.get("prompt_logprobs");
        if (!comparable(p)) return null;
        if (truthy(body.get("stream")) && p.asDouble() > 0) return "`prompt_logprobs` are not available when `stream=True`.";
        return p.asDouble() < 0 ? "`prompt_logprobs` must be a positive value." : null;
    }

    private static String chatLogprobs(JsonNode body) {
        String prompt = promptLogprobs(body);
        if (prompt != null) return prompt;
        JsonNode top = body.get("top_logprobs");
        if (!comparable(top)) return null;
        if (top.asDouble() < 0) return "`top_logprobs` must be a positive value.";
        return top.asDouble() > 0 && !truthy(body.get("logprobs"))
                ? "when using `top_logprobs`, `logprobs` must be set to true." : null;
    }

    private static String completionLogprobs(JsonNode body) {
        String prompt = promptLogprobs(body);
        if (prompt != null) return prompt;
        JsonNode logprobs = body.get("logprobs");
        return comparable(logprobs) && logprobs.asDouble() < 0 ? "`logprobs` must be a positive value." : null;
    }

    /**
     * A value Python compares with a number; a string there raises TypeError in vLLM (a 500), which the
     * simulator leaves to the field's own validation error instead.
     */
    private static boolean comparable(JsonNode v) {
        return v != null && (v.isNumber() || v.isBoolean());
    }

    private static boolean isNone(JsonNode v) {
        return v == null || v.isNull();
    }

    /** Python's truth value of the decoded JSON value. */
    static boolean truthy(JsonNode v) {
        if (v == null || v.isNull()) return false;
        if (v.isBoolean()) return v.booleanValue();
        if (v.isNumber()) return v.doubleValue() != 0;
        if (v.isTextual()) return !v.textValue().isEmpty();
        return v.size() > 0;
    }

    private static Map<String, LaxType> orderedMap(Object... pairs) {
        Map<String, LaxType> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], (LaxType) pairs[i + 1]);
        return m;
    }

    private static List<Field> fields(Object... pairs) {
        List<Field> out = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            String name = (String) pairs[i];
            boolean required = name.endsWith("!");
            out.add(new Field(required ? name.substring(0, name.length() - 1) : name, (LaxType) pairs[i + 1], required));
        }
        return List.copyOf(out);
    }

    /** ChatCompletionRequest's fields in definition order ({@code !} marks the required one). */
    private static List<Field> chatFields() {
        return fields("messages!", new LaxType.ListOf(new LaxType.ChatMessageParam()), "model", OPT_STR,
                "frequency_penalty", OPT_FLOAT, "logit_bias", optional(new LaxType.DictOf(FLOAT)),
                "logprobs", OPT_BOOL, "top_logprobs", OPT_INT, "max_tokens", OPT_INT,
                "max_completion_tokens", OPT_INT, "n", OPT_INT, "presence_penalty", OPT_FLOAT,
                "response_format", ANY, "seed", SEED, "stop", STOP, "stream", OPT_BOOL,
                "stream_options", STREAM_OPTIONS, "temperature", OPT_FLOAT, "top_p", OPT_FLOAT, "tools", ANY,
                "tool_choice", ANY, "reasoning_effort", ANY, "include_reasoning", BOOL,
                "parallel_tool_calls", OPT_BOOL, "user", OPT_STR, "best_of", OPT_INT, "use_beam_search", BOOL,
                "top_k", OPT_INT, "min_p", OPT_FLOAT, "repetition_penalty", OPT_FLOAT, "length_penalty", FLOAT,
                "stop_token_ids", optional(INT_LIST), "include_stop_str_in_output", BOOL, "ignore_eos", BOOL,
                "min_tokens", INT, "skip_special_tokens", BOOL, "spaces_between_special_tokens", BOOL,
                "truncate_prompt_tokens", TRUNCATE, "prompt_logprobs", OPT_INT, "allowed_token_ids", optional(INT_LIST),
                "bad_words", STR_LIST, "echo", BOOL, "add_generation_prompt", BOOL, "continue_final_message", BOOL,
                "add_special_tokens", BOOL, "documents", optional(new LaxType.ListOf(new LaxType.DictOf(STR))),
                "chat_template", OPT_STR, "chat_template_kwargs", ANY_DICT, "mm_processor_kwargs", ANY_DICT,
                "guided_json", ANY, "guided_regex", OPT_STR, "guided_choice", optional(STR_LIST),
                "guided_grammar", OPT_STR, "structural_tag", OPT_STR, "guided_decoding_backend", OPT_STR,
                "guided_whitespace_pattern", OPT_STR, "priority", INT, "request_id", STR, "logits_processors", ANY,
                "return_tokens_as_token_ids", OPT_BOOL, "cache_salt", OPT_STR, "kv_transfer_params", ANY_DICT,
                "vllm_xargs", ANY);
    }

    /** CompletionRequest's fields in definition order; {@code prompt} is optional (a before-validator requires it). */
    private static List<Field> completionFields() {
        return fields("model", OPT_STR, "prompt", PROMPT, "prompt_embeds", ANY, "best_of", OPT_INT,
                "echo", OPT_BOOL, "frequency_penalty", OPT_FLOAT, "logit_bias", optional(new LaxType.DictOf(FLOAT)),
                "logprobs", OPT_INT, "max_tokens", OPT_INT, "n", INT, "presence_penalty", OPT_FLOAT, "seed", SEED,
                "stop", STOP, "stream", OPT_BOOL, "stream_options", STREAM_OPTIONS, "suffix", OPT_STR,
                "temperature", OPT_FLOAT, "top_p", OPT_FLOAT, "user", OPT_STR, "use_beam_search", BOOL,
                "top_k", OPT_INT, "min_p", OPT_FLOAT, "repetition_penalty", OPT_FLOAT, "length_penalty", FLOAT,
                "stop_token_ids", optional(INT_LIST), "include_stop_str_in_output", BOOL, "ignore_eos", BOOL,
                "min_tokens", INT, "skip_special_tokens", BOOL, "spaces_between_special_tokens", BOOL,
                "truncate_prompt_tokens", TRUNCATE, "allowed_token_ids", optional(INT_LIST), "prompt_logprobs", OPT_INT,
                "add_special_tokens", BOOL, "response_format", ANY, "guided_json", ANY, "guided_regex", OPT_STR,
                "guided_choice", optional(STR_LIST), "guided_grammar", OPT_STR, "guided_decoding_backend", OPT_STR,
                "guided_whitespace_pattern", OPT_STR, "priority", INT, "request_id", STR, "logits_processors", ANY,
                "return_tokens_as_token_ids", OPT_BOOL, "cache_salt", OPT_STR, "kv_transfer_params", ANY_DICT,
                "vllm_xargs", ANY);
    }
}
