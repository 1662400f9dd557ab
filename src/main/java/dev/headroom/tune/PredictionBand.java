package dev.headroom.tune;

/**
 * The half-width of a candidate's predicted band, in percent of its predicted figure: the simulator's fidelity error
 * in the candidate's regime. Candidates whose bands overlap the winner's are contenders.
 */
@FunctionalInterface
public interface PredictionBand {

    /**
     * The temporary source: one band for every regime, 10%, the worst TPOT error of the regression corpus rounded up
     * ({@code band_percent} of the default calibration). It stands until the per-regime error table
     * ({@code plan/prediction-error.json}) is wired in.
     */
    PredictionBand CONSTANT = candidate -> 10.0;

    /** Percent of the predicted figure, at least 0. */
    double percent(Candidate candidate);
}
