package dev.headroom.tune;

import dev.headroom.pipeline.LoadPoint;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.VllmVersion;
import dev.headroom.sweep.ServerLauncher;
import java.util.Objects;

/**
 * Everything one tune needs.
 *
 * @param base        the load point (workload, lengths, seed, SLO, requests per load)
 * @param objective   what to maximize
 * @param space       the configs to search
 * @param model       the model, a catalog name or an HF config.json path
 * @param gpu         the GPU tuned for
 * @param version     the vLLM release whose defaults and arithmetic apply
 * @param calibration the step cost the search predicts with
 * @param strategy    {@code --search}
 * @param band        each candidate's predicted band
 * @param launcher    what starts a contender's server for confirmation, or null to confirm nothing
 * @param maxStarts   the most servers confirmation starts
 */
public record TuneSettings(LoadPoint base, TuneObjective objective, SearchSpace space, String model, GpuSpec gpu,
                           VllmVersion version, RooflineCalibration calibration, SimSearch.Strategy strategy,
                           PredictionBand band, ServerLauncher launcher, int maxStarts) {

    public TuneSettings {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(space, "space");
        if (maxStarts < 1) throw new IllegalArgumentException("--max-starts must be at least 1, was " + maxStarts);
    }

    /** The {@code --search} strategy named by {@code text}: auto, exhaustive or successive-halving. */
    public static SimSearch.Strategy strategy(String text) {
        return SimSearch.Strategy.parse(text);
    }
}
