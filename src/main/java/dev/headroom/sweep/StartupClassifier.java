package dev.headroom.sweep;

import dev.headroom.sweep.Launch.StartFailure;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Why a server failed, read from its log: the first line that matches a known failure, quoted without vLLM's log
 * prefix. Messages are vLLM's (vllm-internals.md §1.2–1.3; plan/VllmMessages cites their source files), PyTorch's,
 * argparse's and pydantic's, plus llama.cpp's allocation failures.
 */
public final class StartupClassifier {

    /** A failure kind and the line that shows it. */
    public record Finding(StartFailure cause, String message) {}

    /** vllm/v1/core/kv_cache_utils.py (V1) and vllm/worker/worker.py (V0): the cache cannot hold one max_model_len request. */
    private static final Pattern KV_TOO_SMALL = Pattern.compile(
            "To serve at least one request with the models's max seq len"
                    + "|The model's max seq len \\(\\d+\\) is larger than the maximum number of tokens that can be stored in KV cache");
    /** PyTorch's CUDA OOM, vLLM's allocator OOM, "No available memory for the cache blocks", the free-memory check, llama.cpp. */
    private static final Pattern OUT_OF_MEMORY = Pattern.compile(
            "CUDA out of memory|OutOfMemoryError|No available memory for the cache blocks"
                    + "|memory allocation failed with OOM|on startup is less than desired GPU memory utilization"
                    + "|cudaMalloc failed: out of memory|failed to allocate .* buffer");
    /** argparse (vLLM, SGLang), pydantic's ValidationError from vLLM's config classes, ValueError, llama.cpp's arguments. */
    private static final Pattern BAD_CONFIG = Pattern.compile(
            "error: unrecognized arguments|error: argument |error: the following arguments are required"
                    + "|ValidationError|Value error, |ValueError: |error: invalid argument|--config: ");
    /** vLLM's log prefix: {@code (EngineCore_DP0 pid=9) ERROR 07-30 11:56:04 [core.py:708] }; V0 had no {@code [}. */
    private static final Pattern VLLM_PREFIX = Pattern.compile(
            "^(\\(\\w+ pid=\\d+\\) )?((DEBUG|INFO|WARNING|ERROR|CRITICAL) \\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d+)? \\[?[^]\\s]+] )?");

    private StartupClassifier() {}

    /** The failure the log shows, most specific first: KV cache too small, out of memory, bad config. */
    public static Optional<Finding> classify(List<String> lines) {
        Optional<Finding> kv = first(lines, KV_TOO_SMALL, StartFailure.KV_CACHE_TOO_SMALL);
        if (kv.isPresent()) return kv;
        Optional<Finding> oom = first(lines, OUT_OF_MEMORY, StartFailure.OUT_OF_MEMORY);
        if (oom.isPresent()) return oom;
        return badConfig(lines);
    }

    /** The failure kind one message names (a planner's predicted error), or empty when it names none. */
    public static Optional<StartFailure> kindOf(String message) {
        return message == null ? Optional.empty() : classify(List.of(message)).map(Finding::cause);
    }

    /** A line without vLLM's process and level prefix, trimmed. */
    static String unprefixed(String line) {
        return VLLM_PREFIX.matcher(line).replaceFirst("").trim();
    }

    /** The last line that says something (for a server that exited without a known failure). */
    public static Optional<String> lastWords(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String s = unprefixed(lines.get(i));
            if (!s.isEmpty()) return Optional.of(s);
        }
        return Optional.empty();
    }

    private static Optional<Finding> first(List<String> lines, Pattern pattern, StartFailure cause) {
        for (String line : lines) {
            if (pattern.matcher(line).find()) return Optional.of(new Finding(cause, unprefixed(line)));
        }
        return Optional.empty();
    }

    /** pydantic puts the reason on a later {@code Value error, ...} line; quote that one when present. */
    private static Optional<Finding> badConfig(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (!BAD_CONFIG.matcher(lines.get(i)).find()) continue;
            if (lines.get(i).contains("ValidationError")) {
                for (int j = i + 1; j < Math.min(lines.size(), i + 6); j++) {
                    if (lines.get(j).contains("Value error, ")) {
                        return Optional.of(new Finding(StartFailure.BAD_CONFIG, unprefixed(lines.get(j))));
                    }
                }
            }
            return Optional.of(new Finding(StartFailure.BAD_CONFIG, unprefixed(lines.get(i))));
        }
        return Optional.empty();
    }
}
