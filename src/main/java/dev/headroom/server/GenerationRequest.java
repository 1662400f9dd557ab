package dev.headroom.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * A validated generation request: what the engine needs plus how to answer.
 *
 * @param api             chat or completions
 * @param model           the model named in the body, or null when omitted (vLLM accepts that)
 * @param promptTokenIds  the prompt after the chat template, tokenized
 * @param maxTokens       output cap; when the body omits it, {@code max_model_len - prompt} as vLLM does
 * @param minTokens       vLLM's {@code min_tokens}
 * @param ignoreEos       vLLM's {@code ignore_eos}
 * @param stream          SSE or one JSON body
 * @param includeUsage    {@code stream_options.include_usage}: a final usage chunk
 * @param continuousUsage {@code stream_options.continuous_usage_stats} (only with includeUsage): usage on every chunk
 */
record GenerationRequest(
        Api api,
        String model,
        int[] promptTokenIds,
        int maxTokens,
        int minTokens,
        boolean ignoreEos,
        boolean stream,
        boolean includeUsage,
        boolean continuousUsage) {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /**
     * Parses and validates a request body as vLLM 0.10.2 does: pydantic's validation of the request model
     * ({@link RequestModel}), the context-length check ({@code serving_engine._validate_input}), then
     * {@code SamplingParams._verify_args}; throws {@link ApiError} with vLLM's status and message.
     */
    static GenerationRequest parse(Api api, byte[] body, Tokenizer tokenizer, int maxModelLen) {
        JsonNode root = readObject(body);
        Map<String, Object> fields = (api == Api.CHAT ? RequestModel.CHAT : RequestModel.COMPLETION).validate(root);
        int[] prompt = api == Api.CHAT
                ? tokenizer.encodeChat(ChatTemplate.messages(root.get("messages")),
                        (Boolean) fields.getOrDefault("add_generation_prompt", true))
                : promptTokens(fields.get("prompt"), tokenizer);
        if (prompt.length == 0) throw ApiError.badRequest("The prompt cannot be empty.");
        BigInteger requested = requestedMaxTokens(api, fields);
        int maxTokens = checkContextLength(prompt.length, requested == null ? null : requested.max(LONG_MIN).min(LONG_MAX).longValue(), maxModelLen);
        int minTokens = saturated((BigInteger) fields.getOrDefault("min_tokens", BigInteger.ZERO));
        verifySampling(fields, maxTokens, minTokens);
        boolean stream = Boolean.TRUE.equals(fields.get("stream"));
        // serving_chat.py / serving_completion.py: usage only on streams; StreamOptions.include_usage defaults to True
        Map<?, ?> options = stream && fields.get("stream_options") instanceof Map<?, ?> m ? m : null;
        boolean includeUsage = options != null
                && (!options.containsKey("include_usage") || Boolean.TRUE.equals(options.get("include_usage")));
        boolean continuous = includeUsage && Boolean.TRUE.equals(options.get("continuous_usage_stats"));
        return new GenerationRequest(api, (String) fields.get("model"), prompt, maxTokens, minTokens,
                Boolean.TRUE.equals(fields.get("ignore_eos")), stream, includeUsage, continuous);
    }

    private static JsonNode readObject(byte[] body) {
        if (body.length == 0) {
            // FastAPI: no body for a required body parameter
            throw ApiError.validation(PydanticError.message(List.of(new PydanticError("missing", List.of(),
                    "Field required", NullNode.getInstance(), null))));
        }
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            if (root == null || !root.isObject()) {
                throw ApiError.validation("[{'type': 'model_attributes_type', 'loc': ('body',), "
                        + "'msg': 'Input should be a valid dictionary or object to extract fields from'}]");
            }
            return root;
        } catch (JsonProcessingException e) {
            // FastAPI answers undecodable bodies with a RequestValidationError of type json_invalid
            throw ApiError.validation("[{'type': 'json_invalid', 'loc': ('body', " + e.getLocation().getCharOffset()
                    + "), 'msg': 'JSON decode error', 'input': {}, 'ctx': {'error': '"
                    + e.getOriginalMessage().replace('\'', '"') + "'}}]");
        } catch (java.io.IOException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    /** The completion prompt: one text, one text in a list, or token ids (one list of them). */
    private static int[] promptTokens(Object prompt, Tokenizer tokenizer) {
        if (prompt instanceof String text) return tokenizer.encode(text);
        List<?> list = (List<?>) prompt;
        if (list.isEmpty() || list.get(0) instanceof BigInteger) return tokenIds(list);
        if (list.size() == 1) {
            return list.get(0) instanceof String text ? tokenizer.encode(text) : tokenIds((List<?>) list.get(0));
        }
        throw ApiError.badRequest("headroom sim accepts one prompt per request (a string, a one-element list or one "
                + "list of token ids).");
    }

    private static int[] tokenIds(List<?> ids) {
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) {
            BigInteger id = (BigInteger) ids.get(i);
            // vllm/v1/engine/processor.py _validate_model_input
            if (id.signum() < 0 || id.bitLength() > 31) throw ApiError.badRequest("Token id " + id + " is out of vocabulary");
            out[i] = id.intValue();
        }
        return out;
    }

    /** serving_engine._validate_input: chat takes {@code max_completion_tokens or max_tokens} (Python's or). */
    private static BigInteger requestedMaxTokens(Api api, Map<String, Object> fields) {
        BigInteger completion = (BigInteger) fields.get("max_completion_tokens");
        if (api == Api.CHAT && completion != null && completion.signum() != 0) return completion;
        return (BigInteger) fields.get("max_tokens");
    }

    /** vllm/sampling_params.py SamplingParams._verify_args, in its order, for the parameters the simulator uses. */
    private static void verifySampling(Map<String, Object> fields, int maxTokens, int minTokens) {
        Object nField = fields.get("n");
        BigInteger n = nField == null ? BigInteger.ONE : (BigInteger) nField;
        if (n.signum() < 1) throw ApiError.badRequest("n must be at least 1, got " + n + ".");
        if (!n.equals(BigInteger.ONE)) throw ApiError.badRequest("headroom sim serves n=1 only.");
        if (fields.get("temperature") instanceof Double t && t < 0) {
            throw ApiError.badRequest("temperature must be non-negative, got " + PyRepr.number(t) + ".");
        }
        if (fields.get("top_p") instanceof Double p && !(0 < p && p <= 1)) {
            throw ApiError.badRequest("top_p must be in (0, 1], got " + PyRepr.number(p) + ".");
        }
        if (maxTokens < 1) throw ApiError.badRequest("max_tokens must be at least 1, got " + maxTokens + ".");
        if (minTokens < 0) {
            throw ApiError.badRequest("min_tokens must be greater than or equal to 0, got " + minTokens + ".");
        }
        if (minTokens > maxTokens) {
            throw ApiError.badRequest("min_tokens must be less than or equal to max_tokens=" + maxTokens + ", got "
                    + minTokens + ".");
        }
    }

    /** An int as the simulator carries it; values beyond int range are clamped (vLLM rejects those anyway). */
    private static int saturated(BigInteger value) {
        return value.max(BigInteger.valueOf(Integer.MIN_VALUE)).min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
    }

    /**
     * vLLM's context check and default ({@code vllm/entrypoints/openai/serving_engine.py _validate_input},
     * v0.10): the output cap a request may use, or a 400 with vLLM's message.
     */
    static int checkContextLength(int promptTokens, Long maxTokens, int maxModelLen) {
        if (maxTokens == null) {
            if (promptTokens >= maxModelLen) {
                throw ApiError.badRequest("This model's maximum context length is " + maxModelLen
                        + " tokens. However, you requested " + promptTokens + " tokens in the messages, "
                        + "Please reduce the length of the messages.");
            }
            return maxModelLen - promptTokens;
        }
        if (promptTokens + maxTokens > maxModelLen) {
            throw ApiError.badRequest("This model's maximum context length is " + maxModelLen
                    + " tokens. However, you requested " + (maxTokens + promptTokens) + " tokens (" + promptTokens
                    + " in the messages, " + maxTokens + " in the completion). "
                    + "Please reduce the length of the messages or completion.");
        }
        return (int) Math.max(maxTokens, Integer.MIN_VALUE);
    }
}
