package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.analysis.SloChoice;
import dev.headroom.analysis.SloJudgement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Cost per million output tokens at each operating point: the GPU's price per hour over the tokens it produced in
 * that hour at the point's output throughput; the load analyze recommends is marked. The price is {@code --gpu-price-per-hour} when given, else the GPU
 * class's assumed default ({@link GpuClass}), and the document says which.
 */
public final class Costs {

    private final OptionalDouble pricePerHour;

    public Costs(OptionalDouble pricePerHour) {
        this.pricePerHour = pricePerHour;
    }

    /** USD per GPU-hour for this GPU class: the user's price, else the assumed default (NaN when none is known). */
    public double pricePerHour(GpuClass gpu) {
        return pricePerHour.orElse(gpu.defaultPricePerHour());
    }

    /** Whether the price is the user's own ({@code --gpu-price-per-hour}) rather than each class's assumed default. */
    public boolean userPrice() {
        return pricePerHour.isPresent();
    }

    /** USD per million output tokens at {@code outputTokensPerSecond}. */
    public static double perMillionTokens(double pricePerHour, double outputTokensPerSecond) {
        if (Double.isNaN(pricePerHour) || !(outputTokensPerSecond > 0)) return Double.NaN;
        return pricePerHour / (outputTokensPerSecond * 3600) * 1e6;
    }

    /** Appends the cost section: where the prices come from, then one table per curve. */
    public void section(Doc doc, Study study) {
        doc.h2("Cost per million output tokens");
        Map<String, GpuClass> gpus = new LinkedHashMap<>();
        study.curves().forEach(c -> gpus.putIfAbsent(c.gpuClass().label(), c.gpuClass()));
        if (pricePerHour.isPresent()) {
            doc.p("Every GPU is priced at **" + Fmt.usd(pricePerHour.getAsDouble()) + " per GPU-hour**, as given with "
                    + "`headroom report --gpu-price-per-hour`.");
        } else {
            List<String> assumed = new ArrayList<>();
            gpus.values().forEach(g -> assumed.add(g.label() + ": " + (g.priced() ? Fmt.usd(g.defaultPricePerHour()) + " per hour"
                    : "no default price known, so its costs read \"no price\"")));
            doc.p("**Assumed prices** (defaults for typical on-demand cloud rental of one GPU, not quotes; pass "
                    + "`headroom report --gpu-price-per-hour` for yours):");
            doc.bullets(assumed);
        }
        doc.p("Cost per million output tokens = price per hour ÷ (output tokens/s × 3,600) × 1,000,000, at each "
                + "load point's measured or predicted output throughput, with the GPU fully busy at that load.");
        for (Curve c : study.curves()) {
            double price = pricePerHour(c.gpuClass());
            List<List<String>> rows = new ArrayList<>();
            for (LoadPoint p : c.points()) {
                double cost = perMillionTokens(price, p.num("output_throughput"));
                rows.add(List.of(marked(c, p, recommended(c)), Fmt.tps(p.num("output_throughput")), Fmt.ms(p.num("p95_e2el_ms")),
                        meetsSlo(c, p), Double.isNaN(price) ? "no price (give one with `headroom report --gpu-price-per-hour`)" : Fmt.usd(cost)));
            }
            doc.h3(c.label());
            doc.p("Within SLO as `analyze` judges it: " + c.judge().slo().describe() + " (" + c.judge().slo().source()
                    + "), at most " + Fmt.pct(c.judge().maxErrorRate()) + " of requests failed or cut short by the server"
                    + (c.verdict() == null ? "; not analyzed, so judged as analyze would" : "") + ".");
            doc.table(List.of("Load", "Output throughput", "p95 E2E", "Within SLO", "USD per 1M output tokens"), rows);
        }
    }

    /** The load analyze recommends on this curve, or null. */
    static OperatingPoint recommended(Curve c) {
        return c.verdict() == null || c.verdict().recommendation() == null ? null : c.verdict().recommendation().point();
    }

    /** The load's text, "c=128 (recommended)" on the recommended row. */
    static String marked(Curve c, LoadPoint p, OperatingPoint recommended) {
        return c.loadText(p.load()) + (recommended != null && recommended.load() == p.load() ? " **(recommended)**" : "");
    }

    /**
     * "yes" or "no" as analyze's Judge rules (its SLO objectives and its error ceiling: a load where most requests
     * failed is not within the SLO however fast its survivors were), "within the prediction's error" for a predicted
     * load whose range crosses the SLO, or why it cannot be said.
     */
    static String meetsSlo(Curve c, LoadPoint p) {
        for (SloChoice.Objective o : c.judge().slo().objectives()) {
            if (p.mean(o.key()) == null) return "not measured (" + o.key() + ")";
        }
        SloJudgement judgement = c.judge().judgement(p);
        if (judgement == SloJudgement.UNCERTAIN) return "within the prediction's error";
        if (judgement == SloJudgement.MEETS) return "yes";
        return p.served(c.judge().maxErrorRate()) ? "no" : "no (" + Fmt.pct(p.errorRate()) + " of requests failed or cut short by the server)";
    }
}
