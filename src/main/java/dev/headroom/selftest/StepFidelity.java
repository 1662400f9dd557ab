package dev.headroom.selftest;

import dev.headroom.plan.BasisStepCost;
import dev.headroom.plan.GpuClass;
import dev.headroom.plan.Roofline;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.plan.StepCoefficients;
import dev.headroom.plan.StepCostModel;
import dev.headroom.plan.StepBasis;
import dev.headroom.plan.StepFit;
import dev.headroom.plan.StepPrior;
import dev.headroom.selftest.StepCorpus.Metric;
import dev.headroom.spec.Gpu;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The step-time model's error on the public corpus, as users get it: every corpus point is run through the offline
 * engine ({@link SimulatedPoint}) with the step model under test, and only held-out errors are reported. For each
 * held-out group (one benchmark point, one model, one GPU) the {@link StepBasis} coefficients are fitted on the
 * other groups' closed-form features ({@link StepCorpus#features}) and the simulator predicts the group. The terms
 * kept are chosen by leave-one-model-out error of the closed form ({@link StepFit#selectTerms}). Two engines are
 * held out so: the fitted basis model (steps and API server), and the roofline's steps with the fold's fitted tensor
 * rate ({@link RooflineFit}) and API-server costs. The roofline as it was (hand-set constants, no API server,
 * {@link RooflineCalibration#HAND_SET}) runs the same simulations for comparison.
 */
public final class StepFidelity {

    /** A term whose removal costs less than this many points of mean LOMO error is dropped. */
    public static final double TERM_TOLERANCE_PERCENT = 0.5;

    /** How points are held out. */
    public enum Scheme {
        POINT("leave-one-point-out"), MODEL("leave-one-model-out"), GPU("leave-one-GPU-out");

        final String label;

        Scheme(String label) {
            this.label = label;
        }

        String group(String id, String model, String gpu) {
            return switch (this) {
                case POINT -> id;
                case MODEL -> model;
                case GPU -> gpu;
            };
        }

        String group(StepFit.Row r) {
            return group(r.id(), r.model(), r.gpu());
        }

        String group(StepCorpus p) {
            return group(p.id(), p.model(), p.gpu().id());
        }
    }

    /**
     * One point's held-out prediction of one metric against the published value, in the metric's unit.
     *
     * @param percent signed error, percent of the published value
     */
    public record Error(StepCorpus point, Metric metric, double predicted, double published, double percent) {}

    /** The errors of one scheme (or of the roofline baseline). */
    public record Result(String label, List<Error> errors) {
        /** |error| of {@code column} over the points {@code which} keeps: median and P90 (numpy's interpolation). */
        public Percentiles of(Column column, Predicate<StepCorpus> which) {
            double[] abs = errors.stream().filter(e -> column.covers(e) && which.test(e.point()))
                    .mapToDouble(e -> Math.abs(e.percent())).sorted().toArray();
            return new Percentiles(abs.length, SimulatedPoint.percentile(abs, 50), SimulatedPoint.percentile(abs, 90));
        }
    }

    /** Median and P90 of |error| over {@code points} errors (NaN for none), percent. */
    public record Percentiles(int points, double median, double p90) {}

    /** A column of the error table: one metric, ITL standing in for TPOT where a source prints only ITL. */
    public enum Column {
        E2E("E2E", Metric.E2E), E2E_P90("E2E P90", Metric.E2E_P90), E2E_P99("E2E P99", Metric.E2E_P99),
        TTFT("TTFT", Metric.TTFT), TTFT_P90("TTFT P90", Metric.TTFT_P90), TTFT_P99("TTFT P99", Metric.TTFT_P99),
        TPOT("ITL/TPOT", Metric.TPOT), THROUGHPUT("throughput", Metric.THROUGHPUT);

        final String label;
        final Metric metric;

        Column(String label, Metric metric) {
            this.label = label;
            this.metric = metric;
        }

        boolean covers(Error e) {
            return e.metric() == metric
                    || this == TPOT && e.metric() == Metric.ITL && !e.point().published().containsKey(Metric.TPOT);
        }
    }

    /**
     * Everything the error table prints.
     *
     * @param points  the points used (closed loops of fixed lengths)
     * @param skipped the points left out, each with its reason
     * @param terms   the basis terms kept
     * @param all     the coefficients fitted on every point (what the engine would use)
     * @param rooflineFit the roofline's calibration fitted on every point ({@link RooflineFit}) with {@code all}'s
     *                API server: the engine's default when it uses the roofline
     * @param fitted  held-out errors of the fitted model, by scheme
     * @param rooflineFrontEnd held-out errors of the roofline's steps with the fold's fitted tensor rate and
     *                API-server costs
     * @param roofline errors of the roofline with its hand-set constants and no API server (as it was)
     * @param elapsedNanos wall time of the evaluation
     */
    public record Evaluation(List<StepCorpus> points, Map<String, String> skipped, List<StepBasis> terms,
                             StepFit.Coefficients all, RooflineCalibration rooflineFit, Map<Scheme, Result> fitted,
                             Map<Scheme, Result> rooflineFrontEnd,
                             Result roofline, long elapsedNanos) {

        /**
         * True when the fitted model's held-out median |E2E error| is below that of the roofline with the API
         * server both leaving a model out and leaving a GPU out: then the engine uses it as its step cost.
         */
        public boolean fittedBeatsRoofline() {
            for (Scheme s : List.of(Scheme.MODEL, Scheme.GPU)) {
                if (!(fitted.get(s).of(Column.E2E, p -> true).median()
                        < rooflineFrontEnd.get(s).of(Column.E2E, p -> true).median())) return false;
            }
            return true;
        }

        /** The held-out errors of the engine the simulator uses by default, by scheme. */
        public Map<Scheme, Result> engine() {
            return fittedBeatsRoofline() ? fitted : rooflineFrontEnd;
        }

        /** The fit and the engine choice, as {@code plan/step-coefficients.json} carries them. */
        public StepCoefficients coefficients() {
            Result lomo = engine().get(Scheme.MODEL);
            List<StepFit.Row> rows = StepCorpus.rows(points);
            Map<GpuClass, double[]> byClass = new EnumMap<>(GpuClass.class);
            points.stream().map(p -> GpuClass.of(p.gpu())).distinct().sorted()
                    .filter(c -> classHasData(rows, terms, c))
                    .forEach(c -> byClass.put(c, classFit(rows, terms, c).values()));
            return new StepCoefficients(all.values(), byClass, rooflineFit.mfu(), rooflineFit.mfu8Bit(),
                    rooflineFit.perSeqOverheadUs(), rooflineFit.layerFloorCycles(), rooflineFit.mbu(),
                    points.size(), fittedBeatsRoofline(),
                    lomo.of(Column.E2E, p -> true).median(), lomo.of(Column.TTFT, p -> true).median());
        }
    }

    private StepFidelity() {}

    /** The basis terms the corpus supports (backward elimination on LOMO error). */
    public static List<StepBasis> terms(List<StepFit.Row> rows) {
        return StepFit.selectTerms(rows, StepBasis.ALL, Scheme.MODEL::group, TERM_TOLERANCE_PERCENT, StepPrior.PHYSICS);
    }

    /** Evaluates the bundled corpus: fits, held-out simulations of every scheme, the roofline's simulations. */
    public static Evaluation evaluate() {
        Evaluation e = bundled;
        if (e == null) {
            synchronized (StepFidelity.class) {
                if (bundled == null) bundled = evaluate(StepCorpus.points());
                e = bundled;
            }
        }
        return e;
    }

    /** The bundled corpus's evaluation, once per process: it is deterministic and takes about a minute. */
    private static volatile Evaluation bundled;

    /** Evaluates {@code corpus} (points the simulator cannot reproduce are skipped with their reason). */
    public static Evaluation evaluate(List<StepCorpus> corpus) {
        long start = System.nanoTime();
        List<StepCorpus> points = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (StepCorpus p : corpus) p.skipReason().ifPresentOrElse(why -> skipped.put(p.id(), why), () -> points.add(p));
        List<SimulatedPoint> sims = points.stream().map(SimulatedPoint::of).toList();
        List<StepFit.Row> rows = StepCorpus.rows(points);
        List<StepBasis> terms = terms(rows);
        Map<String, List<RooflineFit.Target>> targets = new LinkedHashMap<>();
        for (StepCorpus p : points) targets.put(p.id(), RooflineFit.targets(p));
        Map<Scheme, Result> fitted = new EnumMap<>(Scheme.class);
        Map<Scheme, Result> rooflineFrontEnd = new EnumMap<>(Scheme.class);
        for (Scheme s : Scheme.values()) {
            fitted.put(s, crossValidate(sims, rows, terms, targets, s, false));
            rooflineFrontEnd.put(s, crossValidate(sims, rows, terms, targets, s, true));
        }
        StepFit.Coefficients all = StepFit.fit(rows, terms, StepPrior.PHYSICS);
        RooflineCalibration rooflineFit = RooflineFit.fit(targets.values().stream().flatMap(List::stream).toList(),
                RooflineCalibration.HAND_SET, StepBasis.frontEndOf(all.values()));
        return new Evaluation(points, skipped, terms, all, rooflineFit, fitted, rooflineFrontEnd, roofline(sims),
                System.nanoTime() - start);
    }

    /**
     * Held-out errors of every published metric of every point under {@code scheme}, from the simulator: the fold's
     * fitted model, or with {@code rooflineSteps} the roofline's steps with the fold's fitted tensor rate
     * ({@link RooflineFit}, on the fold's {@code targets}) and the fold's fitted API-server costs.
     */
    static Result crossValidate(List<SimulatedPoint> sims, List<StepFit.Row> rows, List<StepBasis> terms,
                                Map<String, List<RooflineFit.Target>> targets, Scheme scheme, boolean rooflineSteps) {
        Map<String, StepFit.Coefficients> fits = new LinkedHashMap<>();
        Map<String, RooflineCalibration> calibrations = rooflineSteps ? foldCalibrations(sims, rows, terms, targets, scheme)
                : Map.of();
        List<StepCostModel> costs = new ArrayList<>();
        for (SimulatedPoint sim : sims) {
            String held = scheme.group(sim.point());
            if (rooflineSteps) {
                costs.add(Roofline.from(sim.setup(), calibrations.get(held)));
                continue;
            }
            GpuClass cls = GpuClass.of(sim.point().gpu());
            StepFit.Coefficients fit = fits.computeIfAbsent(held + "/" + cls, g -> classFit(
                    rows.stream().filter(r -> !scheme.group(r).equals(held)).toList(), terms, cls));
            costs.add(new BasisStepCost(Roofline.from(sim.setup(), RooflineCalibration.HAND_SET), fit.values()));
        }
        return new Result(rooflineSteps ? "  roofline + API server" : scheme.label, simulate(sims, costs));
    }

    /**
     * Each fold's roofline calibration ({@link RooflineFit} on the targets of the points it keeps, with the API
     * server of its shared basis fit), by held-out group; the folds are fitted in parallel.
     */
    private static Map<String, RooflineCalibration> foldCalibrations(List<SimulatedPoint> sims, List<StepFit.Row> rows,
            List<StepBasis> terms, Map<String, List<RooflineFit.Target>> targets, Scheme scheme) {
        return sims.stream().map(sim -> scheme.group(sim.point())).distinct().toList().parallelStream()
                .collect(Collectors.toConcurrentMap(held -> held, held -> RooflineFit.fit(
                        sims.stream().map(SimulatedPoint::point).filter(p -> !scheme.group(p).equals(held))
                                .flatMap(p -> targets.get(p.id()).stream()).toList(),
                        RooflineCalibration.HAND_SET, StepBasis.frontEndOf(classFit(
                                rows.stream().filter(r -> !scheme.group(r).equals(held)).toList(), terms, null).values()))));
    }

    /**
     * The fit of {@code training} for GPUs of {@code cls}: on that class's rows alone where they hold at least two
     * models and enough rows for the terms, else on every row (shared); null {@code cls} is always shared.
     */
    static StepFit.Coefficients classFit(List<StepFit.Row> training, List<StepBasis> terms, GpuClass cls) {
        return StepFit.fit(cls != null && classHasData(training, terms, cls) ? ofClass(training, cls) : training, terms,
                StepPrior.PHYSICS);
    }

    /** True when {@code training}'s rows of GPU class {@code cls} hold two models and enough rows for the terms. */
    static boolean classHasData(List<StepFit.Row> training, List<StepBasis> terms, GpuClass cls) {
        List<StepFit.Row> same = ofClass(training, cls);
        return same.stream().map(StepFit.Row::model).distinct().count() >= 2
                && same.size() >= StepFit.MIN_ROWS_PER_TERM * terms.size();
    }

    private static List<StepFit.Row> ofClass(List<StepFit.Row> rows, GpuClass cls) {
        return rows.stream().filter(r -> GpuClass.of(Gpu.parse(r.gpu())) == cls).toList();
    }

    /**
     * The roofline step cost with its default calibration and no API server on the same simulations (the engine
     * before the API server was modelled). Its constants were solved from two single-stream points, one of them
     * {@code wmx-l4-c1}, so on that point it is not held out.
     */
    static Result roofline(List<SimulatedPoint> sims) {
        return new Result("roofline (as it was)", simulate(sims,
                sims.stream().map(sim -> (StepCostModel) Roofline.from(sim.setup(), RooflineCalibration.HAND_SET)).toList()));
    }

    /**
     * The errors of every simulation, each point with its own step cost, in the order of {@code sims}: the
     * simulations are independent (each has its own engine and virtual clock), so they run on every core.
     */
    private static List<Error> simulate(List<SimulatedPoint> sims, List<StepCostModel> costs) {
        return IntStream.range(0, sims.size()).parallel()
                .mapToObj(i -> errors(sims.get(i), sims.get(i).predict(costs.get(i))))
                .flatMap(List::stream).toList();
    }

    private static List<Error> errors(SimulatedPoint sim, Map<Metric, Double> predicted) {
        StepCorpus p = sim.point();
        List<Error> errors = new ArrayList<>();
        for (Metric m : Metric.values()) {
            p.measured(m).ifPresent(v -> errors.add(new Error(p, m, predicted.get(m), v, 100 * (predicted.get(m) - v) / v)));
        }
        return errors;
    }

    /** The size class of a point's model: {@code <2B}, {@code 2-10B} or {@code >10B} parameters. */
    static String size(StepCorpus p) {
        double params = p.parameterCount();
        return params < 2e9 ? "<2B" : params <= 10e9 ? "2-10B" : ">10B";
    }

    /** Prints the fitted terms and the error tables of the bundled corpus; returns the evaluation. */
    public static Evaluation run(PrintStream out, List<Fidelity.Outcome> kvOutcomes) {
        Evaluation e = evaluate();
        StepErrorTable.print(out, e, kvOutcomes);
        return e;
    }

    static String format(Percentiles q) {
        return Double.isNaN(q.median()) ? "-" : String.format(Locale.ROOT, "%.1f / %.1f", q.median(), q.p90());
    }
}
