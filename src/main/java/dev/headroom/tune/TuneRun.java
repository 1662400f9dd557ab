package dev.headroom.tune;

import dev.headroom.pipeline.PointContext;
import dev.headroom.pipeline.RunPoint;
import dev.headroom.results.CapacityCsv;
import dev.headroom.results.TuneJson;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code headroom tune}: prune the space with the planner, search it on the simulator, rank with each candidate's
 * band, confirm the contenders on started servers, choose by measurement, and write {@code tune.json}.
 */
public final class TuneRun {

    /** A brute-force grid runs this many loads per config: concurrency 1..128x2, as the demo's sweeps do. */
    static final int BRUTE_FORCE_LOADS = 8;
    /** The best-ranked configs tune.json lists beside the contenders, one per predicted figure. */
    static final int LISTED = 10;
    /** The chosen config as a {@code vllm serve --config} file, beside tune.json. */
    public static final String CHOSEN_YAML = "tuned.yaml";

    private TuneRun() {}

    /**
     * What came of a tune: tune.json's content and the line to print when no config meets the SLO.
     *
     * @param json    what tune.json holds (already written)
     * @param missing one line naming the closest config and its miss when no config meets the SLO, else null
     */
    public record Outcome(TuneJson json, String missing) {}

    /**
     * Runs the tune into {@code ctx.dir()}: search/ holds the predicted points, servers/ and points/ the confirmed.
     *
     * @throws IllegalArgumentException when no config of the space starts, with the planner's reason for the nearest
     */
    public static Outcome run(TuneSettings s, PointContext ctx, Consumer<String> progress) throws IOException {
        Pruning pruning = Pruning.of(s.space(), s.model(), s.gpu(), s.version());
        if (pruning.candidates().isEmpty()) throw new IllegalArgumentException(pruning.nothingStarts());
        progress.accept(String.format(Locale.US, "space: %d configs, %d refused by the planner, %d to search",
                s.space().size(), pruning.refused(), pruning.candidates().size()));
        SimSearch.Result search = new SimSearch(s.base(), s.objective(), s.calibration(),
                ctx.in(ctx.dir().resolve("search")), s.base().requests(), progress).run(pruning.candidates(), s.strategy());
        List<Ranked.Scored> scored = new ArrayList<>();
        for (SimSearch.Evaluated e : search.scored()) {
            scored.add(new Ranked.Scored(e.candidate(), e.figure(), e.requests(), s.band().percent(e.candidate())));
        }
        Ranked ranked = Ranked.of(scored, s.maxStarts());
        Confirmation.Result confirmed = s.launcher() == null ? null : confirm(s, ctx, progress, ranked);
        Confirmation.Confirmed measuredWinner = confirmed == null ? null : confirmed.winner();
        Ranked.Scored chosen = measuredWinner != null ? measuredWinner.contender() : ranked.ranked().get(0);
        Figure chosenFigure = measuredWinner != null ? measuredWinner.measured() : chosen.predicted();
        Map<String, Double> effects = KnobEffects.of(pruning.candidates(), search.perCandidate());
        List<String> unimportant = effects.entrySet().stream()
                .filter(e -> e.getValue() < KnobEffects.MATTERS_PERCENT).map(Map.Entry::getKey).toList();
        RunnerUp runnerUp = RunnerUp.of(chosen, ranked, confirmed, s.objective().unit());
        String slo = s.objective().describeSlo();
        TuneJson json = new TuneJson(s.base().workload(), chosen.candidate().setup().model().name(), s.gpu().gpu().id(),
                s.objective().choice().objective().key(), s.objective().unit(), slo, s.space().size(), pruning.refused(),
                search.strategy().key(), search.why(), search.loadPoints(), search.seconds(), effects, search.firstRequests(),
                unimportant,
                listed(ranked, confirmed), config(chosen, confirmed), measuredWinner != null ? "measurement" : "prediction",
                serveYaml(chosen.candidate()), runnerUp == null ? null : config(runnerUp.scored(), confirmed),
                runnerUp == null ? null : runnerUp.why(), chosenFigure.meets(),
                chosenFigure.meets() ? null : chosenFigure.missPercent(), cost(confirmed), bruteForce(s, confirmed));
        json.write(ctx.dir());
        Files.writeString(ctx.dir().resolve(CHOSEN_YAML), json.serveYaml());
        RunPoint.writeReports(ctx.dir());
        return new Outcome(json, chosenFigure.meets() ? null : missing(chosen, chosenFigure, s, slo));
    }

    private static Confirmation.Result confirm(TuneSettings s, PointContext ctx, Consumer<String> progress, Ranked ranked)
            throws IOException {
        Files.createDirectories(ctx.dir());
        try (CapacityCsv csv = CapacityCsv.create(ctx.dir().resolve("capacity.csv"), ctx.dir())) {
            return new Confirmation(s.launcher(), s.base(), s.objective(), ctx, s.base().requests(), progress, csv)
                    .run(ranked.contenders());
        }
    }

    private static List<TuneJson.Config> listed(Ranked ranked, Confirmation.Result confirmed) {
        Map<String, TuneJson.Config> out = new LinkedHashMap<>();
        for (Ranked.Scored c : ranked.contenders()) out.put(c.candidate().label(), config(c, confirmed));
        List<Ranked.Scored> shown = new ArrayList<>(ranked.contenders());
        // One config per predicted figure: the others predicted alike differ only in settings that do not matter.
        for (Ranked.Scored c : ranked.ranked()) {
            if (out.size() >= Math.max(LISTED, ranked.contenders().size())) break;
            // Figures of an earlier rung of successive halving (fewer requests a load) do not compare with the last's.
            if (c.requests() != ranked.ranked().get(0).requests()) break;
            if (shown.stream().anyMatch(x -> Ranked.same(x.predicted(), c.predicted()))) continue;
            shown.add(c);
            out.putIfAbsent(c.candidate().label(), config(c, confirmed));
        }
        return new ArrayList<>(out.values());
    }

    private static TuneJson.Config config(Ranked.Scored s, Confirmation.Result confirmed) {
        Confirmation.Confirmed c = confirmed == null ? null : confirmed.confirmed().stream()
                .filter(x -> x.contender().candidate().label().equals(s.candidate().label())).findFirst().orElse(null);
        return new TuneJson.Config(s.candidate().label(), s.candidate().values(), s.predicted().value(), s.bandPercent(),
                c == null || c.measured() == null ? null : c.measured().value(), c == null ? null : c.note());
    }

    private static TuneJson.Cost cost(Confirmation.Result confirmed) {
        if (confirmed == null) return null;
        return new TuneJson.Cost(confirmed.starts(), confirmed.loadPoints(), confirmed.serverSeconds() / 60, false);
    }

    /**
     * A grid of the whole space as a sweep would run it: every config started (the planner's refusals too: a grid
     * learns of them only by starting them), each at {@link #BRUTE_FORCE_LOADS} loads; its GPU time from the
     * confirmation's own mean start and mean load point, or unknown when nothing was started.
     */
    private static TuneJson.Cost bruteForce(TuneSettings s, Confirmation.Result confirmed) {
        int starts = s.space().size();
        int points = starts * BRUTE_FORCE_LOADS;
        Double minutes = confirmed == null || confirmed.starts() == 0 ? null
                : (starts * confirmed.meanStartSeconds() + points * confirmed.meanPointSeconds()) / 60;
        return new TuneJson.Cost(starts, points, minutes, true);
    }

    /** The chosen config as a {@code vllm serve --config} YAML: the model, then the knobs searched. */
    static String serveYaml(Candidate c) {
        StringBuilder b = new StringBuilder("model: " + c.setup().model().name() + "\n");
        c.values().forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
        return b.toString();
    }

    private static String missing(Ranked.Scored chosen, Figure f, TuneSettings s, String slo) {
        String what = s.objective().latency() ? "the SLO (" + slo + ")" : "the job's deadline";
        String by = f.missPercent() == null ? "" : String.format(Locale.US, " by %.0f%%", f.missPercent());
        return "no config of the space meets " + what + "; the closest, " + chosen.candidate().label() + " ("
                + chosen.candidate().describe() + "), misses it" + by
                + (s.objective().latency() ? " at concurrency 1" : "") + "; tune.json holds every config's figure";
    }
}
