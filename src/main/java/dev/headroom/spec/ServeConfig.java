package dev.headroom.spec;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * vLLM's serving configuration with every default resolved for one vLLM version, model and GPU, under vLLM's
 * names. Values may still be ones vLLM refuses at startup (e.g. {@code maxNumBatchedTokens < maxNumSeqs});
 * the planner reports those with vLLM's message.
 *
 * @param dtypeFlag     the {@code --dtype} as given ({@code auto} by default)
 * @param dtype         the dtype the model runs in after vLLM's resolution (including the fp16 fallback)
 * @param kvCacheDtype  the {@code --kv-cache-dtype} ({@code auto} = model dtype)
 * @param swapSpaceGib  CPU swap space per GPU (V0 only)
 */
public record ServeConfig(double gpuMemoryUtilization, int maxModelLen, int maxNumSeqs, int maxNumBatchedTokens,
                          boolean enablePrefixCaching, boolean enableChunkedPrefill, int blockSize,
                          String kvCacheDtype, String dtypeFlag, Dtype dtype, boolean enforceEager,
                          int tensorParallelSize, double swapSpaceGib, VllmVersion vllmVersion) {

    /** vLLM's {@code --gpu-memory-utilization} default (vllm/config/cache.py). */
    public static final double DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;
    /** vLLM's {@code --block-size} default on CUDA (CacheConfig.DEFAULT_BLOCK_SIZE). */
    public static final int DEFAULT_BLOCK_SIZE = 16;
    /** SchedulerConfig.DEFAULT_MAX_NUM_BATCHED_TOKENS, also the floor without chunked prefill. */
    public static final int DEFAULT_MAX_NUM_BATCHED_TOKENS = 2048;
    /** V0 turns chunked prefill on by default above this context (vllm/engine/arg_utils.py use_long_context). */
    public static final int V0_LONG_CONTEXT = 32 * 1024;

    public ServeConfig {
        if (maxModelLen < 1 || maxNumSeqs < 1 || maxNumBatchedTokens < 1) {
            throw new IllegalArgumentException("max-model-len, max-num-seqs and max-num-batched-tokens must be positive");
        }
    }

    /**
     * Resolves vLLM's defaults for what {@code flags} leaves unset, as {@code vllm serve} would on {@code gpu}:
     * {@code gpu_memory_utilization} 0.9, {@code max_model_len} the model's full context, and the batch limits of
     * EngineArgs._set_default_max_num_seqs_and_batched_tokens_args (vllm/engine/arg_utils.py): a defaulted
     * {@code max_num_batched_tokens} is at most {@code max_num_seqs × max_model_len}, and a defaulted
     * {@code max_num_seqs} at most {@code max_num_batched_tokens}.
     */
    public static ServeConfig resolve(ServeFlags flags, ModelSpec model, GpuSpec gpu, VllmVersion version) {
        boolean v1 = version.isV1();
        int maxModelLen = or(flags.maxModelLen(), derivedMaxModelLen(model, version));
        boolean chunked = or(flags.enableChunkedPrefill(), v1 || maxModelLen > V0_LONG_CONTEXT);
        int batchDefault = v1 ? v1BatchedTokensDefault(gpu, version)
                : version.atLeast(0, 6, 0) ? DEFAULT_MAX_NUM_BATCHED_TOKENS : 512;
        int seqsDefault = v1SeqsDefault(gpu, version);
        int seqsBeforeCap = or(flags.maxNumSeqs(), seqsDefault);
        int mnbtDefault = chunked ? batchDefault : Math.max(maxModelLen, DEFAULT_MAX_NUM_BATCHED_TOKENS);
        // V1 caps a defaulted budget at what max_num_seqs full-length requests could use (current arg_utils.py;
        // it binds only for a tiny max_model_len).
        if (v1) mnbtDefault = (int) Math.min(mnbtDefault, (long) seqsBeforeCap * maxModelLen);
        int mnbt = or(flags.maxNumBatchedTokens(), mnbtDefault);
        int maxNumSeqs = or(flags.maxNumSeqs(), v1 ? Math.min(seqsDefault, mnbt) : seqsDefault);
        String dtypeFlag = or(flags.dtype(), "auto");
        return new ServeConfig(or(flags.gpuMemoryUtilization(), DEFAULT_GPU_MEMORY_UTILIZATION), maxModelLen,
                maxNumSeqs, mnbt, or(flags.enablePrefixCaching(), v1), chunked, or(flags.blockSize(), DEFAULT_BLOCK_SIZE),
                or(flags.kvCacheDtype(), "auto"), dtypeFlag, modelDtype(dtypeFlag, model, gpu, version),
                or(flags.enforceEager(), false), or(flags.tensorParallelSize(), 1), or(flags.swapSpaceGib(), 4.0), version);
    }

    /**
     * The max_model_len vLLM derives from the config (already scaled by rope scaling); V0 also caps it at the
     * sliding window when the model uses one.
     */
    public static int derivedMaxModelLen(ModelSpec model, VllmVersion version) {
        if (!version.isV1() && model.slidingWindow() > 0) {
            return Math.min(model.maxPositionEmbeddings(), model.slidingWindow());
        }
        return model.maxPositionEmbeddings();
    }

    /**
     * EngineArgs.get_batch_defaults for the OpenAI server (vllm/engine/arg_utils.py): 8192 on GPUs with at least
     * 70 GiB whose name lacks "a100" (0.9+, PR #17885), on H100/H200 by name in 0.8.x; 2048 otherwise.
     */
    static int v1BatchedTokensDefault(GpuSpec gpu, VllmVersion version) {
        if (version.atLeast(0, 9, 0)) return bigGpu(gpu) ? 8192 : DEFAULT_MAX_NUM_BATCHED_TOKENS;
        String name = gpu.deviceName().toLowerCase(Locale.ROOT);
        return name.contains("h100") || name.contains("h200") ? 8192 : DEFAULT_MAX_NUM_BATCHED_TOKENS;
    }

    /**
     * EngineArgs.get_batch_defaults' {@code max_num_seqs} for the OpenAI server: 1024 on GPUs with at least 70 GiB
     * whose name lacks "a100" (0.9+), 256 otherwise and before (SchedulerConfig.DEFAULT_MAX_NUM_SEQS; V0 too).
     */
    static int v1SeqsDefault(GpuSpec gpu, VllmVersion version) {
        return version.isV1() && version.atLeast(0, 9, 0) && bigGpu(gpu) ? 1024 : 256;
    }

    private static boolean bigGpu(GpuSpec gpu) {
        return gpu.totalMemoryGib() >= 70 && !gpu.deviceName().toLowerCase(Locale.ROOT).contains("a100");
    }

    /**
     * vllm/config/model.py _get_and_verify_dtype: {@code auto} takes the config dtype, fp32 checkpoints are
     * downcast (bf16 where supported); from 0.9 a bf16 model on a GPU without bf16 falls back to fp16.
     */
    static Dtype modelDtype(String flag, ModelSpec model, GpuSpec gpu, VllmVersion version) {
        return switch (flag) {
            case "half", "float16" -> Dtype.FLOAT16;
            case "bfloat16" -> Dtype.BFLOAT16;
            case "float", "float32" -> Dtype.FLOAT32;
            default -> switch (model.torchDtype()) {
                case FLOAT32 -> gpu.gpu().supportsBf16() ? Dtype.BFLOAT16 : Dtype.FLOAT16;
                case BFLOAT16 -> gpu.gpu().supportsBf16() || !version.atLeast(0, 9, 0) ? Dtype.BFLOAT16 : Dtype.FLOAT16;
                case FLOAT16 -> Dtype.FLOAT16;
            };
        };
    }

    /** True when vLLM fell back from the checkpoint's bf16 to fp16 because the GPU lacks bf16. */
    public boolean fellBackToFp16(ModelSpec model) {
        return dtypeFlag.equals("auto") && model.torchDtype() == Dtype.BFLOAT16 && dtype == Dtype.FLOAT16;
    }

    /** Bytes per KV cache element: the model dtype for {@code auto}, 1 for fp8 variants. */
    public int kvCacheDtypeBytes() {
        return switch (kvCacheDtype) {
            case "auto" -> dtype.bytes();
            case "bfloat16" -> 2;
            default -> 1;
        };
    }

    /**
     * The knobs a capacity study turns, under vLLM's flag names with underscores, in the order reports list them:
     * gpu_memory_utilization, max_model_len, max_num_seqs, max_num_batched_tokens, enable_prefix_caching,
     * enable_chunked_prefill.
     */
    public Map<String, Object> knobs() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gpu_memory_utilization", gpuMemoryUtilization);
        m.put("max_model_len", maxModelLen);
        m.put("max_num_seqs", maxNumSeqs);
        m.put("max_num_batched_tokens", maxNumBatchedTokens);
        m.put("enable_prefix_caching", enablePrefixCaching);
        m.put("enable_chunked_prefill", enableChunkedPrefill);
        return m;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
