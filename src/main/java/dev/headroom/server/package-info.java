/**
 * The simulated vLLM as an OpenAI-compatible HTTP server ({@code headroom sim}, and the embedded default target
 * of {@code headroom run} without {@code --url}).
 *
 * <h2>Routes (shapes of vLLM 0.10, {@code vllm/entrypoints/openai/})</h2>
 * <ul>
 *   <li>{@code POST /v1/chat/completions}, {@code POST /v1/completions}: streaming ({@code data: {json}\n\n} per
 *       engine step, {@code data: [DONE]\n\n} last) and not; {@code stream_options.include_usage} (a final chunk
 *       with {@code "choices":[]} and usage, whose {@code prompt_tokens_details.cached_tokens} gives the prefix-cache
 *       hits when there are any, as vLLM with {@code --enable-prompt-tokens-details}) and
 *       {@code continuous_usage_stats} (usage on every chunk);
 *       {@code max_tokens} / {@code max_completion_tokens} (omitted: {@code max_model_len - prompt}),
 *       {@code min_tokens}, {@code ignore_eos}. Ids are {@code chatcmpl-}/{@code cmpl-} plus the
 *       {@code X-Request-Id} header when given and not already live, else 32 random hex digits; the header is
 *       echoed. One prompt and {@code n = 1} per request; other sampling parameters are accepted and ignored.</li>
 *   <li>{@code GET /v1/models}, {@code GET /health} (200, empty), {@code GET /version}:
 *       {@code {"version": "<imitated vLLM version>", "simulator": "headroom <version>"}} &mdash; the extra key
 *       tells clients the server is simulated.</li>
 *   <li>{@code POST /tokenize} ({@code prompt} or {@code messages}) and {@code POST /detokenize}.</li>
 *   <li>{@code GET /metrics}: Prometheus text 0.0.4 with vLLM V1's names, HELP texts, types, labels
 *       ({@code engine="0"}, {@code model_name}) and buckets ({@code vllm/v1/metrics/loggers.py}); labels sorted
 *       as vLLM's multiprocess collector prints them; no {@code _created} samples.</li>
 * </ul>
 *
 * <h2>Tokens</h2>
 * Prompts are counted with the engine's deterministic {@code SimTokenizer} (letters in pieces of at most six
 * with their leading space, digits in threes, other characters alone). Chat requests are first put into the
 * ChatML template of the Qwen2.5 models ({@code <|im_start|>role\ncontent<|im_end|>\n} per message, then
 * {@code <|im_start|>assistant\n}), whose markers are single tokens, so {@code prompt_tokens} includes the
 * template as in vLLM and equals what the offline runner counts for the same prompt.
 *
 * <h2>Errors</h2>
 * vLLM's {@code {"error":{"message":...,"type":...,"param":null,"code":N}}} (v0.10.1 onwards): 400
 * {@code "Bad Request"} when a body fails the request model's validation ({@link RequestModel}: pydantic v2's lax
 * coercions, e.g. {@code "10"} for an int and {@code "yes"} for a bool; the message is FastAPI's error list as
 * Python prints it), 400 {@code BadRequestError} with vLLM's context-length and SamplingParams messages, 404
 * {@code The model `x` does not exist.}
 *
 * <h2>Logs</h2>
 * vLLM 0.10.2's format and source locations: start-up lines, the planner's memory lines, {@code Starting vLLM API
 * server 0 on http://HOST:PORT}, uvicorn's start-up lines and the periodic {@code Engine 000: Avg prompt
 * throughput ...} line (every 10 s, quiet while idle). No per-request access log.
 */
package dev.headroom.server;
