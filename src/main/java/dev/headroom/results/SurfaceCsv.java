package dev.headroom.results;

import dev.headroom.plan.MemoryPlan;
import dev.headroom.plan.Surface;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code surface.csv}: one row per grid cell of {@code plan --surface}. */
public final class SurfaceCsv {

    /** Column names, in order. */
    public static final List<String> COLUMNS = List.of("max_model_len", "max_num_seqs", "gpu_memory_utilization",
            "max_num_batched_tokens", "starts", "verdict", "kv_cache_gib", "num_gpu_blocks", "kv_cache_tokens",
            "max_concurrency", "error");

    private SurfaceCsv() {}

    /** Writes the cells to {@code file}, replacing it; the KV columns are empty for a cell whose KV cache was not sized. */
    public static void write(Path file, List<Surface.Cell> cells) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (Surface.Cell c : cells) {
            MemoryPlan p = c.plan();
            boolean kv = p.kvSized();
            rows.add(List.of(Cells.of(c.serve().maxModelLen()), Cells.of(c.serve().maxNumSeqs()),
                    Cells.of(c.serve().gpuMemoryUtilization()), Cells.of(c.serve().maxNumBatchedTokens()),
                    Cells.of(p.fits()), Cells.of(c.verdict()),
                    kv ? String.format(Locale.ROOT, "%.4f", p.kvCacheGib()) : "", kv ? Long.toString(p.numGpuBlocks()) : "",
                    kv ? Long.toString(p.kvCacheTokens()) : "", kv ? String.format(Locale.ROOT, "%.2f", p.maxConcurrency()) : "",
                    p.error() == null ? "" : p.error()));
        }
        CsvTable.write(file, COLUMNS, rows);
    }
}
