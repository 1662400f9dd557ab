package dev.headroom.report;

import dev.headroom.plan.MemoryPlan;
import dev.headroom.plan.Surface;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes {@code surface.csv}: one row per grid cell of {@code plan --surface}. */
public final class SurfaceCsv {

    /** Column names, in order. */
    public static final String HEADER = "max_model_len,max_num_seqs,gpu_memory_utilization,max_num_batched_tokens,"
            + "starts,verdict,kv_cache_gib,num_gpu_blocks,kv_cache_tokens,max_concurrency,error";

    private SurfaceCsv() {}

    /** Writes the cells to {@code file}, replacing it. */
    public static void write(Path file, List<Surface.Cell> cells) throws IOException {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (Surface.Cell c : cells) {
            MemoryPlan p = c.plan();
            out.append(c.serve().maxModelLen()).append(',')
                    .append(c.serve().maxNumSeqs()).append(',')
                    .append(c.serve().gpuMemoryUtilization()).append(',')
                    .append(c.serve().maxNumBatchedTokens()).append(',')
                    .append(p.fits()).append(',')
                    .append(c.verdict()).append(',')
                    .append(p.kvSized() ? String.format(Locale.ROOT, "%.4f", p.kvCacheGib()) : "").append(',')
                    .append(p.kvSized() ? Long.toString(p.numGpuBlocks()) : "").append(',')
                    .append(p.kvSized() ? Long.toString(p.kvCacheTokens()) : "").append(',')
                    .append(p.kvSized() ? String.format(Locale.ROOT, "%.2f", p.maxConcurrency()) : "").append(',')
                    .append(p.error() == null ? "" : quote(p.error())).append('\n');
        }
        Files.writeString(file, out);
    }

    private static String quote(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
