package dev.headroom.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * GPUs headroom knows by name. Memory is the total the CUDA driver reports (what vLLM's {@code MemorySnapshot}
 * calls {@code total_memory}), in GiB; it is below the marketing figure. Bandwidth and dense FP16/BF16 tensor
 * FLOP/s (no sparsity) come from NVIDIA datasheets (reference/vllm-internals.md §9).
 */
public enum Gpu {
    // CUDA totals: T4 14.75, L4 22.05, H100 79.11, A100-80GB 79.15 are seen in vLLM / PyTorch logs; the RTX 3090's
    // 23.58 is vLLM's "total_gpu_memory=23.58GiB" (https://github.com/vllm-project/vllm/issues/10517): vLLM takes
    // torch.cuda.mem_get_info()[1], below the 23.69 of PyTorch's OOM message (device properties) on that card;
    // the others are the nvidia-smi total less the driver's reservation, as PyTorch OOM messages print them.
    // SM counts from NVIDIA's architecture whitepapers (vLLM's Triton top-k/top-p buffer has one row per SM).
    // Boost clock (MHz): the clock NVIDIA quotes peak rates at, from the same data sheets, product pages and
    // architecture whitepapers (A100: 108 SMs x 2,048 dense FP16 FLOP per clock x 1,410 MHz = 312 TFLOP/s; H100 and
    // H200 SXM: 1,980 MHz, the FP32 peak's clock; L4 2,040; L40S 2,520; T4 1,590; A10G 1,710; RTX 3090 1,695,
    // 4090 2,520, 5090 2,407 as NVIDIA's GeForce pages print them, 1.70, 2.52 and 2.41 GHz).
    // Board power (TDP, the most the board draws at its default power limit), one source each:
    // T4 70 W: https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/tesla-t4/t4-tensor-core-datasheet-951643.pdf
    T4("t4", "Tesla T4", 14.75, 320e9, 65e12, 7, 5, 40, 70, 1590),
    // L4 72 W: https://resources.nvidia.com/en-us-data-center-overview/l4-gpu-datasheet
    L4("l4", "NVIDIA L4", 22.05, 300e9, 121e12, 8, 9, 58, 72, 2040),
    // A10G 300 W: an AWS-only part without an NVIDIA datasheet; nvidia-smi on an EC2 g5 reports "60W / 300W"
    // (power cap 300 W) in https://github.com/NVIDIA/DCGM/issues/232.
    A10G("a10g", "NVIDIA A10G", 22.20, 600e9, 125e12, 8, 6, 80, 300, 1710),
    // RTX 3090 350 W: https://www.nvidia.com/en-us/geforce/graphics-cards/30-series/rtx-3090-3090ti/ (graphics card power)
    RTX3090("rtx3090", "NVIDIA GeForce RTX 3090", 23.58, 936e9, 71e12, 8, 6, 82, 350, 1695),
    // RTX 4090 450 W: https://www.nvidia.com/en-us/geforce/graphics-cards/40-series/rtx-4090/ (total graphics power)
    RTX4090("rtx4090", "NVIDIA GeForce RTX 4090", 23.64, 1008e9, 165e12, 8, 9, 128, 450, 2520),
    // A100 SXM4 40GB and 80GB 400 W: https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf
    A100_40GB("a100-40gb", "NVIDIA A100-SXM4-40GB", 39.39, 1555e9, 312e12, 8, 0, 108, 400, 1410),
    A100_80GB("a100-80gb", "NVIDIA A100-SXM4-80GB", 79.15, 2039e9, 312e12, 8, 0, 108, 400, 1410),
    // A100 80GB PCIe 300 W, 1,935 GB/s, the same GA100 (108 SMs, compute capability 8.0, 312 TFLOP/s dense BF16):
    // the A100 datasheet above, PCIe column. Its CUDA total is taken to be the SXM4 80GB card's 79.15 (both carry
    // 80 GB of HBM2e; no vLLM or PyTorch log of this card's own total was found). With it the planner gives 9.54 GiB
    // and 39,088 KV tokens for Qwen3-32B at utilization 0.90, where vLLM 0.19.0 on this card reported 9.57 GiB and
    // 39,200 (github.com/cssnoeasy/a100-vllm-benchmark-blog, docs/reports/a100-quantization-capacity.md).
    A100_80GB_PCIE("a100-80gb-pcie", "NVIDIA A100 80GB PCIe", 79.15, 1935e9, 312e12, 8, 0, 108, 300, 1410),
    // H100 SXM up to 700 W: https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet (an H100
    // 80GB HBM3 reports power.max_limit 700 W through nvidia-smi)
    H100("h100", "NVIDIA H100 80GB HBM3", 79.11, 3350e9, 989e12, 9, 0, 132, 700, 1980),
    // H200 SXM up to 700 W: https://nvdam.widen.net/s/nb5zzzsjdf/hpc-datasheet-sc23-h200-datasheet-3002446
    H200("h200", "NVIDIA H200", 139.81, 4800e9, 989e12, 9, 0, 132, 700, 1980),
    // L40S 350 W: https://resources.nvidia.com/en-us-l40s/l40s-datasheet-28413
    L40S("l40s", "NVIDIA L40S", 44.53, 864e9, 362e12, 8, 9, 142, 350, 2520),
    // RTX 5090 575 W, 1792 GB/s, 170 SMs, 209.5 TFLOP/s dense FP16 (FP32 accumulate):
    // https://www.nvidia.com/en-us/geforce/graphics-cards/50-series/rtx-5090/ and NVIDIA's RTX Blackwell GPU
    // architecture whitepaper; PyTorch reports "a total capacity of 31.36 GiB" on it (OOM messages).
    RTX5090("rtx5090", "NVIDIA GeForce RTX 5090", 31.36, 1792e9, 209.5e12, 12, 0, 170, 575, 2407);

    private final String id;
    private final String deviceName;
    private final double memoryGib;
    private final double bandwidthBytesPerSecond;
    private final double tensorFlopsPerSecond;
    private final int ccMajor;
    private final int ccMinor;
    private final int smCount;
    private final double boardPowerW;
    private final double boostClockMhz;

    Gpu(String id, String deviceName, double memoryGib, double bandwidth, double flops, int ccMajor, int ccMinor,
        int smCount, double boardPowerW, double boostClockMhz) {
        this.id = id;
        this.deviceName = deviceName;
        this.memoryGib = memoryGib;
        this.bandwidthBytesPerSecond = bandwidth;
        this.tensorFlopsPerSecond = flops;
        this.ccMajor = ccMajor;
        this.ccMinor = ccMinor;
        this.smCount = smCount;
        this.boardPowerW = boardPowerW;
        this.boostClockMhz = boostClockMhz;
    }

    /**
     * The SM clock NVIDIA quotes the peak rates at (GPU Boost), hertz: a decoder layer's fixed kernel time is a
     * number of cycles at this clock.
     */
    public double boostClockHz() {
        return boostClockMhz * 1e6;
    }

    /** Board power at the default power limit (TDP), watts, from NVIDIA's datasheet: the most the board draws. */
    public double boardPowerW() {
        return boardPowerW;
    }

    /** Streaming multiprocessors on the device. */
    public int smCount() {
        return smCount;
    }

    /** The name used on the command line, e.g. {@code a100-80gb}. */
    public String id() {
        return id;
    }

    /** The device name CUDA reports (as {@code torch.cuda.get_device_name()}), used in vLLM's messages. */
    public String deviceName() {
        return deviceName;
    }

    /** Total device memory as CUDA reports it, GiB. */
    public double memoryGib() {
        return memoryGib;
    }

    /** Peak memory bandwidth, bytes per second. */
    public double bandwidthBytesPerSecond() {
        return bandwidthBytesPerSecond;
    }

    /** Dense FP16/BF16 tensor-core throughput, FLOP per second. */
    public double tensorFlopsPerSecond() {
        return tensorFlopsPerSecond;
    }

    /** Compute capability as vLLM prints it, e.g. {@code 7.5}. */
    public String computeCapability() {
        return ccMajor + "." + ccMinor;
    }

    /** Compute capability as one number, e.g. 75 for 7.5 (vLLM's {@code has_device_capability(80)}). */
    public int computeCapabilityNumber() {
        return ccMajor * 10 + ccMinor;
    }

    /** Whether torch.bfloat16 runs on this GPU (compute capability at least 8.0). */
    public boolean supportsBf16() {
        return computeCapabilityNumber() >= 80;
    }

    /** Parses a command-line GPU name such as {@code h100} or {@code A100-80GB}. */
    public static Gpu parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT).replace("_", "-");
        for (Gpu g : values()) {
            if (g.id.equals(wanted)) return g;
        }
        throw new IllegalArgumentException("--gpu: unknown GPU '" + text + "'; known: " + names());
    }

    /**
     * A GPU's name as results files compare it: a catalog GPU's device name as the server reports it ({@code Tesla
     * T4}, what a run folder records) becomes its id ({@code t4}, what a sweep records), so both name one GPU; any
     * other name (a GPU outside the catalog, {@code cpu}) stays as given; null stays null.
     */
    public static String catalogId(String name) {
        if (name == null) return null;
        for (Gpu g : values()) {
            if (g.deviceName.equalsIgnoreCase(name.strip())) return g.id;
        }
        return name;
    }

    /**
     * The catalog GPU whose CUDA-reported memory is nearest {@code gib}. An 80 GB card counts as an H100 (the
     * A100 80GB cards report almost the same total); pass {@code --gpu a100-80gb} or {@code a100-80gb-pcie} for an A100.
     */
    public static Gpu nearest(double gib) {
        Gpu best = H100;
        for (Gpu g : values()) {
            boolean a100Of80 = g == A100_80GB || g == A100_80GB_PCIE;
            if (!a100Of80 && Math.abs(g.memoryGib - gib) < Math.abs(best.memoryGib - gib)) best = g;
        }
        return best;
    }

    /** The accepted names, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(Gpu::id).collect(Collectors.joining(", "));
    }
}
