package dev.headroom.report;

import dev.headroom.results.ConfigRow;
import dev.headroom.results.ServedConfig;
import dev.headroom.spec.ModelSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One playbook recipe: a workload on a GPU class and the curve its numbers come from (one with a load the client
 * delivered over one without; measured over predicted; among server configs, the one whose recommended load gives
 * the most throughput).
 */
public record Recipe(String workload, GpuClass gpu, Curve curve, List<Curve> alternatives) {


    /** One recipe per (workload, GPU class) of the study, ordered by workload, then GPU memory. */
    public static List<Recipe> of(Study study) {
        Map<String, List<Curve>> groups = new LinkedHashMap<>();
        for (Curve c : study.curves()) {
            if (!c.points().isEmpty()) groups.computeIfAbsent(c.workload() + "|" + c.gpuClass().label(), k -> new ArrayList<>()).add(c);
        }
        List<Recipe> out = new ArrayList<>();
        for (List<Curve> curves : groups.values()) {
            // A curve whose loads the client delivered none of holds no evidence about the server: its twin speaks instead.
            Curve pick = curves.stream().max(Comparator.comparing((Curve c) -> c.points().stream().anyMatch(c.judge()::delivered))
                    .thenComparing(c -> !c.predicted())
                    .thenComparing(c -> c.verdict() != null && c.verdict().recommendation() != null)
                    .thenComparingDouble(c -> c.verdict() != null && c.verdict().recommendation() != null
                            ? c.verdict().recommendation().point().outputThroughput() : 0)
                    .thenComparing(c -> c.config().equals("default"))).orElseThrow();
            // A config of a config sweep (a tuning knob: a few loads, one setting moved) replaces the study's own sweep
            // of the workload and GPU only when it serves clearly more: within the tuning study's no-difference
            // margin, the sweep that ran every load speaks.
            Curve recipe = pick.sweep().configs().size() <= 1 ? pick : curves.stream()
                    .filter(c -> c.sweep().configs().size() <= 1 && c.predicted() == pick.predicted()
                            && recommended(c) >= (1 - KnobSweep.NO_DIFFERENCE) * recommended(pick))
                    .max(Comparator.comparingDouble(Recipe::recommended)).orElse(pick);
            out.add(new Recipe(recipe.workload(), recipe.gpuClass(), recipe, curves));
        }
        out.sort(Comparator.comparing(Recipe::workload).thenComparingInt(r -> r.gpu().memoryGb()));
        return out;
    }

    /** The output throughput at the curve's recommended load, or 0 when it recommends none. */
    private static double recommended(Curve c) {
        return c.verdict() == null || c.verdict().recommendation() == null ? 0 : c.verdict().recommendation().point().outputThroughput();
    }

    /** "Chat", "Batch summarization", or the workload's own name. */
    public String workloadTitle() {
        return switch (workload) {
            case "chat" -> "Chat";
            case "summarize" -> "Batch summarization";
            default -> workload.substring(0, 1).toUpperCase(Locale.ROOT) + workload.substring(1);
        };
    }

    /** What the workload stands for, as the lab playbook describes it. */
    public String useCase() {
        return switch (workload) {
            case "chat" -> "Interactive chat, customer support, low-latency Q&A.";
            case "summarize" -> "Document summarization, offline processing, batch analytics.";
            default -> "The `" + workload + "` workload as swept.";
        };
    }

    /** The served config: the first point's server columns. */
    public ServedConfig serve() {
        return curve.points().get(0).first().served();
    }

    /** The Hugging Face id of a catalog model ({@code qwen2.5-1.5b-instruct} → {@code Qwen/Qwen2.5-1.5B-Instruct}). */
    public String modelId() {
        return ModelSpec.huggingFaceId(curve.model());
    }

    /** The concurrency (or rate) to run at: analysis.json's recommended load by the workload's objective, when it has one. */
    public OperatingPoint recommended() {
        Verdict v = curve.verdict();
        return v == null || v.recommendation() == null ? null : v.recommendation().point();
    }
}
