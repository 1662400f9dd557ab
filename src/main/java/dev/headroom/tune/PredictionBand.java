package dev.headroom.tune;

import dev.headroom.pipeline.LoadPoint;
import dev.headroom.plan.PredictionBands;
import dev.headroom.plan.PredictionBands.Metric;
import dev.headroom.spec.GpuSpec;

/**
 * The half-width of a candidate's predicted band, in percent of its predicted figure: the simulator's fidelity error
 * in the candidate's regime. Candidates whose bands overlap the winner's are contenders.
 */
@FunctionalInterface
public interface PredictionBand {

    /** Percent of the predicted figure, at least 0. */
    double percent(Candidate candidate);

    /**
     * The published held-out error ({@link PredictionBands}) of the metric the objective ranks by, in the
     * candidate's regime: its GPU in the error corpus or not, its model's size class, under load. The median error,
     * not the P90: it is the typical miss of one prediction, and the search compares predictions of one model on
     * one GPU, whose common error shifts every candidate alike.
     *
     * A latency objective ranks by the load meeting an end-to-end latency SLO, so it takes the E2E error; a
     * throughput objective the throughput error.
     */
    static PredictionBand published(PredictionBands bands, TuneObjective objective, GpuSpec gpu, LoadPoint base) {
        Metric metric = objective.latency() ? Metric.E2E : Metric.THROUGHPUT;
        double in = base.inputLengths() == null ? Double.NaN : base.inputLengths().mean();
        double out = base.outputLengths() == null ? Double.NaN : base.outputLengths().mean();
        return candidate -> bands.band(metric, new PredictionBands.Run(gpu.gpu().id(),
                        candidate.setup().model().parameterCount() / 1e9, 2, in, out,
                        candidate.setup().model().quantization(), candidate.setup().serve().tensorParallelSize()))
                .orElseThrow(() -> new IllegalStateException("headroom's published prediction errors hold no "
                        + metric.key() + " band (" + PredictionBands.RESOURCE + ")"))
                .cell().medianAbsPct();
    }
}
