package dev.headroom.plan;

import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.VllmArgs;
import dev.headroom.spec.VllmVersion;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a real vLLM start-up log says, V0 and V1 formats from 0.4: the release, the flags (non-default args and the
 * engine config line), the GPU memory and every memory term it logged. Absent figures are null. Each pattern is
 * the line vLLM writes, with the file that writes it.
 *
 * @param version        the vLLM release
 * @param model          the model as the log names it
 * @param flags          the serving flags the log shows (non-default args, then the engine config line)
 * @param totalGib       device memory as CUDA reports it
 * @param utilization    gpu_memory_utilization
 * @param weightsGib     weights ("Model loading took", "model weights take", "weights memory")
 * @param activationGib  torch activation peak of the profile run
 * @param nonTorchGib    non-torch memory of the profile
 * @param cudaGraphGib   CUDA-graph memory (estimate or capture)
 * @param kvCacheGib     memory given to the KV cache
 * @param kvTokens       "GPU KV cache size" tokens, or GPU blocks × block size
 * @param modelRunnerV1Fallback  the log says Model Runner V2 fell back to the V1 runner
 */
public record StartupLog(VllmVersion version, String model, ServeFlags flags, Double totalGib, Double utilization,
                         Double weightsGib, Double activationGib, Double nonTorchGib, Double cudaGraphGib,
                         Double kvCacheGib, Long kvTokens, boolean modelRunnerV1Fallback) {

    private static final String NUM = "([0-9][0-9,]*(?:\\.[0-9]+)?)";
    // vllm/engine/llm_engine.py (V0) and vllm/v1/engine/core.py: "Initializing a V1 LLM engine (v0.15.1) with config".
    private static final Pattern VERSION = Pattern.compile(
            "(?:Initializing an? (?:V[01] )?LLM engine \\(v|vLLM API server version v?|\\bversion )(\\d+\\.\\d+(?:\\.\\d+)?)");
    private static final Pattern CONFIG_MODEL = Pattern.compile("with config: model='([^']+)'");
    // vllm/entrypoints/utils.py log_non_default_args.
    private static final Pattern ARGS = Pattern.compile("non-default args: (\\{.*})");
    private static final Pattern MAX_LEN = Pattern.compile("max_seq_len=(\\d+)");
    private static final Pattern DTYPE = Pattern.compile("[ ,]dtype=torch\\.(\\w+)");
    private static final Pattern KV_DTYPE = Pattern.compile("kv_cache_dtype=(\\w+)");
    private static final Pattern QUANT = Pattern.compile("[ ,]quantization=([\\w-]+)");
    private static final Pattern EAGER = Pattern.compile("enforce_eager=(True|False)");
    private static final Pattern TP = Pattern.compile("tensor_parallel_size=(\\d+)");
    // vllm/config/scheduler.py.
    private static final Pattern MNBT = Pattern.compile("Chunked prefill is enabled with max_num_batched_tokens=(\\d+)");
    // V0 worker.py (0.6.5+) and early V1 gpu_worker.py.
    private static final Pattern V0_BUDGET = Pattern.compile(
            "total_gpu_memory \\(" + NUM + " ?GiB\\) x gpu_memory_utilization \\(" + NUM + "\\)");
    private static final Pattern V0_TERMS = Pattern.compile("model weights take " + NUM + " ?GiB; non_torch_memory takes "
            + NUM + " ?GiB; PyTorch activation peak memory takes " + NUM + " ?GiB; the rest of the memory reserved for "
            + "KV Cache is (-?" + NUM.substring(1));
    // V0 worker.py 0.6.4 (PR #9352/#9516): an absolute non-torch figure; peak_torch_memory includes the weights.
    private static final Pattern V064 = Pattern.compile("total_gpu_memory=" + NUM + "GiB.*peak_torch_memory=" + NUM
            + "GiB.*non_torch_memory=" + NUM + "GiB.*kv_cache_size=" + NUM + "GiB.*gpu_memory_utilization=" + NUM);
    // vllm/v1/worker/gpu_model_runner.py load_model; V0 model_runner.py "Loading model weights took X GB".
    private static final Pattern WEIGHTS = Pattern.compile("(?:Model loading took|Loading model weights took) " + NUM
            + " ?(?:GiB|GB)");
    // vllm/v1/worker/gpu_worker.py determine_available_memory (debug line, 0.9-0.25).
    private static final Pattern V1_PROFILE = Pattern.compile("torch peak memory increase: " + NUM
            + " ?GiB; non-torch forward increase memory: " + NUM + " ?GiB; weights memory: " + NUM);
    private static final Pattern V1_FREE = Pattern.compile("Free memory on device(?: cuda:\\d+)? \\(" + NUM + "/" + NUM
            + " GiB\\) on startup\\. Desired GPU memory utilization is \\(" + NUM);
    private static final Pattern V1_USAGE_ACT = Pattern.compile(NUM + " GiB for peak activation");
    private static final Pattern V1_USAGE_NON_TORCH = Pattern.compile(NUM + " GiB for non-torch memory");
    private static final Pattern V1_USAGE_GRAPH = Pattern.compile(NUM + " GiB for CUDAGraph memory");
    private static final Pattern GRAPH_ESTIMATE = Pattern.compile("Estimated CUDA graph memory: " + NUM + " GiB");
    private static final Pattern GRAPH_CAPTURE = Pattern.compile("Graph capturing finished in \\d+ secs?, took " + NUM + " GiB");
    private static final Pattern KV_GIB = Pattern.compile("Available KV cache memory: (-?" + NUM.substring(1) + " GiB");
    private static final Pattern KV_TOKENS = Pattern.compile("GPU KV cache size: " + NUM + " tokens");
    private static final Pattern BLOCKS = Pattern.compile("# (?:GPU|cuda|CUDA) blocks: (\\d+)");
    private static final Pattern BLOCK_SIZE = Pattern.compile("block_size=(\\d+)");
    private static final Pattern SPECULATIVE = Pattern.compile("speculative_config=(?!None)\\S");
    private static final Pattern MRV1_FALLBACK = Pattern.compile("Model runner v2 does not yet support|using the v1 model runner");

    /** Reads a log; throws IllegalArgumentException naming what is missing when it is not a vLLM start-up. */
    public static StartupLog parse(String text) {
        Matcher v = VERSION.matcher(text);
        if (!v.find()) {
            throw new IllegalArgumentException("--from-log: no vLLM version in the log (expected \"Initializing a V1 LLM "
                    + "engine (vX.Y.Z)\", \"Initializing an LLM engine (vX.Y.Z)\" or \"vLLM API server version X.Y.Z\")");
        }
        VllmVersion version = VllmVersion.parse(v.group(1));
        if (SPECULATIVE.matcher(text).find()) {
            throw new IllegalArgumentException("--from-log: the server runs speculative decoding, which is outside what "
                    + "headroom's model covers (one token per step and request), so it does not guess");
        }
        ServeFlags flags = flags(text);
        Double total = number(text, V0_BUDGET, 1);
        Double util = number(text, V0_BUDGET, 2);
        Double weights = number(text, WEIGHTS, 1);
        Double activation = number(text, V0_TERMS, 3);
        Double nonTorch = number(text, V0_TERMS, 2);
        Double kv = first(number(text, KV_GIB, 1), number(text, V0_TERMS, 4));
        Matcher m064 = V064.matcher(text);
        if (m064.find()) {
            total = num(m064.group(1));
            nonTorch = num(m064.group(3));
            kv = num(m064.group(4));
            util = num(m064.group(5));
            if (weights != null) activation = num(m064.group(2)) - weights;
        }
        Matcher free = V1_FREE.matcher(text);
        if (free.find()) {
            total = num(free.group(2));
            util = num(free.group(3));
        }
        activation = first(activation, number(text, V1_PROFILE, 1), number(text, V1_USAGE_ACT, 1));
        nonTorch = first(nonTorch, number(text, V1_PROFILE, 2), number(text, V1_USAGE_NON_TORCH, 1));
        weights = first(weights, number(text, V1_PROFILE, 3));
        Double graphs = first(number(text, V1_USAGE_GRAPH, 1), number(text, GRAPH_ESTIMATE, 1), number(text, GRAPH_CAPTURE, 1));
        if (flags.gpuMemoryUtilization() == null && util != null) {
            flags = flags.overriddenBy(new ServeFlags(null, util, null, null, null, null, null, null, null, null, null, null, null));
        }
        return new StartupLog(version, model(text, flags), flags, total, first(flags.gpuMemoryUtilization(), util),
                weights, activation, nonTorch, graphs, kv, tokens(text), MRV1_FALLBACK.matcher(text).find());
    }

    /** The flags: non-default args, overridden by what the engine config line and the scheduler resolved. */
    private static ServeFlags flags(String text) {
        Matcher a = ARGS.matcher(text);
        ServeFlags args = a.find() ? VllmArgs.fromPythonDict(a.group(1)) : ServeFlags.NONE;
        String quant = text(text, QUANT);
        String dtype = text(text, DTYPE);
        Integer mnbt = integer(text, MNBT);
        ServeFlags resolved = new ServeFlags(null, null, integer(text, MAX_LEN), null, mnbt, null, null,
                integer(text, BLOCK_SIZE), text(text, KV_DTYPE), dtype, bool(text, EAGER), integer(text, TP), null,
                quant == null || quant.equals("None") ? null : quant);
        return args.overriddenBy(resolved);
    }

    private static String model(String text, ServeFlags flags) {
        Matcher m = CONFIG_MODEL.matcher(text);
        return m.find() ? m.group(1) : flags.model();
    }

    private static Long tokens(String text) {
        Double t = number(text, KV_TOKENS, 1);
        if (t != null) return Math.round(t);
        Matcher b = BLOCKS.matcher(text);
        Integer blockSize = integer(text, BLOCK_SIZE);
        return b.find() ? Long.parseLong(b.group(1)) * (blockSize == null ? 16 : blockSize) : null;
    }

    private static Double number(String text, Pattern p, int group) {
        Matcher m = p.matcher(text);
        return m.find() ? num(m.group(group)) : null;
    }

    private static double num(String s) {
        return Double.parseDouble(s.replace(",", ""));
    }

    private static Integer integer(String text, Pattern p) {
        Double d = number(text, p, 1);
        return d == null ? null : d.intValue();
    }

    private static String text(String text, Pattern p) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static Boolean bool(String text, Pattern p) {
        String t = text(text, p);
        return t == null ? null : t.toLowerCase(Locale.ROOT).equals("true");
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) if (v != null) return v;
        return null;
    }
}
