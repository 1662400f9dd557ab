package dev.headroom.fleet;

import dev.headroom.sweep.SimSettings;
import dev.headroom.sweep.SweepFolder;
import dev.headroom.sweep.SweepLedger;

/**
 * One GPU class's part of a fleet study: its sweep folder ({@code <study>/<class>/}, laid out as a local sweep
 * on that GPU), the ledger of its configs, and the GPU the planner predicts for.
 */
record ClassSweep(GpuPool pool, SweepFolder folder, SweepLedger ledger, SimSettings sim) {}
