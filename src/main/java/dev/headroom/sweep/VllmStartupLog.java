package dev.headroom.sweep;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The KV cache figures vLLM logs at start-up, read back from a server's log (vllm-internals.md §1.2–1.3):
 * V1 {@code GPU KV cache size: 447,088 tokens} (vllm/v1/core/kv_cache_utils.py _report_kv_cache_config), early V1
 * and V0 {@code # GPU blocks: N} / {@code # cuda blocks: N, # CPU blocks: M} (vllm/executor/executor_base.py), and
 * {@code Maximum concurrency for 32,768 tokens per request: 13.64x} in both. The last value logged wins.
 *
 * @param kvCacheTokens  the KV cache size in tokens (V0: blocks × block size), if logged
 * @param maxConcurrency the maximum concurrency at max_model_len, if logged
 */
public record VllmStartupLog(OptionalLong kvCacheTokens, OptionalDouble maxConcurrency) {

    /** Nothing logged (a server headroom did not start, or one that logs no KV figures). */
    public static final VllmStartupLog NONE = new VllmStartupLog(OptionalLong.empty(), OptionalDouble.empty());

    private static final Pattern KV_TOKENS = Pattern.compile("GPU KV cache size: ([\\d,]+) tokens");
    private static final Pattern BLOCKS = Pattern.compile("# (?:GPU|cuda) blocks: (\\d+)");
    private static final Pattern CONCURRENCY =
            Pattern.compile("Maximum concurrency for [\\d,]+ tokens per request: ([\\d.]+)x");

    /**
     * Reads the figures from log lines.
     *
     * @param blockSizeTokens the server's {@code block_size}, to turn a V0 block count into tokens
     */
    public static VllmStartupLog parse(List<String> lines, int blockSizeTokens) {
        OptionalLong tokens = OptionalLong.empty();
        OptionalDouble concurrency = OptionalDouble.empty();
        for (String line : lines) {
            Matcher kv = KV_TOKENS.matcher(line);
            Matcher blocks = BLOCKS.matcher(line);
            Matcher c = CONCURRENCY.matcher(line);
            if (kv.find()) {
                tokens = OptionalLong.of(Long.parseLong(kv.group(1).replace(",", "")));
            } else if (blocks.find()) {
                tokens = OptionalLong.of(Long.parseLong(blocks.group(1)) * blockSizeTokens);
            }
            if (c.find()) concurrency = OptionalDouble.of(Double.parseDouble(c.group(1)));
        }
        return new VllmStartupLog(tokens, concurrency);
    }

    /** The KV cache tokens for a CSV cell or JSON value: null when not logged. */
    public Long kvCacheTokensOrNull() {
        return kvCacheTokens.isPresent() ? kvCacheTokens.getAsLong() : null;
    }

    /** The maximum concurrency for a CSV cell or JSON value: null when not logged. */
    public Double maxConcurrencyOrNull() {
        return maxConcurrency.isPresent() ? maxConcurrency.getAsDouble() : null;
    }
}
