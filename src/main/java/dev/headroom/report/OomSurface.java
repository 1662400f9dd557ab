package dev.headroom.report;

import dev.headroom.results.ConfigRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The OOM surface of a sweep's configs.csv: which server configs started, with what concurrency, and which failed. */
public final class OomSurface {

    private OomSurface() {}

    /** Draws the heatmap when configs.csv spans at least two configs with a length and a memory fraction. */
    public static Optional<ChartFiles.Written> chart(SweepResults sweep, Path dir, String stem) throws IOException {
        List<SurfaceHeatmap.Cell> cells = sweep.configs().stream()
                .filter(r -> !Double.isNaN(r.num("max_model_len")) && !Double.isNaN(r.num("gpu_memory_utilization")))
                .map(OomSurface::cell).toList();
        if (cells.size() < 2) return Optional.empty();
        String gpu = sweep.configs().get(0).text("gpu");
        String title = "OOM surface of " + sweep.label() + (gpu.isEmpty() ? "" : " on " + GpuClass.of(gpu).label());
        return Optional.of(SurfaceHeatmap.writeCells(dir, stem, title, cells,
                "* predicted by the planner (never started)   ! the planner and the server disagree (see the configs table)"));
    }

    private static SurfaceHeatmap.Cell cell(ConfigRow r) {
        boolean ran = r.text("status").equals("ran") || r.text("status").equals("died_under_load");
        boolean failed = r.text("status").equals("failed_to_start");
        boolean starts = ran || (!failed && Boolean.TRUE.equals(r.predictedStarts()));
        double reported = r.num("reported_max_concurrency");
        double concurrency = Double.isNaN(reported) ? r.num("predicted_max_concurrency") : reported;
        String text = starts
                ? String.format(Locale.ROOT, "%.1fx", concurrency) + (ran ? "" : "*")
                : "✗ " + failure(r) + (failed ? "" : "*");
        return new SurfaceHeatmap.Cell((int) r.num("max_model_len"), r.num("gpu_memory_utilization"),
                (int) orZero(r.num("max_num_seqs")), (int) orZero(r.num("max_num_batched_tokens")), starts,
                starts ? concurrency : Double.NaN, text, r.has("disagreement"));
    }

    /** A short name of why a config fails: OOM, KV, config, … */
    static String failure(ConfigRow r) {
        return switch (r.text("failure")) {
            case "out_of_memory" -> "OOM";
            case "kv_cache_too_small" -> "KV";
            case "bad_config" -> "config";
            case "health_timeout" -> "timeout";
            case "exited" -> "exited";
            default -> r.text("status").equals("failed_to_start") ? "failed" : "plan";
        };
    }

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
