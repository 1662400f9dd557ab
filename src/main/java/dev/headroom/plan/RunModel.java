package dev.headroom.plan;

/**
 * A measured run as the simulator predicts it under a calibration, for {@code calibrate}'s fits: the engine's steps
 * and the API server in front of them, at the run's concurrency and mean lengths ({@code engine/OfflineMedians}).
 */
@FunctionalInterface
public interface RunModel {

    /** The run's simulated medians, milliseconds. */
    Medians medians(CalibrationPoint run, RooflineCalibration calibration);

    /**
     * @param tpotMs median time per output token after the first, milliseconds
     * @param ttftMs median time to first token as the client sees it, milliseconds
     */
    record Medians(double tpotMs, double ttftMs) {}
}
