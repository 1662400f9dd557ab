package dev.headroom.selftest;

import dev.headroom.engine.EngineConfig;
import dev.headroom.engine.OfflineRunner;
import dev.headroom.engine.PromptFormat;
import dev.headroom.engine.SimTokenizer;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.plan.MemoryPlan;
import dev.headroom.plan.Planner;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.plan.StepModels;
import dev.headroom.spec.ServingSetup;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Prompt;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code headroom selftest fidelity}: headroom's predictions against the public regression corpus. KV tokens come
 * from the planner; time per output token from the offline engine running the case's closed loop with the
 * engine's default timeline ({@link StepModels}).
 */
public final class Fidelity {

    /** One case's prediction. */
    public record Outcome(FidelityCase c, double predicted) {
        /** Signed relative error, percent of the measured value. */
        public double errorPercent() {
            return 100 * (predicted - c.measured()) / c.measured();
        }
    }

    /** Median and worst |error| of one kind of case, percent. */
    public record Summary(FidelityCase.Kind kind, int cases, double medianAbsPercent, double worstAbsPercent) {}

    /**
     * What {@code selftest fidelity} measured.
     *
     * @param summaries the regression corpus by kind
     * @param outcomes  the regression corpus case by case
     * @param steps     the step-time model's held-out evaluation
     */
    public record Report(List<Summary> summaries, List<Outcome> outcomes, StepFidelity.Evaluation steps) {}

    /** The targets: median |error| on KV tokens at most 2%, TPOT within 10% on every case. */
    public static final double KV_MEDIAN_TARGET_PERCENT = 2.0;
    public static final double TPOT_WORST_TARGET_PERCENT = 10.0;

    private Fidelity() {}

    /** True when the summaries meet the targets. */
    public static boolean meetsTargets(List<Summary> summaries) {
        return summaries.stream().allMatch(s -> switch (s.kind()) {
            case KV_TOKENS -> s.medianAbsPercent() <= KV_MEDIAN_TARGET_PERCENT;
            case TPOT_MS -> s.worstAbsPercent() <= TPOT_WORST_TARGET_PERCENT;
            case TTFT_MS -> true;
        });
    }

    /** Predicts one case. */
    public static Outcome predict(FidelityCase c) {
        ServingSetup setup = c.setup();
        MemoryPlan plan = Planner.plan(setup);
        return switch (c.kind()) {
            case KV_TOKENS -> new Outcome(c, plan.kvCacheTokens());
            case TPOT_MS -> new Outcome(c, median(closedLoop(setup, plan, c.workload()).stream()
                    .filter(r -> r.outputTokens() > 1)
                    .mapToDouble(r -> (r.lastTokenNanos() - r.firstTokenNanos()) / 1e6 / (r.outputTokens() - 1)).toArray()));
            case TTFT_MS -> new Outcome(c, median(closedLoop(setup, plan, c.workload()).stream()
                    .mapToDouble(r -> (r.firstTokenNanos() - r.sentNanos()) / 1e6).toArray()));
        };
    }

    private static List<RequestRecord> closedLoop(ServingSetup setup, MemoryPlan plan, FidelityCase.Workload w) {
        if (!plan.fits()) throw new IllegalStateException("vLLM would not start: " + plan.error());
        List<Prompt> prompts = SimTokenizer.randomPrompts(Math.max(40, 10 * w.concurrency()), w.inputTokens(), w.outputTokens(), 7);
        return OfflineRunner.run(EngineConfig.from(setup, plan), StepModels.forEngine(setup, RooflineCalibration.DEFAULTS), prompts,
                LoadPattern.closedLoop(w.concurrency()), null,
                new OfflineRunner.Options(PromptFormat.COMPLETIONS, true, 0)).records();
    }

    /**
     * Runs the whole corpus, prints one line per case and a summary per kind, then the step-time model's
     * held-out error table ({@link StepFidelity}).
     */
    public static Report run(PrintStream out) {
        List<Outcome> outcomes = FidelityCase.corpus().stream().map(Fidelity::predict).toList();
        out.printf(Locale.ROOT, "%-28s %-9s %-8s %-10s %14s %14s %8s  %s%n", "case", "kind", "vLLM", "GPU",
                "predicted", "real", "error", "source");
        for (Outcome o : outcomes) {
            FidelityCase c = o.c();
            out.printf(Locale.ROOT, "%-28s %-9s %-8s %-10s %14s %14s %+7.2f%%  %s%n", c.id(),
                    label(c.kind()), c.version(), c.gpu().id(),
                    format(c.kind(), o.predicted()), format(c.kind(), c.measured()), o.errorPercent(), c.source());
        }
        List<Summary> summaries = new ArrayList<>();
        for (FidelityCase.Kind kind : FidelityCase.Kind.values()) {
            double[] abs = outcomes.stream().filter(o -> o.c().kind() == kind)
                    .mapToDouble(o -> Math.abs(o.errorPercent())).sorted().toArray();
            if (abs.length == 0) continue;
            Summary s = new Summary(kind, abs.length, median(abs), abs[abs.length - 1]);
            summaries.add(s);
            out.printf(Locale.ROOT, "%s: %d cases, median |error| %.2f%%, worst |error| %.2f%%%n",
                    label(kind), s.cases(), s.medianAbsPercent(),
                    s.worstAbsPercent());
        }
        return new Report(summaries, outcomes, StepFidelity.run(out, outcomes));
    }

    private static String label(FidelityCase.Kind kind) {
        return switch (kind) {
            case KV_TOKENS -> "kv tokens";
            case TPOT_MS -> "TPOT ms";
            case TTFT_MS -> "TTFT ms";
        };
    }

    private static String format(FidelityCase.Kind kind, double v) {
        return kind == FidelityCase.Kind.KV_TOKENS ? String.format(Locale.US, "%,d", Math.round(v))
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static double median(double[] sorted) {
        double[] s = Arrays.copyOf(sorted, sorted.length);
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
