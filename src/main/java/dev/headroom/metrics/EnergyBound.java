package dev.headroom.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The energy estimate of a predicted point: every GPU drawing its full board power (TDP) for the whole predicted
 * window. Real GPUs draw less, most of all when lightly loaded, so this is an upper bound, not a power model.
 */
public final class EnergyBound {

    /** summary.json's {@code energy_basis} of a predicted point, in the words reports quote. */
    public static final String BASIS = "estimated at full board power, an upper bound";

    private EnergyBound() {}

    /**
     * summary.json's keys: {@code gpu_board_power_w} (all GPUs), {@code energy_per_output_token_j_upper_bound}
     * (joules: board power × window / output tokens; null without output tokens) and {@code energy_basis}.
     *
     * @param boardPowerW   one GPU's board power, watts
     * @param gpus          GPUs serving (tensor parallel size)
     * @param windowSeconds the predicted window's duration
     * @param outputTokens  output tokens completed in it
     */
    public static Map<String, Object> toMap(double boardPowerW, int gpus, double windowSeconds, long outputTokens) {
        double watts = boardPowerW * gpus;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gpu_board_power_w", watts);
        m.put("energy_per_output_token_j_upper_bound", outputTokens > 0 ? watts * windowSeconds / outputTokens : null);
        m.put("energy_basis", BASIS);
        return m;
    }
}
