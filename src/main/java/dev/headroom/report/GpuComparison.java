package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One GPU against another on the same workload, from each recipe's curve (a measured curve is replaced by its
 * predicted twin when the other GPU was only predicted, so both sides come from one source): throughput per GPU within
 * the SLO, cost per million output tokens there, and latency at the highest load both ran.
 */
final class GpuComparison {

    private GpuComparison() {}

    /** Appends one table and finding per workload run on two or more GPU classes; false when there is none. */
    static boolean section(Doc doc, Study study, Costs costs) {
        Map<String, List<Recipe>> byWorkload = new LinkedHashMap<>();
        for (Recipe r : Recipe.of(study)) {
            if (r.gpu().memoryGb() > 0 && !r.curve().byRate()) byWorkload.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r);
        }
        boolean any = false;
        for (List<Recipe> recipes : byWorkload.values()) {
            if (recipes.size() < 2) continue;
            if (!any) {
                doc.h3("One GPU against another");
                doc.p("Each workload on every GPU class it ran, from the same source on both sides. Prices are "
                        + (costs.userPrice() ? "the price given for the report" : "assumed on-demand list prices per GPU-hour, not quotes")
                        + "; cost per million output tokens is that price over the tokens produced in an hour at the load served.");
            }
            any = true;
            List<Curve> curves = sameSource(study, recipes);
            double load = commonTop(curves);
            List<List<String>> rows = new ArrayList<>();
            for (Curve c : curves) rows.add(row(c, load, costs));
            doc.p("**" + recipes.get(0).workloadTitle() + "**: " + finding(curves, load, costs));
            doc.table(List.of("GPU", "Source", "Recommended load", "Throughput there", "Peak throughput",
                    "Price per GPU-hour", "USD per 1M output tokens there",
                    "p95 E2E latency at " + loadText(curves, load), "p95 TTFT at " + loadText(curves, load)), rows);
        }
        return any;
    }

    /** The recipes' curves; where any is predicted, each measured one is replaced by its predicted twin if there is one. */
    private static List<Curve> sameSource(Study study, List<Recipe> recipes) {
        boolean anyPredicted = recipes.stream().anyMatch(r -> r.curve().predicted());
        List<Curve> out = new ArrayList<>();
        for (Recipe r : recipes) {
            Curve c = r.curve();
            if (anyPredicted && !c.predicted()) {
                c = study.curves().stream().filter(o -> o.key().equals(r.curve().key().withPredicted(true))).findFirst().orElse(c);
            }
            out.add(c);
        }
        return out;
    }

    /** The highest load every curve ran, NaN when they share none. */
    private static double commonTop(List<Curve> curves) {
        return curves.get(0).points().stream().mapToDouble(LoadPoint::load)
                .filter(l -> curves.stream().allMatch(c -> c.at(l).isPresent())).max().orElse(Double.NaN);
    }

    private static String loadText(List<Curve> curves, double load) {
        return Double.isNaN(load) ? "a common load (none)" : curves.get(0).loadText(load);
    }

    /** The load the recipe serves at, by its workload's objective (chat: the highest within the SLO; batch: the most throughput). */
    private static Optional<LoadPoint> recommended(Curve c) {
        return c.verdictIfAny().map(Verdict::recommendation).flatMap(r -> c.at(r.point().load()));
    }

    private static List<String> row(Curve c, double load, Costs costs) {
        Optional<LoadPoint> best = recommended(c);
        double price = costs.pricePerHour(c.gpuClass());
        Optional<LoadPoint> common = Double.isNaN(load) ? Optional.empty() : c.at(load);
        return List.of(c.gpuClass().label(), c.source(), best.map(p -> c.loadText(p.load())).orElse("none recommended"),
                best.map(p -> PredictionRanges.at(c, p).figure("output_throughput", p.num("output_throughput"), Fmt::tps))
                        .orElse("none recommended"),
                c.peak().map(p -> PredictionRanges.at(c, p).figure("output_throughput", p.num("output_throughput"), Fmt::tps)
                        + " at " + c.loadText(p.load())).orElse(Fmt.MISSING),
                Double.isNaN(price) ? "no price" : Fmt.usd(price),
                best.map(p -> Fmt.usd(Costs.perMillionTokens(price, p.num("output_throughput")))).orElse("none recommended"),
                common.map(p -> PredictionRanges.at(c, p).figure("p95_e2el_ms", p.num("p95_e2el_ms"), Fmt::ms)).orElse(Fmt.MISSING),
                common.map(p -> PredictionRanges.at(c, p).figure("p95_ttft_ms", p.num("p95_ttft_ms"), Fmt::ms)).orElse(Fmt.MISSING));
    }

    /** The largest GPU against the smallest: throughput at each one's recommended load, its cost, and latency at equal load. */
    private static String finding(List<Curve> curves, double load, Costs costs) {
        Curve small = curves.get(0);
        Curve big = curves.get(curves.size() - 1);
        Optional<LoadPoint> a = recommended(small);
        Optional<LoadPoint> b = recommended(big);
        StringBuilder s = new StringBuilder();
        if (a.isPresent() && b.isPresent()) {
            double ta = a.get().num("output_throughput");
            double tb = b.get().num("output_throughput");
            s.append("at the recommended loads (").append(big.loadText(b.get().load())).append(" and ")
                    .append(small.loadText(a.get().load())).append(") one ").append(big.gpuClass().label()).append(" served ").append(Fmt.tps(tb)).append(" against ")
                    .append(Fmt.tps(ta)).append(" on one ").append(small.gpuClass().label()).append(" (").append(Fmt.num(tb / ta)).append("×)");
            double ca = Costs.perMillionTokens(costs.pricePerHour(small.gpuClass()), ta);
            double cb = Costs.perMillionTokens(costs.pricePerHour(big.gpuClass()), tb);
            if (!Double.isNaN(ca) && !Double.isNaN(cb)) {
                s.append(", and a million output tokens cost ").append(Fmt.usd(cb)).append(" against ").append(Fmt.usd(ca))
                        .append(cb < ca ? ": the larger GPU is cheaper per token" : ": the smaller GPU is cheaper per token");
            }
        } else {
            s.append("no recommended load on ").append((a.isEmpty() ? small : big).gpuClass().label())
                    .append(", so throughput and cost cannot be compared");
        }
        if (!Double.isNaN(load)) {
            s.append(". At ").append(small.loadText(load)).append(", p95 E2E latency was ")
                    .append(Fmt.ms(big.at(load).orElseThrow().num("p95_e2el_ms"))).append(" on the ").append(big.gpuClass().label())
                    .append(" against ").append(Fmt.ms(small.at(load).orElseThrow().num("p95_e2el_ms"))).append(" on the ")
                    .append(small.gpuClass().label());
        }
        return s.append('.').toString();
    }
}
