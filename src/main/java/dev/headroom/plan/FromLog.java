package dev.headroom.plan;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ModelSpec;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.TermOffsets;
import dev.headroom.spec.Units;
import java.util.ArrayList;
import java.util.List;

/**
 * A real start-up as the planner's starting point ({@code plan --from-log}): the configuration the log shows, the
 * planner's derivation of it term by term against what the log measured, and the offsets (measured − derived)
 * that make any other configuration of the same model on the same GPU start from the measured terms.
 *
 * @param log       what the log says
 * @param setup     the logged configuration, with the measured offsets
 * @param derived   the planner's own plan of the logged configuration (no offsets)
 * @param measured  the plan of the logged configuration from the measured terms
 */
public record FromLog(StartupLog log, ServingSetup setup, MemoryPlan derived, MemoryPlan measured) {

    /** Rounding of the GiB figures vLLM logs ({@code %.2f}). */
    private static final double LOGGED_GIB_ROUNDING = 0.005;

    /** One memory term: what the log says (null when it does not), what the planner derives. */
    public record Term(String name, Double loggedGib, double derivedGib) {}

    /**
     * Reads the log's configuration. {@code model} (a catalog name or config.json) is needed when the log's model
     * is a local path headroom does not know; {@code gpu} and {@code totalGib} when the log does not state the
     * device memory.
     */
    public static FromLog of(StartupLog log, String model, Gpu gpu, Double totalGib) {
        ServeFlags flags = log.flags().overriddenBy(new ServeFlags(model != null ? model : knownModel(log.model()),
                null, null, null, null, null, null, null, null, null, null, null, null));
        ServingSetup base = ServingSetup.resolve(flags, gpuSpec(log, gpu, totalGib), log.version());
        MemoryPlan derived = Planner.plan(base);
        ServingSetup measured = base.withMeasured(offsets(log, base, derived));
        return new FromLog(log, measured, derived, Planner.plan(measured));
    }

    /** The same model on the same GPU under other flags, starting from the measured terms. */
    public ServingSetup other(ServeFlags changes) {
        ServeFlags flags = log.flags().overriddenBy(changes).overriddenBy(new ServeFlags(setup.model().name(), null,
                null, null, null, null, null, null, null, null, null, null, null));
        return ServingSetup.resolve(flags, setup.gpu(), log.version()).withMeasured(setup.measured());
    }

    /** The terms, logged against derived, in vLLM's order. */
    public List<Term> terms() {
        List<Term> t = new ArrayList<>();
        t.add(new Term("total memory", log.totalGib(), derived.totalGib()));
        t.add(new Term("weights", log.weightsGib(), derived.weightsGib()));
        t.add(new Term("activation peak", log.activationGib(), derived.activationPeakGib()));
        t.add(new Term("non-torch", log.nonTorchGib(), derived.nonTorchGib()));
        t.add(new Term("CUDA graphs", log.cudaGraphGib(), derived.cudaGraphGib()));
        t.add(new Term("KV cache", loggedKvGib(), derived.kvCacheGib()));
        return t;
    }

    /**
     * The KV tokens the logged KV GiB allows, lowest and highest within its rounding; a log whose own KV tokens
     * fall inside is reproduced. Null when the log gives no KV GiB.
     */
    public long[] kvTokensWithinRounding() {
        if (log.kvCacheGib() == null) return null;
        KvCacheLayout layout = KvCacheLayout.of(setup);
        long lo = layout.numBlocks(Math.round((log.kvCacheGib() - LOGGED_GIB_ROUNDING) * Units.GIB));
        long hi = layout.numBlocks(Math.round((log.kvCacheGib() + LOGGED_GIB_ROUNDING) * Units.GIB));
        return new long[] {lo * layout.blockSize(), hi * layout.blockSize()};
    }

    /** True when the log's own KV tokens follow from its logged KV GiB (null when the log lacks either). */
    public Boolean reproducesLoggedTokens() {
        long[] range = kvTokensWithinRounding();
        if (range == null || log.kvTokens() == null) return null;
        return log.kvTokens() >= range[0] && log.kvTokens() <= range[1];
    }

    private Double loggedKvGib() {
        return loggedKvGib(log, setup);
    }

    /**
     * The KV cache memory the log shows: its blocks × bytes per block when it logs tokens (or blocks) that its GiB
     * figure allows, so the plan lands on exactly that block count; else the logged GiB.
     */
    private static Double loggedKvGib(StartupLog log, ServingSetup setup) {
        KvCacheLayout layout = KvCacheLayout.of(setup);
        Double fromTokens = log.kvTokens() == null ? null
                : Units.gib((double) log.kvTokens() / layout.blockSize() * layout.bytesPerBlock());
        if (log.kvCacheGib() == null) return fromTokens;
        boolean consistent = fromTokens != null && Math.abs(fromTokens - log.kvCacheGib()) <= LOGGED_GIB_ROUNDING;
        return consistent ? fromTokens : log.kvCacheGib();
    }

    /**
     * Measured − derived for each term the log gives; what the log does not itemize (the rest of its non-KV memory,
     * from the KV cache it got) goes to the activation peak when the log does not give it, else to non-torch, so the
     * logged configuration plans to exactly the logged KV cache.
     */
    private static TermOffsets offsets(StartupLog log, ServingSetup base, MemoryPlan d) {
        boolean graphsIn = d.graphsInBudget();
        long w = diff(log.weightsGib(), d.weightsGib());
        long a = diff(log.activationGib(), d.activationPeakGib());
        long nt = diff(log.nonTorchGib(), d.nonTorchGib());
        long g = graphsIn ? diff(log.cudaGraphGib(), d.cudaGraphGib()) : 0;
        Double kvGib = loggedKvGib(log, base);
        if (kvGib != null) {
            double nonKv = d.weightsGib() + d.activationPeakGib() + d.nonTorchGib() + (graphsIn ? d.cudaGraphGib() : 0);
            long rest = Math.round((d.requestedGib() - kvGib - nonKv) * Units.GIB) - w - a - nt - g;
            if (log.activationGib() == null) a += rest;
            else nt += rest;
        }
        return new TermOffsets(w, a, nt, g);
    }

    private static long diff(Double loggedGib, double derivedGib) {
        return loggedGib == null ? 0 : Math.round((loggedGib - derivedGib) * Units.GIB);
    }

    private static GpuSpec gpuSpec(StartupLog log, Gpu gpu, Double totalGib) {
        Double total = totalGib != null ? totalGib : log.totalGib();
        if (gpu == null && total == null) {
            throw new IllegalArgumentException("--from-log: the log does not state the GPU's memory; give --gpu "
                    + "(or --gpu-memory-gib)");
        }
        Gpu g = gpu != null ? gpu : Gpu.nearest(total);
        return total == null ? GpuSpec.of(g) : new GpuSpec(g, total);
    }

    /** The log's model if headroom knows it (HF id, catalog name, or a path ending in one); null otherwise. */
    private static String knownModel(String logged) {
        if (logged == null) return null;
        String base = logged.replaceAll("/+$", "");
        base = base.substring(base.lastIndexOf('/') + 1);
        for (String candidate : new String[] {logged, base, base.replaceFirst("(?i)^meta-", "")}) {
            try {
                return ModelSpec.resolve(candidate).name();
            } catch (IllegalArgumentException notKnown) {
                // try the next spelling
            }
        }
        throw new IllegalArgumentException("--from-log: the log's model '" + logged + "' is not one headroom knows; "
                + "give --model (catalog name, HF id or config.json path)");
    }
}
