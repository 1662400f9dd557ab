package dev.headroom.engine;

import dev.headroom.plan.FrontEnd;

/**
 * The API server in front of the engine ({@link FrontEnd}) as a queue: vLLM's OpenAI server is one process, so a
 * request's tokenization and a step's outputs (detokenization, the SSE write) take its CPU in turn, first come first
 * served; the per-request hand-off is latency that overlaps the others. One implementation for both clocks: the
 * offline loop ({@link VirtualClockLoop}) and the live engine ({@link LiveEngine}). Times are the engine's clock in
 * nanoseconds; not thread-safe (the engine's loop owns it).
 *
 * <p>What vLLM's server does per request (v0.11; later releases move more of it off the event loop): on the event
 * loop, the handler validates the request and renders the chat template ({@code vllm/entrypoints/openai/
 * serving_engine.py _preprocess_chat}); tokenization is awaited, batched on a thread by
 * {@code AsyncMicrobatchTokenizer} (the same file); back on the loop, {@code vllm/v1/engine/async_llm.py add_request}
 * builds the {@code EngineCoreRequest} inline ({@code processor.process_inputs}, which stamps {@code arrival_time}),
 * registers it with the output processor and awaits the socket send to the engine core
 * ({@code _add_request}, {@code add_request_async}). Per step, on the loop: {@code async_llm.py output_handler}
 * awaits the engine core's outputs and runs {@code output_processor.process_outputs} over them in chunks (each
 * request's detokenization and {@code RequestOutput}), and each request's generator writes its SSE chunk
 * ({@code serving_chat.py chat_completion_stream_generator}). The per-request constant is a latency here, not CPU that
 * queues: queued, it broke the lockstep waves of fixed-length closed loops and made the held-out TTFT worse
 * (docs/fidelity.md, "A serial CPU cost per request").
 */
final class FrontEndQueue {

    /**
     * Where one request is once the API server took it.
     *
     * @param tokenizedNanos when its tokenization ended: vLLM's {@code arrival_time}, stamped by the API server's
     *                       processor after the prompt is tokenized ({@code vllm/v1/engine/processor.py
     *                       process_inputs}), from which {@code vllm:e2e_request_latency_seconds} and
     *                       {@code vllm:time_to_first_token_seconds} count
     * @param queuedNanos    when the engine core has it ({@code QUEUED}, from which vLLM's engine-core intervals
     *                       count): {@code tokenizedNanos} plus the hand-off; never before it
     */
    record Ingested(long tokenizedNanos, long queuedNanos) {}

    private final FrontEnd costs;
    /** When the API server is next free; it starts free (the live clock, {@code nanoTime}, may be negative). */
    private long freeAt = Long.MIN_VALUE;
    private long outputsFrom;
    private int outputs;

    FrontEndQueue(FrontEnd costs) {
        this.costs = costs;
    }

    /** True when there is no API server to wait for: the engine sees requests and clients see tokens at once. */
    boolean isNone() {
        return costs.equals(FrontEnd.NONE);
    }

    /** Takes a request received at {@code receivedNanos}: it is tokenized behind whatever the server is doing. */
    Ingested ingest(long receivedNanos, int promptTokens) {
        long tokenized = Math.max(receivedNanos, freeAt) + costs.tokenizeNanos(promptTokens);
        freeAt = tokenized;
        return new Ingested(tokenized, tokenized + costs.handOffNanos());
    }

    /** A step ended at {@code stepEndNanos}: its outputs queue behind what the server is doing (ingesting, earlier outputs). */
    void stepEnded(long stepEndNanos) {
        outputsFrom = Math.max(stepEndNanos, freeAt);
        outputs = 0;
    }

    /** When the client receives the ended step's next output token; the server is busy streaming until then. */
    long nextOutput() {
        long at = outputsFrom + ++outputs * costs.outputTokenNanos();
        freeAt = Math.max(freeAt, at);
        return at;
    }

    /** When the last token so far reaches its client: {@code nowNanos}, or later while the server streams. */
    long deliveredUntil(long nowNanos) {
        return Math.max(nowNanos, freeAt);
    }
}
