package dev.headroom.results;

import dev.headroom.spec.Gpu;
import dev.headroom.spec.ModelSpec;
import java.util.Objects;

/**
 * The points analysed together, the one grouping of {@code analyze} and {@code report}: keyed by everything that
 * makes two points incomparable. Two points of one group differ only in load and repeat.
 *
 * @param config    the server config's label
 * @param workload  the workload's name
 * @param gpu       the GPU's catalog id (a catalog GPU's device name, as a run folder records it, is read as its id),
 *                  or null when unknown (a server at --url without --server-gpu)
 * @param model     the served model (a catalog model's name is read as its Hugging Face id), or null when unknown
 * @param openLoop  whether the load axis is the request rate (an open loop) rather than the concurrency
 * @param rateCap   the concurrency cap of an open loop, or null (uncapped, or a closed loop)
 * @param predicted whether the simulator's offline runner predicted the points rather than a server measured them
 */
public record GroupKey(String config, String workload, String gpu, String model, boolean openLoop, Integer rateCap,
                       boolean predicted) {

    public GroupKey {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(workload, "workload");
        if (!openLoop && rateCap != null) throw new IllegalArgumentException("a closed loop has no rate cap");
        gpu = Gpu.catalogId(gpu);
        model = ModelSpec.huggingFaceId(model);
    }

    /** The group of {@code p}. */
    public static GroupKey of(Point p) {
        boolean open = p.rate() != null;
        return new GroupKey(p.config(), p.workload(), p.gpu(), p.model(), open, open ? p.concurrency() : null,
                p.predicted());
    }

    /** The same points' measured ({@code false}) or predicted ({@code true}) twin: the pair a comparison joins. */
    public GroupKey withPredicted(boolean predictedTwin) {
        return new GroupKey(config, workload, gpu, model, openLoop, rateCap, predictedTwin);
    }

    /** {@code default · chat · measured}, {@code default · chat · rate, cap 8 · predicted}, for headings. */
    public String label() {
        String load = openLoop ? (rateCap == null ? " · rate" : " · rate, cap " + rateCap) : "";
        return config + " · " + workload + load + " · " + (predicted ? "predicted" : "measured");
    }
}
