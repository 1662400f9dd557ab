package dev.headroom.spec;

/**
 * One GPU as the planner sees it: a catalog entry and its total memory (GiB), which {@code --gpu-memory-gib}
 * may override (a partitioned GPU, a different board). Bandwidth and FLOP/s delegate to the catalog entry.
 */
public record GpuSpec(Gpu gpu, double totalMemoryGib) {

    public GpuSpec {
        if (gpu == null) throw new IllegalArgumentException("--gpu must be given");
        if (!(totalMemoryGib > 0) || totalMemoryGib > 4096) {
            throw new IllegalArgumentException("--gpu-memory-gib must be between 0 and 4096, was " + totalMemoryGib);
        }
    }

    /** The catalog GPU with the memory CUDA reports for it. */
    public static GpuSpec of(Gpu gpu) {
        return new GpuSpec(gpu, gpu.memoryGib());
    }

    /** Total memory in bytes, as {@code torch.cuda.mem_get_info()} reports it. */
    public long totalMemoryBytes() {
        return Math.round(totalMemoryGib * Units.GIB);
    }

    /** Peak memory bandwidth, bytes per second. */
    public double bandwidthBytesPerSecond() {
        return gpu.bandwidthBytesPerSecond();
    }

    /** Dense FP16/BF16 tensor-core throughput, FLOP per second. */
    public double tensorFlopsPerSecond() {
        return gpu.tensorFlopsPerSecond();
    }

    /** CUDA device name, as vLLM prints it. */
    public String deviceName() {
        return gpu.deviceName();
    }
}
