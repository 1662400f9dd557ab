package dev.headroom.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.headroom.plan.FromLog;
import dev.headroom.plan.MemoryPlan;
import dev.headroom.plan.Planner;
import dev.headroom.plan.Surface;
import dev.headroom.results.SurfaceCsv;
import dev.headroom.report.SurfaceHeatmap;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ModelSpec;
import dev.headroom.spec.Quantization;
import dev.headroom.spec.ServeConfig;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.TermOffsets;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom plan}: vLLM's start-up memory arithmetic, KV capacity and start-up errors, without a GPU. */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict what vLLM logs at start-up (KV cache size, maximum concurrency, memory profile) or the "
                + "error it refuses to start with, using vLLM's own arithmetic.",
                "With --surface, the serving flags take lists (4096,8192 or 1024..32768x2) and every combination is planned."},
        footer = {"", "Exit status: 0 when vLLM would start (and always for --surface), 1 when it would refuse to start "
                + "(the error is printed; with --json the JSON has fits=false and the error), 2 on bad input."})
public final class PlanCommand implements Callable<Integer> {

    @Mixin
    ServeOptions serve;

    @Mixin
    ModelOption model;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Option(names = "--surface", description = "Map the OOM surface over the listed flag values; writes surface.csv, surface.png, surface.svg.")
    boolean surface;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "Folder for the surface files (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        return surface ? surface() : single();
    }

    private int single() {
        if (serve.hasLog()) return fromLog();
        ServingSetup setup = serve.resolve(model.name);
        MemoryPlan plan = Planner.plan(setup);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>(plan.toMap());
            m.put("config", configMap(setup));
            w.println(toJson(m));
        } else {
            printPlan(w, setup, plan);
        }
        w.flush();
        return plan.fits() ? 0 : Errors.FAILURE;
    }

    private static void printPlan(PrintWriter w, ServingSetup setup, MemoryPlan plan) {
        ServeConfig s = setup.serve();
        w.printf(Locale.ROOT, "%s on %s (%.2f GiB), vLLM %s, %s engine%n", setup.model().name(),
                setup.gpu().deviceName(), setup.gpu().totalMemoryGib(), s.vllmVersion(), plan.engine());
        w.printf(Locale.ROOT, "  max_model_len=%d max_num_seqs=%d max_num_batched_tokens=%d gpu_memory_utilization=%s "
                        + "block_size=%d dtype=%s kv_cache_dtype=%s tensor_parallel_size=%d%n%n", s.maxModelLen(),
                s.maxNumSeqs(), s.maxNumBatchedTokens(), s.gpuMemoryUtilization(), s.blockSize(),
                s.dtype().name().toLowerCase(Locale.ROOT), s.kvCacheDtype(), s.tensorParallelSize());
        for (String line : plan.startupLog()) w.println("  " + line);
        if (plan.error() != null) w.println("  ValueError: " + plan.error());
        w.println();
        if (plan.kvSized() && plan.graphsInBudget()) w.printf(Locale.ROOT, "Memory per GPU (GiB): budget %.2f = weights %.2f "
                        + "+ activation peak %.2f + non-torch %.2f + CUDA graphs %.2f + KV cache %.2f%n", plan.requestedGib(),
                plan.weightsGib(), plan.activationPeakGib(), plan.nonTorchGib(), plan.cudaGraphGib(), plan.kvCacheGib());
        else if (plan.kvSized()) w.printf(Locale.ROOT, "Memory per GPU (GiB): budget %.2f = weights %.2f + activation peak %.2f + non-torch %.2f "
                        + "+ KV cache %.2f; CUDA graphs %.2f outside the budget%n", plan.requestedGib(), plan.weightsGib(),
                plan.activationPeakGib(), plan.nonTorchGib(), plan.kvCacheGib(), plan.cudaGraphGib());
        if (plan.kvSized() && plan.fits()) {
            w.printf(Locale.US, "Band: KV cache tokens ±%.2f%% (%,d to %,d)%n", plan.kvBandPercent(),
                    Math.round(plan.kvCacheTokens() * (1 - plan.kvBandPercent() / 100)),
                    Math.round(plan.kvCacheTokens() * (1 + plan.kvBandPercent() / 100)));
        }
        w.println(plan.explanation());
        if (plan.graphCaptureMayRunOutOfMemory()) {
            w.printf(Locale.ROOT, "Note: CUDA graphs (about %.2f GiB, outside the budget) may not fit in the memory left "
                    + "free; vLLM could run out of memory while capturing them (use --enforce-eager or a lower "
                    + "--gpu-memory-utilization).%n", plan.cudaGraphGib());
        }
    }

    /** The log's terms against the planner's, then the configuration the flags given describe, from the measured terms. */
    private int fromLog() {
        FromLog fl = serve.fromLog(model.name);
        ServingSetup other = serve.resolve(model.name);
        MemoryPlan plan = Planner.plan(other);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>(plan.toMap());
            m.put("config", configMap(other));
            m.put("from_log", FromLogReport.toMap(fl));
            w.println(toJson(m));
        } else {
            FromLogReport.print(w, fl);
            w.println();
            w.println("Planned from the measured terms:");
            printPlan(w, other, plan);
        }
        w.flush();
        return plan.fits() ? 0 : Errors.FAILURE;
    }

    private int surface() throws IOException {
        ServeOptions.SurfaceAxes axes = serve.surfaceAxes();
        ServeFlags fixed = serve.surfaceBaseFlags(model.name);
        FromLog fl = serve.hasLog() ? serve.fromLog(model.name) : null;
        if (fl != null) fixed = fl.log().flags().overriddenBy(fixed).overriddenBy(fl.setup().model().name() == null
                ? ServeFlags.NONE : new ServeFlags(fl.setup().model().name(), null, null, null, null, null, null, null,
                null, null, null, null, null));
        if (fixed.model() == null) throw new IllegalArgumentException("--model must be given (catalog name or config.json path)");
        ModelSpec checkpoint = ModelSpec.resolve(fixed.model());
        ModelSpec modelSpec = checkpoint.withQuantization(Quantization.fromFlag(fixed.quantization(), checkpoint.quantization()));
        GpuSpec gpu = fl != null ? fl.setup().gpu() : serve.gpuSpec();
        List<Surface.Cell> cells = Surface.compute(modelSpec, gpu, fixed, fl != null ? fl.log().version() : serve.version(),
                fl != null ? fl.setup().measured() : TermOffsets.NONE, axes.maxModelLens(), axes.maxNumSeqs(),
                axes.gpuMemoryUtilizations(), axes.maxNumBatchedTokens());
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%-14s %-12s %-7s %-13s %-30s %12s %12s%n", "max_model_len", "max_num_seqs", "util",
                "batched_tok", "verdict", "kv_tokens", "concurrency");
        for (Surface.Cell c : cells) {
            MemoryPlan p = c.plan();
            w.printf(Locale.ROOT, "%-14d %-12d %-7.2f %-13d %-30s %12s %12s%n", c.serve().maxModelLen(),
                    c.serve().maxNumSeqs(), c.serve().gpuMemoryUtilization(), c.serve().maxNumBatchedTokens(),
                    c.verdict(), p.kvSized() ? String.format(Locale.US, "%,d", p.kvCacheTokens()) : "-",
                    p.kvSized() ? String.format(Locale.ROOT, "%.2fx", p.maxConcurrency()) : "-");
        }
        Files.createDirectories(out);
        SurfaceCsv.write(out.resolve("surface.csv"), cells);
        SurfaceHeatmap.write(out, "surface", modelSpec.name() + " on " + gpu.deviceName() + " — max concurrency", cells);
        w.println("wrote " + out.resolve("surface.csv") + ", surface.png, surface.svg");
        w.flush();
        return 0;
    }

    private static Map<String, Object> configMap(ServingSetup setup) {
        ServeConfig s = setup.serve();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", setup.model().name());
        m.put("gpu", setup.gpu().gpu().id());
        m.put("gpu_memory_gib", setup.gpu().totalMemoryGib());
        m.put("vllm_version", s.vllmVersion().toString());
        m.putAll(s.knobs());
        m.put("block_size", s.blockSize());
        m.put("dtype", s.dtype().name().toLowerCase(Locale.ROOT));
        m.put("kv_cache_dtype", s.kvCacheDtype());
        m.put("enforce_eager", s.enforceEager());
        m.put("tensor_parallel_size", s.tensorParallelSize());
        return m;
    }

    private static String toJson(Map<String, Object> m) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
