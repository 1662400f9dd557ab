package dev.headroom.server;

import dev.headroom.engine.FinishedRequest;
import dev.headroom.metrics.EngineTiming;

/**
 * The JSON bodies of one request's responses, in vLLM's shapes (serving_chat.py / serving_completion.py,
 * v0.10; streaming chunks are dumped with {@code exclude_unset}, so unset fields are absent).
 */
final class Chunks {

    private final Api api;
    private final String head;
    private final String wholeHead;
    private final int promptTokens;
    private final boolean continuousUsage;

    Chunks(Api api, String id, long createdSeconds, String model, int promptTokens, boolean continuousUsage) {
        this.api = api;
        String fields = ",\"created\":" + createdSeconds + ",\"model\":" + Json.quote(model) + ",\"choices\":[";
        this.head = "{\"id\":" + Json.quote(id) + ",\"object\":\"" + api.chunkObject + "\"" + fields;
        this.wholeHead = "{\"id\":" + Json.quote(id) + ",\"object\":\"" + api.object + "\"" + fields;
        this.promptTokens = promptTokens;
        this.continuousUsage = continuousUsage;
    }

    /** The chat stream's first chunk: the role with empty content. */
    String role() {
        StringBuilder json = new StringBuilder(head)
                .append("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
                        + "\"finish_reason\":null}]");
        return close(json, 0);
    }

    /** A content chunk; {@code finishReason} non-null makes it the choice's last chunk (with stop_reason). */
    String delta(String text, String finishReason, int completionTokens) {
        StringBuilder json = new StringBuilder(head.length() + text.length() + 128).append(head).append("{\"index\":0,");
        if (api == Api.CHAT) {
            Json.quote(json.append("\"delta\":{\"content\":"), text).append("},\"logprobs\":null,\"finish_reason\":");
        } else {
            Json.quote(json.append("\"text\":"), text).append(",\"logprobs\":null,\"finish_reason\":");
        }
        if (finishReason == null) {
            json.append("null");
            if (api == Api.COMPLETIONS) json.append(",\"stop_reason\":null");
        } else {
            json.append('"').append(finishReason).append("\",\"stop_reason\":null");
        }
        return close(json.append("}]"), completionTokens);
    }

    /**
     * The {@code include_usage} chunk: no choices, the final usage; with {@code cachedTokens > 0} its
     * {@code prompt_tokens_details}, as vLLM started with {@code --enable-prompt-tokens-details} sends it
     * (serving_chat.py / serving_completion.py: set only when there are cached tokens, dumped with exclude_none).
     */
    String usage(int completionTokens, FinishedRequest finished) {
        String usage = usageJson(completionTokens);
        StringBuilder json = new StringBuilder(head).append("],\"usage\":");
        if (finished.cachedTokens() <= 0) {
            json.append(usage);
        } else {
            json.append(usage, 0, usage.length() - 1).append(",\"prompt_tokens_details\":{\"cached_tokens\":")
                    .append(finished.cachedTokens()).append("}}");
        }
        return metrics(json, finished).append('}').toString();
    }

    /**
     * vLLM's per-request {@code metrics} (PR #46768, docs/features/per_request_metrics.md), which the simulator
     * always sends, as vLLM started with {@code --enable-per-request-metrics} does: queue time (the engine core's queueing
     * to first scheduled), TTFT from first scheduled, generation time (first to last token), mean ITL over the decode phase
     * (null for one token) and output tokens per second from first scheduled to the last token.
     */
    static StringBuilder metrics(StringBuilder json, FinishedRequest f) {
        EngineTiming t = EngineTiming.of(f.queuedNanos(), f.scheduledNanos(), f.firstTokenNanos(), f.finishedNanos(), f.outputTokens());
        if (t == null) return json.append(",\"metrics\":null");
        double inferenceSeconds = (f.finishedNanos() - f.scheduledNanos()) / 1e9;
        json.append(",\"metrics\":{\"time_to_first_token_ms\":").append(t.ttftMs())
                .append(",\"generation_time_ms\":").append(t.generationMs())
                .append(",\"queue_time_ms\":").append(t.queueMs())
                .append(",\"mean_itl_ms\":").append(Double.isNaN(t.meanItlMs()) ? "null" : String.valueOf(t.meanItlMs()))
                .append(",\"tokens_per_second\":");
        if (inferenceSeconds > 0) json.append(f.outputTokens() / inferenceSeconds);
        else json.append("null");
        return json.append('}');
    }

    /** The non-streaming response, its {@link #metrics} last. */
    String complete(String text, FinishedRequest finished, int completionTokens) {
        String finishReason = finished.reason().name().toLowerCase(java.util.Locale.ROOT);
        StringBuilder json = new StringBuilder(wholeHead).append("{\"index\":0,");
        if (api == Api.CHAT) {
            Json.quote(json.append("\"message\":{\"role\":\"assistant\",\"content\":"), text)
                    .append(",\"refusal\":null,\"annotations\":null,\"audio\":null,\"function_call\":null,"
                            + "\"tool_calls\":[],\"reasoning_content\":null},\"logprobs\":null,\"finish_reason\":");
        } else {
            Json.quote(json.append("\"text\":"), text).append(",\"logprobs\":null,\"finish_reason\":");
        }
        json.append(finishReason == null ? "null" : '"' + finishReason + '"').append(",\"stop_reason\":null");
        if (api == Api.COMPLETIONS) json.append(",\"prompt_logprobs\":null");
        String usage = usageJson(completionTokens);
        json.append("}],\"usage\":").append(usage, 0, usage.length() - 1).append(",\"prompt_tokens_details\":null}");
        if (api == Api.CHAT) json.append(",\"prompt_logprobs\":null");
        return metrics(json.append(",\"kv_transfer_params\":null"), finished).append('}').toString();
    }

    private String close(StringBuilder json, int completionTokens) {
        if (continuousUsage) json.append(",\"usage\":").append(usageJson(completionTokens));
        return json.append('}').toString();
    }

    private String usageJson(int completionTokens) {
        return "{\"prompt_tokens\":" + promptTokens + ",\"total_tokens\":" + (promptTokens + completionTokens)
                + ",\"completion_tokens\":" + completionTokens + "}";
    }
}
