package dev.headroom.analysis;

import java.util.Locale;

/** What limits a group's capacity, in the order a tie of onsets is broken (the client first: it skews the rest). */
public enum Factor {
    CLIENT,
    ERRORS,
    KV_CAPACITY,
    /** Requests wait for a free slot: the running batch is at its cap (llama.cpp's slots, vLLM's max_num_seqs). */
    QUEUEING,
    PREFILL_COMPUTE,
    /**
     * Decode steps grow with the load, but most of the tokens they process are new prompts' prefill chunks run
     * beside the decodes (vLLM's chunked prefill): prompt processing, not decoding, sets the pace of each step.
     */
    PREFILL_INTERFERENCE,
    /** Decode steps grow with the batch: the hardware's compute sets the pace (CPU servers, large batches). */
    DECODE_COMPUTE,
    /** Decode steps stay nearly flat as the batch grows, yet decoding takes most of the time: memory bandwidth. */
    DECODE_BANDWIDTH,
    NONE_OBSERVED;

    /** The name in analysis.json: {@code kv_capacity}, {@code client}, ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
