package dev.headroom.plan;

import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ModelSpec;
import dev.headroom.spec.ServeConfig;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.TermOffsets;
import dev.headroom.spec.VllmVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * The OOM surface: the planner over a grid of {@code max_model_len × max_num_seqs × gpu_memory_utilization ×
 * max_num_batched_tokens}. An empty axis keeps the base flags' value (or vLLM's default).
 */
public final class Surface {

    private Surface() {}

    /** One grid point and vLLM's verdict there. */
    public record Cell(ServeConfig serve, MemoryPlan plan) {

        /** "starts", or the reason vLLM refuses, in a few words. */
        public String verdict() {
            String e = plan.error();
            if (e == null) return "starts";
            if (e.startsWith("No available memory")) return "no memory for KV cache";
            if (e.startsWith("CUDA out of memory")) return "weights exceed the GPU";
            if (e.startsWith("To serve") || e.startsWith("The model's max seq len")) return "max len over KV capacity";
            if (e.startsWith("Free memory")) return "utilization above free memory";
            if (e.startsWith("User-specified max_model_len")) return "max len above model limit";
            if (e.startsWith("max_num_batched_tokens")) return "batched tokens too small";
            if (e.startsWith("Bfloat16")) return "bf16 unsupported";
            return "refused";
        }
    }

    /** Plans every cell; the model and GPU are resolved once, so a 10×10×5 grid takes milliseconds. */
    public static List<Cell> compute(ModelSpec model, GpuSpec gpu, ServeFlags base, VllmVersion version,
                                     List<Integer> maxModelLens, List<Integer> maxNumSeqs,
                                     List<Double> utilizations, List<Integer> maxNumBatchedTokens) {
        return compute(model, gpu, base, version, TermOffsets.NONE, maxModelLens, maxNumSeqs, utilizations,
                maxNumBatchedTokens);
    }

    /** Plans every cell from measured memory terms (a start-up log's offsets, see FromLog). */
    public static List<Cell> compute(ModelSpec model, GpuSpec gpu, ServeFlags base, VllmVersion version,
                                     TermOffsets measured, List<Integer> maxModelLens, List<Integer> maxNumSeqs,
                                     List<Double> utilizations, List<Integer> maxNumBatchedTokens) {
        List<Cell> cells = new ArrayList<>();
        for (Integer mnbt : orBase(maxNumBatchedTokens, base.maxNumBatchedTokens())) {
            for (Double util : orBase(utilizations, base.gpuMemoryUtilization())) {
                for (Integer seqs : orBase(maxNumSeqs, base.maxNumSeqs())) {
                    for (Integer len : orBase(maxModelLens, base.maxModelLen())) {
                        ServeFlags f = base.overriddenBy(new ServeFlags(null, util, len, seqs, mnbt, null, null, null,
                                null, null, null, null, null));
                        ServeConfig serve = ServeConfig.resolve(f, model, gpu, version);
                        cells.add(new Cell(serve, Planner.plan(new ServingSetup(model, gpu, serve, measured))));
                    }
                }
            }
        }
        return cells;
    }

    private static <T> List<T> orBase(List<T> axis, T base) {
        if (!axis.isEmpty()) return axis;
        List<T> one = new ArrayList<>();
        one.add(base);
        return one;
    }
}
