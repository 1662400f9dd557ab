package dev.headroom.cli;

import dev.headroom.plan.FromLog;
import dev.headroom.plan.StartupLog;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.VllmVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The GPU and vLLM serving flags shared by {@code plan}, {@code sim} and {@code run} (simulated targets), under
 * vLLM's own names. Precedence as in {@code vllm serve}: command line over {@code --config} YAML over defaults.
 * {@code --model} is each verb's own option ({@code run} also uses it for a real server's served name); its value
 * comes in as {@code model}: a catalog name, an HF id or a config.json path.
 */
public final class ServeOptions {

    @Option(names = "--gpu", paramLabel = "GPU",
            description = "t4, l4, a10g, rtx3090, rtx4090, a100-40gb, a100-80gb, a100-80gb-pcie, h100, h200, l40s, "
                    + "rtx5090. Default: the catalog GPU nearest --gpu-memory-gib (an 80 GB card counts as an H100), else h100.")
    String gpu;

    @Option(names = "--gpu-memory-gib", paramLabel = "GIB",
            description = "Total GPU memory as CUDA reports it, overriding the catalog figure.")
    Double gpuMemoryGib;

    @Option(names = "--gpu-memory-utilization", paramLabel = "FRACTION", description = "vLLM default 0.9.")
    String gpuMemoryUtilization;

    @Option(names = "--max-model-len", paramLabel = "TOKENS", description = "Default: derived from the model config. Accepts 32k / 32K.")
    String maxModelLen;

    @Option(names = "--max-num-seqs", paramLabel = "N", description = "vLLM default by GPU and version (256, 1024 on big GPUs).")
    String maxNumSeqs;

    @Option(names = "--max-num-batched-tokens", paramLabel = "TOKENS", description = "vLLM default by GPU and version (2048 / 8192).")
    String maxNumBatchedTokens;

    @Option(names = "--enable-prefix-caching", description = "Default: on in V1, off in V0.")
    boolean enablePrefixCaching;

    @Option(names = "--no-enable-prefix-caching", description = "Turn prefix caching off.")
    boolean noEnablePrefixCaching;

    @Option(names = "--enable-chunked-prefill", description = "Default: on in V1; in V0 only above 32K context.")
    boolean enableChunkedPrefill;

    @Option(names = "--no-enable-chunked-prefill", description = "Turn chunked prefill off.")
    boolean noEnableChunkedPrefill;

    @Option(names = "--kv-cache-dtype", paramLabel = "DTYPE", description = "auto, fp8, fp8_e4m3, fp8_e5m2 (default auto).")
    String kvCacheDtype;

    @Option(names = "--dtype", paramLabel = "DTYPE", description = "auto, half, float16, bfloat16, float, float32 (default auto).")
    String dtype;

    @Option(names = {"--quantization", "-q"}, paramLabel = "METHOD",
            description = "vLLM's weight quantization: fp8, awq, awq_marlin, gptq, gptq_marlin, bitsandbytes, "
                    + "compressed-tensors, ... (default: the checkpoint's quantization_config).")
    String quantization;

    @Option(names = "--block-size", paramLabel = "TOKENS", description = "1, 8, 16, 32, 64, 128 (default 16).")
    Integer blockSize;

    @Option(names = "--enforce-eager", description = "No CUDA graphs.")
    boolean enforceEager;

    @Option(names = {"--tensor-parallel-size", "-tp"}, paramLabel = "N", description = "GPUs to shard over (default 1).")
    Integer tensorParallelSize;

    @Option(names = "--config", paramLabel = "YAML", description = "vLLM --config YAML with serving flags (command line wins).")
    Path config;

    @Option(names = "--from-log", paramLabel = "FILE",
            description = "A real vLLM start-up log (V0 or V1, 0.4+): its release, flags, GPU memory and measured memory "
                    + "terms become the starting point; serving flags given here change that configuration.")
    Path fromLog;

    @Option(names = "--vllm-version", paramLabel = "VERSION", defaultValue = "0.11.0",
            description = "vLLM release whose defaults and arithmetic to use; < 0.8 means the V0 engine (default: ${DEFAULT-VALUE}; with --from-log, the log's release).")
    String vllmVersion;

    /** The flags given on the command line for {@code model}, merged over the {@code --config} file. */
    public ServeFlags flags(String model) {
        return merged(new ServeFlags(model, single("--gpu-memory-utilization", gpuMemoryUtilization, Double::parseDouble),
                single("--max-model-len", maxModelLen, t -> ServeFlags.parseTokens("--max-model-len", t)),
                single("--max-num-seqs", maxNumSeqs, Integer::parseInt),
                single("--max-num-batched-tokens", maxNumBatchedTokens, t -> ServeFlags.parseTokens("--max-num-batched-tokens", t)),
                prefixCaching(), chunkedPrefill(), blockSize, kvCacheDtype, dtype, eager(), tensorParallelSize, null,
                quantization));
    }

    /** Like {@link #flags()} but leaving out the four flags {@link #surfaceAxes()} varies. */
    public ServeFlags surfaceBaseFlags(String model) {
        return merged(new ServeFlags(model, null, null, null, null, prefixCaching(), chunkedPrefill(), blockSize,
                kvCacheDtype, dtype, eager(), tensorParallelSize, null, quantization));
    }

    private ServeFlags merged(ServeFlags cli) {
        return config == null ? cli : ServeFlags.fromYaml(config).overriddenBy(cli);
    }

    private Boolean prefixCaching() {
        return either("prefix-caching", enablePrefixCaching, noEnablePrefixCaching);
    }

    private Boolean chunkedPrefill() {
        return either("chunked-prefill", enableChunkedPrefill, noEnableChunkedPrefill);
    }

    private Boolean eager() {
        return enforceEager ? Boolean.TRUE : null;
    }

    /** The GPU: {@code --gpu}, else the catalog GPU nearest {@code --gpu-memory-gib}, else an H100. */
    public GpuSpec gpuSpec() {
        return gpuSpec(Gpu.H100);
    }

    /** The GPU: {@code --gpu}, else the catalog GPU nearest {@code --gpu-memory-gib}, else {@code fallback}. */
    public GpuSpec gpuSpec(Gpu fallback) {
        Gpu g = gpu != null ? Gpu.parse(gpu) : gpuMemoryGib != null ? Gpu.nearest(gpuMemoryGib) : fallback;
        return gpuMemoryGib == null ? GpuSpec.of(g) : new GpuSpec(g, gpuMemoryGib);
    }

    /** The grid axes {@code plan --surface} varies: comma lists or ranges in the serving flags. */
    public SurfaceAxes surfaceAxes() {
        return new SurfaceAxes(
                list(maxModelLen, t -> NumberLists.integers("--max-model-len", t)),
                list(maxNumSeqs, t -> NumberLists.integers("--max-num-seqs", t)),
                list(gpuMemoryUtilization, t -> NumberLists.doubles("--gpu-memory-utilization", t)),
                list(maxNumBatchedTokens, t -> NumberLists.integers("--max-num-batched-tokens", t)));
    }

    /** Lists of values per axis; an empty list leaves that flag at its single value or default. */
    public record SurfaceAxes(List<Integer> maxModelLens, List<Integer> maxNumSeqs,
                              List<Double> gpuMemoryUtilizations, List<Integer> maxNumBatchedTokens) {}

    private static <T> List<T> list(String text, Function<String, List<T>> parse) {
        return text == null ? List.of() : parse.apply(text);
    }

    private static <T> T single(String option, String text, Function<String, T> parse) {
        if (text == null) return null;
        if (text.contains(",") || text.contains("..")) {
            throw new IllegalArgumentException(option + ": '" + text + "' is a list; lists are accepted only by plan --surface");
        }
        try {
            return parse.apply(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a number");
        }
    }

    private static Boolean either(String name, boolean on, boolean off) {
        if (on && off) throw new IllegalArgumentException("--enable-" + name + " and --no-enable-" + name + " contradict each other");
        return on ? Boolean.TRUE : off ? Boolean.FALSE : null;
    }

    /** The vLLM version whose behaviour is modelled. */
    public VllmVersion version() {
        return VllmVersion.parse(vllmVersion);
    }

    /**
     * Resolves model, GPU and flags into a setup with vLLM's defaults; with {@code --from-log}, the log's
     * configuration and measured terms, changed by the flags given. Bad input throws IllegalArgumentException.
     */
    public ServingSetup resolve(String model) {
        if (fromLog != null) return fromLog(model).other(flags(model));
        return ServingSetup.resolve(flags(model), gpuSpec(), version());
    }

    /** True when {@code --from-log} was given. */
    public boolean hasLog() {
        return fromLog != null;
    }

    /** The start-up log of {@code --from-log}, read and related to the planner's derivation. */
    public FromLog fromLog(String model) {
        String text;
        try {
            text = Files.readString(fromLog);
        } catch (IOException e) {
            throw new IllegalArgumentException("--from-log " + fromLog + ": cannot read: " + e.getMessage());
        }
        return FromLog.of(StartupLog.parse(text), model, gpu == null ? null : Gpu.parse(gpu), gpuMemoryGib);
    }

}
