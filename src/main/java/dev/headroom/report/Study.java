package dev.headroom.report;

import dev.headroom.analysis.Analysis.JudgedLoads;
import dev.headroom.analysis.Judge;
import dev.headroom.analysis.LoadPoint;
import dev.headroom.metrics.PointErrors;
import dev.headroom.results.Point;
import dev.headroom.results.RunInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every curve of the given results folders, grouped as {@code analyze} groups them (analysis's grouping over all
 * folders at once, so report and analyze give the same groups) and judged by analyze's {@link Judge}.
 */
public record Study(List<SweepResults> sweeps, List<Curve> curves) {

    public Study {
        sweeps = List.copyOf(sweeps);
        curves = List.copyOf(curves);
    }

    /**
     * Groups the folders' points into curves and attaches analysis.json's verdicts. A curve with a verdict is judged
     * by the SLO and error ceiling that verdict was reached with; one without, by the SLO analyze would choose.
     */
    public static Study of(List<SweepResults> sweeps) throws IOException {
        List<Point> points = new ArrayList<>();
        for (SweepResults s : sweeps) points.addAll(s.points());
        List<Curve> curves = new ArrayList<>();
        for (JudgedLoads g : dev.headroom.analysis.Analysis.judgedLoads(points, null, PointErrors.DEFAULT_MAX_ERROR_RATE)) {
            if (!g.loads().isEmpty()) curves.add(curve(g, sweeps));
        }
        return new Study(sweeps, curves);
    }

    private static Curve curve(JudgedLoads g, List<SweepResults> sweeps) throws IOException {
        SweepResults home = origin(g.loads().get(0).first(), sweeps);
        Verdict verdict = home.analysisIfAny().flatMap(a -> a.verdict(g.key()))
                .or(() -> sweeps.stream().flatMap(o -> o.analysisIfAny().stream())
                        .flatMap(a -> a.verdict(g.key()).stream()).findFirst())
                .orElse(null);
        Judge judge = verdict == null ? g.judge() : verdict.judge(g.judge());
        List<LoadPoint> usable = new ArrayList<>();
        List<LoadPoint> unusable = new ArrayList<>();
        for (LoadPoint p : g.loads()) (p.broken() || p.mean("output_throughput") == null ? unusable : usable).add(p);
        boolean simulated = !g.key().predicted() && !usable.isEmpty() && usable.get(0).first().dir() != null
                && RunInfo.read(usable.get(0).first().dir()).simulated();
        return new Curve(home, g.key(), simulated, judge, usable, unusable, verdict);
    }

    /** The folder a point was read from. */
    private static SweepResults origin(Point p, List<SweepResults> sweeps) {
        return sweeps.stream().filter(s -> s.points().contains(p)).findFirst().orElse(sweeps.get(0));
    }

    /**
     * The curves the charts and the life of a request draw: every curve of a folder that ran one server config, and
     * of a config sweep (a serve grid, the tuning study's knobs) only a recipe's curve and its twins with the same
     * settings. The other configs are compared, by number, in the tuning study and the server-configs table: one
     * line or panel per config would bury the answer.
     */
    public List<Curve> charted() {
        List<Recipe> recipes = Recipe.of(this);
        return curves.stream().filter(c -> c.sweep().configs().size() <= 1 || recipes.stream().anyMatch(r -> r.curve() == c
                || r.workload().equals(c.workload()) && r.gpu().equals(c.gpuClass()) && !c.points().isEmpty()
                && Handover.hash(r.serve()).equals(Handover.hash(c.points().get(0).first().served())))).toList();
    }

    /** One sentence for a section that draws {@link #charted()}: how many curves it leaves to the tables, or "". */
    public String notCharted() {
        int left = curves.size() - charted().size();
        return left == 0 ? "" : left + " curve" + (left == 1 ? "" : "s") + " of other server configs in config sweeps "
                + (left == 1 ? "is" : "are") + " not drawn here: the tuning study and the server-configs table compare them.";
    }

    /** Charted curves that differ only in measured or predicted, in first-seen order, the measured one first. */
    public Map<String, List<Curve>> chartedPanels() {
        List<Curve> drawn = charted();
        Map<String, List<Curve>> out = new LinkedHashMap<>();
        panels().forEach((k, v) -> {
            List<Curve> mine = v.stream().filter(drawn::contains).toList();
            if (!mine.isEmpty()) out.put(k, new ArrayList<>(mine));
        });
        return out;
    }

    /** Curves that differ only in measured or predicted, in first-seen order, the measured one first. */
    public Map<String, List<Curve>> panels() {
        Map<String, List<Curve>> out = new LinkedHashMap<>();
        for (Curve c : curves) out.computeIfAbsent(c.panel(), k -> new ArrayList<>()).add(c);
        out.values().forEach(list -> list.sort(Comparator.comparing(Curve::predicted)));
        return out;
    }

    /**
     * The sweeps without analysis.json that hold a point no verdict judges: a folder of repeats analyzed together
     * with another folder (the demo's repeated recommended point) is judged by that folder's analysis.
     */
    public List<SweepResults> unanalyzed() {
        return sweeps.stream().filter(s -> s.analysisIfAny().isEmpty()).filter(s -> s.points().stream()
                .anyMatch(p -> curves.stream().noneMatch(c -> c.verdict() != null && c.key().equals(p.group())))).toList();
    }
}
