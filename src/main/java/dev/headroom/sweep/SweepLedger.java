package dev.headroom.sweep;

import java.io.IOException;
import java.util.List;

/**
 * A sweep folder as a config sweep's ledger: outcomes go to configs.csv and sweep.json; on {@code --resume} a
 * config whose points all finished before (or were skipped by its ramp's early stop) counts as finished, and its
 * points leave the progress estimate (as do those of a config that failed to start).
 */
public final class SweepLedger implements ConfigSweep.Ledger {

    private final SweepFolder folder;
    private final GridSpec grid;
    private final SweepProgress progress;

    public SweepLedger(SweepFolder folder, GridSpec grid, SweepProgress progress) {
        this.folder = folder;
        this.grid = grid;
        this.progress = progress;
    }

    @Override
    public boolean finished(ServeVariant variant) {
        List<GridPoint> points = grid.points(variant.label());
        if (!folder.allFinished(points)) return false;
        List<GridPoint> done = points.stream().filter(p -> folder.finished(p.dir())).toList();
        progress.skipped(done, true);
        progress.skipped(points.stream().filter(p -> !done.contains(p)).toList(), false);
        return true;
    }

    @Override
    public void record(ConfigOutcome outcome) throws IOException {
        folder.recordConfig(outcome);
        if (outcome.status() == ConfigOutcome.Status.FAILED_TO_START) progress.skipped(grid.points(outcome.config()), false);
    }
}
