package dev.headroom.selftest;

import dev.headroom.plan.StepBasis;
import dev.headroom.plan.StepFit;
import dev.headroom.plan.StepPrior;
import java.io.PrintStream;
import java.util.ArrayList;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The step-time model's error on the public corpus, by cross-validation only: for each held-out group (one
 * benchmark point, one model, one GPU) the {@link StepBasis} coefficients are fitted on the other groups and predict
 * the group's TTFT, TPOT, E2E and throughput. The training error is never reported. The terms kept are chosen by
 * leave-one-model-out error ({@link StepFit#selectTerms}).
 */
public final class StepFidelity {

    /** A term whose removal costs less than this many points of median LOMO error is dropped. */
    public static final double TERM_TOLERANCE_PERCENT = 0.5;

    /** How points are held out. */
    public enum Scheme {
        POINT("leave-one-point-out", StepFit.Row::id),
        MODEL("leave-one-model-out", StepFit.Row::model),
        GPU("leave-one-GPU-out", StepFit.Row::gpu);

        final String label;
        final Function<StepFit.Row, String> group;

        Scheme(String label, Function<StepFit.Row, String> group) {
            this.label = label;
            this.group = group;
        }
    }

    /** One point's held-out error on one metric, percent of the published value (signed). */
    public record Error(StepCorpus point, StepCorpus.Metric metric, double percent) {}

    /** The errors of one scheme (or of the roofline baseline) and the terms its fits used. */
    public record Result(String label, List<StepBasis> terms, List<Error> errors) {
        /** |error| percentiles of one metric (numpy's linear interpolation): median and P90; NaN when none. */
        public double[] medianAndP90(StepCorpus.Metric metric, java.util.function.Predicate<StepCorpus> which) {
            double[] abs = errors.stream().filter(e -> e.metric() == metric && which.test(e.point()))
                    .mapToDouble(e -> Math.abs(e.percent())).sorted().toArray();
            return abs.length == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {percentile(abs, 50), percentile(abs, 90)};
        }
    }

    /** The metrics the closed-form loop predicts (means; no percentiles). */
    static final List<StepCorpus.Metric> CLOSED_FORM = List.of(StepCorpus.Metric.TTFT, StepCorpus.Metric.TPOT,
            StepCorpus.Metric.E2E, StepCorpus.Metric.THROUGHPUT);

    private StepFidelity() {}

    /** The basis terms the corpus supports (backward elimination on LOMO error). */
    public static List<StepBasis> terms(List<StepFit.Row> rows) {
        return StepFit.selectTerms(rows, StepBasis.ALL, Scheme.MODEL.group, TERM_TOLERANCE_PERCENT, StepPrior.PHYSICS);
    }

    /** Held-out errors of every published metric of every point under {@code scheme}. */
    public static Result crossValidate(List<StepCorpus> points, List<StepBasis> terms, Scheme scheme) {
        List<StepFit.Row> rows = StepCorpus.rows(points);
        Map<String, List<StepCorpus>> groups = new LinkedHashMap<>();
        for (StepCorpus p : points) {
            String g = switch (scheme) {
                case POINT -> p.id();
                case MODEL -> p.model();
                case GPU -> p.gpu().id();
            };
            groups.computeIfAbsent(g, k -> new ArrayList<>()).add(p);
        }
        List<Error> errors = new ArrayList<>();
        for (Map.Entry<String, List<StepCorpus>> e : groups.entrySet()) {
            List<StepFit.Row> training = rows.stream().filter(r -> !scheme.group.apply(r).equals(e.getKey())).toList();
            StepFit.Coefficients fit = StepFit.fit(training, terms, StepPrior.PHYSICS);
            for (StepCorpus p : e.getValue()) {
                StepCorpus.Features f = p.features();
                double tpot = fit.seconds(f.tpot());
                double ttft = fit.seconds(f.ttft());
                for (StepCorpus.Metric m : CLOSED_FORM) {
                    p.measured(m).ifPresent(v -> errors.add(new Error(p, m, 100 * (p.predicted(m, tpot, ttft) - v) / v)));
                }
            }
        }
        return new Result(scheme.label, terms, errors);
    }

    /**
     * The roofline step cost with its default calibration on the same analytic closed loop (no front end), for
     * comparison. Its constants were solved from two single-stream points, one of them {@code wmx-l4-c1}, so on
     * that point it is not held out.
     */
    public static Result roofline(List<StepCorpus> points) {
        List<Error> errors = new ArrayList<>();
        for (StepCorpus p : points) {
            StepCorpus.Features f = p.rooflineSeconds();
            for (StepCorpus.Metric m : CLOSED_FORM) {
                p.measured(m).ifPresent(v -> errors.add(new Error(p, m,
                        100 * (p.predicted(m, f.tpot()[0], f.ttft()[0]) - v) / v)));
            }
        }
        return new Result("roofline (defaults)", List.of(), errors);
    }

    /** Prints the fitted terms and the error tables; returns the results of the three schemes. */
    public static List<Result> run(PrintStream out) {
        List<StepCorpus> points = new ArrayList<>();
        for (StepCorpus p : StepCorpus.points()) {
            p.skipReason().ifPresentOrElse(why -> out.printf(Locale.ROOT, "step corpus: %s left out: %s%n", p.id(), why),
                    () -> points.add(p));
        }
        List<StepFit.Row> rows = StepCorpus.rows(points);
        List<StepBasis> terms = terms(rows);
        StepFit.Coefficients all = StepFit.fit(rows, terms, StepPrior.PHYSICS);
        out.printf(Locale.ROOT, "%nstep-time model: %d points, %d models, %d GPUs; terms kept by leave-one-model-out error:%n",
                points.size(), points.stream().map(StepCorpus::model).distinct().count(),
                points.stream().map(StepCorpus::gpu).distinct().count());
        for (StepBasis t : terms) out.printf(Locale.ROOT, "  %-24s %10.4g %s%n", t.label(), all.of(t), t.unit());
        List<Result> results = new ArrayList<>();
        out.printf(Locale.ROOT, "%nheld-out |error|, median / P90 (%%)%n%-22s", "");
        for (StepCorpus.Metric m : CLOSED_FORM) out.printf(Locale.ROOT, " %17s", m);
        out.println();
        for (Scheme s : Scheme.values()) {
            Result r = crossValidate(points, terms, s);
            results.add(r);
            line(out, s.label, r, p -> true);
        }
        line(out, "roofline (defaults)", roofline(points), p -> true);
        List<String> dropped = points.stream().filter(p -> p.ttftMs().isPresent() && !p.ttftPhysicallyPossible())
                .map(StepCorpus::id).toList();
        if (!dropped.isEmpty()) {
            out.printf(Locale.ROOT, "TTFT kept out (below the prompt's prefill arithmetic at peak FLOP/s): %s%n",
                    String.join(", ", dropped));
        }
        Result lomo = results.get(Scheme.MODEL.ordinal());
        Result base = roofline(points);
        out.printf(Locale.ROOT, "%nleave-one-model-out, by GPU and by model size%n");
        points.stream().map(StepCorpus::gpu).distinct().forEach(g -> {
            line(out, "  " + g.id(), lomo, p -> p.gpu() == g);
            line(out, "    roofline", base, p -> p.gpu() == g);
        });
        for (String size : List.of("< 2B", "2B-10B", "> 10B")) {
            line(out, "  " + size, lomo, p -> size(p).equals(size));
            line(out, "    roofline", base, p -> size(p).equals(size));
        }
        return results;
    }

    private static void line(PrintStream out, String label, Result r, java.util.function.Predicate<StepCorpus> which) {
        out.printf(Locale.ROOT, "%-22s", label);
        for (StepCorpus.Metric m : CLOSED_FORM) {
            double[] q = r.medianAndP90(m, which);
            out.print(Double.isNaN(q[0]) ? String.format(Locale.ROOT, " %17s", "-")
                    : String.format(Locale.ROOT, " %8.1f / %6.1f", q[0], q[1]));
        }
        out.println();
    }

    /** The size class of a point's model: {@code < 2B}, {@code 2B-10B} or {@code > 10B} parameters. */
    static String size(StepCorpus p) {
        double params = p.parameterCount();
        return params < 2e9 ? "< 2B" : params <= 10e9 ? "2B-10B" : "> 10B";
    }

    private static double percentile(double[] sorted, double q) {
        double pos = (sorted.length - 1) * q / 100;
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

}
