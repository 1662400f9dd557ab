package dev.headroom.plan;

import dev.headroom.spec.VllmVersion;
import java.util.Locale;

/** vLLM's startup log lines and error messages, verbatim per version, with the source each comes from. */
final class VllmMessages {

    private static final String CONSERVING_MEMORY =
            " See https://docs.vllm.ai/en/latest/configuration/conserving_memory/ for more details.";

    private VllmMessages() {}

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** Python's {@code f"{n:,}"}. */
    static String thousands(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    /**
     * vllm/v1/worker/gpu_model_runner.py load_model (V1) and vllm/worker/model_runner.py (V0, "GB" meaning GiB);
     * the seconds that follow in vLLM's line are not modelled.
     */
    static String modelLoading(VllmVersion v, double gib) {
        return String.format(Locale.ROOT, v.isV1() ? "Model loading took %.4f GiB" : "Loading model weights took %.4f GB", gib);
    }

    /** vllm/v1/worker/gpu_worker.py determine_available_memory. */
    static String availableKvCache(double gib) {
        return "Available KV cache memory: " + f2(gib) + " GiB";
    }

    /** vllm/v1/core/kv_cache_utils.py _report_kv_cache_config; v0.8.0 still logged the block count. */
    static String kvCacheSize(VllmVersion v, long numBlocks, long tokens) {
        return v.atLeast(0, 8, 1) ? "GPU KV cache size: " + thousands(tokens) + " tokens" : "# GPU blocks: " + numBlocks;
    }

    /** kv_cache_utils.py (V1, thousands separators from 0.8.1) and executor_base.py (V0): "%.2fx". */
    static String maxConcurrency(VllmVersion v, int maxModelLen, double concurrency) {
        String len = v.atLeast(0, 8, 1) ? thousands(maxModelLen) : Integer.toString(maxModelLen);
        return "Maximum concurrency for " + len + " tokens per request: " + f2(concurrency) + "x";
    }

    /** vllm/executor/executor_base.py (V0) initialize_cache; "# GPU blocks" before 0.6.4. */
    static String v0Blocks(VllmVersion v, long gpuBlocks, long cpuBlocks) {
        String device = v.atLeast(0, 6, 4) ? "cuda" : "GPU";
        return "# " + device + " blocks: " + gpuBlocks + ", # CPU blocks: " + cpuBlocks;
    }

    /** vllm/worker/worker.py determine_num_available_blocks (V0): the memory profile, first line. */
    static String v0Budget(double totalGib, double util, double requestedGib) {
        return "the current vLLM instance can use total_gpu_memory (" + f2(totalGib) + "GiB) x gpu_memory_utilization ("
                + f2(util) + ") = " + f2(requestedGib) + "GiB";
    }

    /** vllm/worker/worker.py (V0): the memory profile, second line. */
    static String v0Breakdown(double weightsGib, double nonTorchGib, double activationGib, double kvGib) {
        return "model weights take " + f2(weightsGib) + "GiB; non_torch_memory takes " + f2(nonTorchGib)
                + "GiB; PyTorch activation peak memory takes " + f2(activationGib)
                + "GiB; the rest of the memory reserved for KV Cache is " + f2(kvGib) + "GiB.";
    }

    /** V1 scheduler log (vllm/config/scheduler.py). */
    static String chunkedPrefill(int maxNumBatchedTokens) {
        return "Chunked prefill is enabled with max_num_batched_tokens=" + maxNumBatchedTokens + ".";
    }

    /** vllm/v1/core/kv_cache_utils.py check_enough_kv_cache_memory (V1) and raise_if_cache_size_invalid (V0). */
    static String noAvailableMemory(VllmVersion v) {
        String base = "No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.";
        return v.atLeast(0, 10, 0) ? base + CONSERVING_MEMORY : base;
    }

    /** kv_cache_utils.py check_enough_kv_cache_memory (V1); "models's" and the parenthesis are vLLM's. */
    static String v1MaxSeqLenTooLarge(VllmVersion v, int maxModelLen, double neededGib, double availableGib, int estimated) {
        String estimate = estimated > 0
                ? "Based on the available memory, the estimated maximum model length is " + estimated + "." : "";
        String msg = "To serve at least one request with the models's max seq len (" + maxModelLen + "), ("
                + f2(neededGib) + " GiB KV cache is needed, which is larger than the available KV cache memory ("
                + f2(availableGib) + " GiB). " + estimate + " Try increasing `gpu_memory_utilization` or decreasing "
                + "`max_model_len` when initializing the engine.";
        return v.atLeast(0, 10, 0) ? msg + CONSERVING_MEMORY : msg;
    }

    /** vllm/worker/worker.py raise_if_cache_size_invalid (V0). */
    static String v0MaxSeqLenTooLarge(int maxModelLen, long maxSeqLen) {
        return "The model's max seq len (" + maxModelLen + ") is larger than the maximum number of tokens that can be "
                + "stored in KV cache (" + maxSeqLen + "). Try increasing `gpu_memory_utilization` or decreasing "
                + "`max_model_len` when initializing the engine.";
    }

    /** vllm/v1/worker/gpu_worker.py init_device; from 0.11 the device is named. */
    static String freeMemoryTooLow(VllmVersion v, double freeGib, double totalGib, double util, double requestedGib) {
        String device = v.atLeast(0, 11, 0) ? "Free memory on device cuda:0 (" : "Free memory on device (";
        return device + f2(freeGib) + "/" + f2(totalGib) + " GiB) on startup is less than desired GPU memory utilization ("
                + util + ", " + f2(requestedGib) + " GiB). Decrease GPU memory utilization or reduce GPU memory used by "
                + "other processes.";
    }

    /** vllm/worker/worker.py _check_if_gpu_supports_dtype (V0 and V1 before the fp16 fallback). */
    static String bf16Unsupported(String deviceName, String computeCapability) {
        return "Bfloat16 is only supported on GPUs with compute capability of at least 8.0. Your " + deviceName
                + " GPU has compute capability " + computeCapability + ". You can use float16 instead by explicitly "
                + "setting the `dtype` flag in CLI, for example: --dtype=half.";
    }

    /** vllm/platforms/cuda.py (0.9+): the fp16 fallback warning, then the cast. */
    static String bf16Fallback(String deviceName, String computeCapability) {
        return "Your device '" + deviceName + "' (with compute capability " + computeCapability
                + ") doesn't support torch.bfloat16. Falling back to torch.float16 for compatibility.";
    }

    /** vllm/config/model.py _get_and_verify_max_len. */
    static String maxModelLenAboveDerived(int maxModelLen, String key, int derived) {
        return "User-specified max_model_len (" + maxModelLen + ") is greater than the derived max_model_len (" + key + "="
                + derived + ".0 or model_max_length=None in model's config.json). To allow overriding this maximum, set "
                + "the env var VLLM_ALLOW_LONG_MAX_MODEL_LEN=1. VLLM_ALLOW_LONG_MAX_MODEL_LEN must be used with extreme "
                + "caution. If the model uses relative position encoding (RoPE), positions exceeding derived_max_model_len "
                + "lead to nan. If the model uses absolute position encoding, positions exceeding derived_max_model_len "
                + "will cause a CUDA array out-of-bounds error.";
    }

    /** vllm/config/scheduler.py _verify_args. */
    static String batchedTokensBelowSeqs(int maxNumBatchedTokens, int maxNumSeqs) {
        return "max_num_batched_tokens (" + maxNumBatchedTokens + ") must be greater than or equal to max_num_seqs ("
                + maxNumSeqs + ").";
    }

    /** vllm/config/scheduler.py _verify_args, without chunked prefill. */
    static String batchedTokensBelowMaxLen(int maxNumBatchedTokens, int maxModelLen) {
        return "max_num_batched_tokens (" + maxNumBatchedTokens + ") is smaller than max_model_len (" + maxModelLen
                + "). This effectively limits the maximum sequence length to max_num_batched_tokens and makes vLLM "
                + "reject longer sequences. Please increase max_num_batched_tokens or decrease max_model_len.";
    }

    /**
     * Loading weights larger than the device raises PyTorch's {@code torch.OutOfMemoryError: CUDA out of memory.
     * Tried to allocate ...} in load_model; its byte figures depend on the allocator, so this keeps PyTorch's first
     * sentence and states the cause.
     */
    static String weightsDoNotFit(double weightsGib, double freeGib, String deviceName) {
        return "CUDA out of memory. The model weights (" + f2(weightsGib) + " GiB per GPU) do not fit in the "
                + f2(freeGib) + " GiB free on " + deviceName + ".";
    }

    /** vllm/config/model.py verify_with_parallel_config. */
    static String headsNotDivisible(int heads, int tp) {
        return "Total number of attention heads (" + heads + ") must be divisible by tensor parallel size (" + tp + ").";
    }
}
