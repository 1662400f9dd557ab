package dev.headroom.tune;

import dev.headroom.pipeline.LoadPoint;
import dev.headroom.pipeline.PointContext;
import dev.headroom.pipeline.PointTarget;
import dev.headroom.pipeline.SimulatedSetup;
import dev.headroom.plan.RooflineCalibration;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The search on the simulator's virtual clock. Exhaustive (every candidate at the full request count) when the
 * whole space runs within {@link #EXHAUSTIVE_SECONDS}, as estimated from the first candidate; else successive
 * halving: every candidate at a quarter of the requests and 3 loads, the best third again at half and 4 loads, the
 * best third of those at the full count and {@link #MAX_RUNS} loads, so the time goes to the configs that can win.
 */
public final class SimSearch {

    /** A space that runs in this many seconds or less is searched exhaustively. */
    static final double EXHAUSTIVE_SECONDS = 10;
    /** Load points per candidate at the full request count. */
    static final int MAX_RUNS = 6;
    /** Successive halving keeps this share of a rung (rounded up) for the next. */
    static final int KEEP_ONE_IN = 3;
    /** Each rung of successive halving runs this share of the requests: a quarter, a half, all. */
    private static final int[] RUNG_SHARES = {4, 2, 1};
    /** Each rung's load points per config. */
    private static final int[] RUNG_RUNS = {3, 4, MAX_RUNS};

    /** How the space was searched. */
    public enum Strategy {
        EXHAUSTIVE, SUCCESSIVE_HALVING, AUTO;

        String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Strategy parse(String text) {
            for (Strategy s : values()) if (s.key().equals(text.strip().toLowerCase(Locale.ROOT))) return s;
            throw new IllegalArgumentException("--search: '" + text + "' is not auto, exhaustive or successive-halving");
        }
    }

    /**
     * What the search found.
     *
     * @param strategy      exhaustive or successive halving, as run
     * @param why           why that strategy, with the estimate
     * @param scored        every candidate's figure from the last rung it reached
     * @param loadPoints    load points predicted in all
     * @param seconds       wall time of the search
     * @param perCandidate  every candidate's first-rung figure: the knob effects are read from these
     * @param firstRequests the requests a load of those first-rung figures
     */
    record Result(Strategy strategy, String why, List<Evaluated> scored, int loadPoints, double seconds,
                  Map<String, Figure> perCandidate, int firstRequests) {}

    /** A candidate's figure at the rung it last ran, and that rung's request count. */
    record Evaluated(Candidate candidate, Figure figure, int requests) {}

    private final LoadPoint base;
    private final TuneObjective objective;
    private final RooflineCalibration calibration;
    private final PointContext ctx;
    private final int requests;
    private final Consumer<String> progress;
    private int loadPoints;

    SimSearch(LoadPoint base, TuneObjective objective, RooflineCalibration calibration, PointContext ctx, int requests,
              Consumer<String> progress) {
        this.base = base;
        this.objective = objective;
        this.calibration = calibration;
        this.ctx = ctx;
        this.requests = requests;
        this.progress = progress;
    }

    Result run(List<Candidate> candidates, Strategy asked) throws IOException {
        long start = System.nanoTime();
        // The estimate runs the first config as the first rung of successive halving would, and scales its time up
        // to the full request count and load points; halving keeps that result as the config's first rung.
        Evaluated first = evaluate(candidates.get(0), rungRequests(0), RUNG_RUNS[0]);
        double scale = (double) requests / rungRequests(0) * MAX_RUNS / RUNG_RUNS[0];
        double estimate = (System.nanoTime() - start) / 1e9 * scale * candidates.size();
        Strategy strategy = asked != Strategy.AUTO ? asked
                : estimate <= EXHAUSTIVE_SECONDS ? Strategy.EXHAUSTIVE : Strategy.SUCCESSIVE_HALVING;
        String why = why(asked, strategy, candidates.size(), estimate);
        progress.accept(String.format(Locale.US, "search: %d configs, %s (%s)", candidates.size(), strategy.key(), why));
        Map<String, Figure> firstRung = new LinkedHashMap<>();
        List<Evaluated> scored = new ArrayList<>();
        if (strategy == Strategy.EXHAUSTIVE) {
            for (Candidate c : candidates) scored.add(evaluate(c, requests, MAX_RUNS));
            scored.forEach(e -> firstRung.put(e.candidate().label(), e.figure()));
        } else {
            scored = halving(candidates, first, firstRung);
        }
        return new Result(strategy, why, scored, loadPoints, (System.nanoTime() - start) / 1e9, firstRung,
                strategy == Strategy.EXHAUSTIVE ? requests : rungRequests(0));
    }

    /** The request count of rung {@code i}: a quarter, a half, then all of the requests (at least 10). */
    private int rungRequests(int i) {
        return Math.max(10, requests / RUNG_SHARES[i]);
    }

    /** Rungs at a quarter, half and all of the requests; each keeps the best third for the next. */
    private List<Evaluated> halving(List<Candidate> candidates, Evaluated first, Map<String, Figure> firstRung)
            throws IOException {
        Map<String, Evaluated> last = new LinkedHashMap<>();
        List<Candidate> rung = candidates;
        for (int i = 0; i < RUNG_SHARES.length && !rung.isEmpty(); i++) {
            int n = rungRequests(i);
            List<Evaluated> out = new ArrayList<>();
            for (Candidate c : rung) out.add(i == 0 && c == first.candidate() ? first : evaluate(c, n, RUNG_RUNS[i]));
            if (i == 0) out.forEach(e -> firstRung.put(e.candidate().label(), e.figure()));
            out.forEach(e -> last.put(e.candidate().label(), e));
            out.sort(Comparator.comparing(Evaluated::figure, Figure::better));
            progress.accept(String.format(Locale.US, "search: rung %d, %d configs at %d requests a load", i + 1, rung.size(), n));
            if (i < RUNG_SHARES.length - 1) {
                rung = out.subList(0, Math.max(1, (out.size() + KEEP_ONE_IN - 1) / KEEP_ONE_IN)).stream()
                        .map(Evaluated::candidate).toList();
            }
        }
        return new ArrayList<>(last.values());
    }

    private Evaluated evaluate(Candidate c, int n, int maxRuns) throws IOException {
        PointTarget target = new PointTarget.Predicted(c.setup(), calibration,
                SimulatedSetup.describe(c.setup(), "offline simulation (tune search)"));
        ConfigPoints points = new ConfigPoints(c, base, n, target, ctx.in(ctx.dir().resolve(c.label() + "-r" + n)), null);
        LoadSearch.Found found = LoadSearch.run(points, objective, List.of(startLoad(c)), maxRuns);
        loadPoints += found.points().size();
        return new Evaluated(c, found.figure(), n);
    }

    /** The first load: 8 for latency (a T4's chat limit lies near it), 16 for throughput, never above max_num_seqs' double. */
    private int startLoad(Candidate c) {
        int start = objective.latency() ? 8 : 16;
        return Math.min(start, 2 * c.setup().serve().maxNumSeqs());
    }

    private static String why(Strategy asked, Strategy chosen, int configs, double estimateSeconds) {
        String est = String.format(Locale.US, "%d configs at the full request count would take about %.0f s offline, "
                + "scaled from the first config's time", configs, estimateSeconds);
        if (asked != Strategy.AUTO) return "--search " + asked.key() + "; " + est;
        return chosen == Strategy.EXHAUSTIVE
                ? est + ", within " + (int) EXHAUSTIVE_SECONDS + " s, so every config ran"
                : est + ", over " + (int) EXHAUSTIVE_SECONDS + " s, so successive halving spent it on the best third of each rung";
    }
}
