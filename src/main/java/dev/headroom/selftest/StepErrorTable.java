package dev.headroom.selftest;

import dev.headroom.plan.RooflineCalibration;
import dev.headroom.plan.StepBasis;
import dev.headroom.selftest.StepFidelity.Column;
import dev.headroom.selftest.StepFidelity.Evaluation;
import dev.headroom.selftest.StepFidelity.Percentiles;
import dev.headroom.selftest.StepFidelity.Result;
import dev.headroom.selftest.StepFidelity.Scheme;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Prints the step-time model's held-out error table in the layout BLIS publishes: median / P90 of |error| of E2E,
 * TTFT (the source's statistic, P90, P99), ITL/TPOT and throughput, per held-out scheme, then by GPU and by model
 * size, each beside the roofline; and the planner's KV-token error on the regression corpus's start-ups.
 */
final class StepErrorTable {

    private static final String CELL = " %13s";

    private StepErrorTable() {}

    static void print(PrintStream out, Evaluation e, List<Fidelity.Outcome> kv) {
        e.skipped().forEach((id, why) -> out.printf(Locale.ROOT, "step corpus: %s left out: %s%n", id, why));
        out.printf(Locale.ROOT, "%nstep-time model: %d points, %d models, %d GPUs; terms kept by leave-one-model-out error:%n",
                e.points().size(), e.points().stream().map(StepCorpus::model).distinct().count(),
                e.points().stream().map(StepCorpus::gpu).distinct().count());
        for (StepBasis t : e.terms()) out.printf(Locale.ROOT, "  %-24s %10.4g %s%n", t.label(), e.all().of(t), t.unit());
        RooflineCalibration fit = e.rooflineFit();
        RooflineCalibration hand = RooflineCalibration.HAND_SET;
        out.printf(Locale.ROOT, "roofline fitted on every point: achieved tensor rate mfu %.2f (hand-set: %.2f), 8-bit GEMMs"
                + " %.2f, engine-core CPU %.0f us per scheduled request (hand-set: %.0f), per-layer floor %.1f k cycles"
                + " (hand-set: %.1f, 64 us on the L4's clock), bandwidth efficiency mbu %.2f (hand-set: %.2f)%n",
                fit.mfu(), hand.mfu(), fit.mfu8Bit(), fit.perSeqOverheadUs(), hand.perSeqOverheadUs(),
                fit.layerFloorCycles() / 1e3, hand.layerFloorCycles() / 1e3, fit.mbu(), hand.mbu());
        out.printf(Locale.ROOT, "%nheld-out |error| of the simulator's predictions, median / P90 (%%)%n");
        header(out);
        for (Scheme s : Scheme.values()) {
            line(out, s.label, e.fitted().get(s), p -> true);
            line(out, e.rooflineFrontEnd().get(s).label(), e.rooflineFrontEnd().get(s), p -> true);
        }
        line(out, e.roofline().label(), e.roofline(), p -> true);
        out.printf(Locale.ROOT, "the engine uses %s%n", e.fittedBeatsRoofline()
                ? "the fitted model (its held-out E2E error beats the roofline's)"
                : "the roofline's steps and the fitted API server (the fitted model's held-out E2E error does not beat it)");
        List<String> dropped = e.points().stream().filter(p -> p.ttftMs().isPresent() && !p.ttftPhysicallyPossible())
                .map(StepCorpus::id).toList();
        if (!dropped.isEmpty()) {
            out.printf(Locale.ROOT, "TTFT kept out (below the prompt's prefill arithmetic at peak FLOP/s): %s%n",
                    String.join(", ", dropped));
        }
        out.printf(Locale.ROOT, "%nby GPU and by model size: fitted model and roofline + API server (leave one model out),"
                + " roofline as it was%n");
        header(out);
        e.points().stream().map(StepCorpus::gpu).distinct().forEach(g -> group(out, e, g.id(), p -> p.gpu() == g));
        for (String size : List.of("<2B", "2-10B", ">10B")) group(out, e, size, p -> StepFidelity.size(p).equals(size));
        Percentiles k = kvTokens(kv);
        out.printf(Locale.ROOT, "%nKV tokens (planner, nothing fitted; regression corpus start-ups): %d points, %s%n",
                k.points(), StepFidelity.format(k));
        out.printf(Locale.ROOT, "computed in %.1f s (%d simulations)%n", e.elapsedNanos() / 1e9,
                e.points().size() * (2 * Scheme.values().length + 1));
    }

    private static void group(PrintStream out, Evaluation e, String label, Predicate<StepCorpus> which) {
        line(out, "  " + label, e.fitted().get(Scheme.MODEL), which);
        line(out, "    roofline + API", e.rooflineFrontEnd().get(Scheme.MODEL), which);
        line(out, "    roofline as was", e.roofline(), which);
    }

    /** |error| percentiles of the planner's KV-token predictions. */
    static Percentiles kvTokens(List<Fidelity.Outcome> kv) {
        double[] abs = kv.stream().filter(o -> o.c().kind() == FidelityCase.Kind.KV_TOKENS)
                .mapToDouble(o -> Math.abs(o.errorPercent())).sorted().toArray();
        return new Percentiles(abs.length, SimulatedPoint.percentile(abs, 50), SimulatedPoint.percentile(abs, 90));
    }

    private static void header(PrintStream out) {
        out.printf(Locale.ROOT, "%-22s", "");
        for (Column c : Column.values()) out.printf(Locale.ROOT, CELL, c.label);
        out.println();
    }

    private static void line(PrintStream out, String label, Result r, Predicate<StepCorpus> which) {
        out.printf(Locale.ROOT, "%-22s", label);
        for (Column c : Column.values()) out.printf(Locale.ROOT, CELL, StepFidelity.format(r.of(c, which)));
        out.println();
    }
}
