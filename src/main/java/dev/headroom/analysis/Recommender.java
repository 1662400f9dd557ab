package dev.headroom.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Chooses a group's recommended load by its objective, from the loads the client delivered:
 * <ul>
 *   <li>{@code latency}: the highest load meeting the SLO, every delivered load below it meeting it too; the next
 *       load's latency against the SLO and the throughput it would add are the cost of crossing. A load the simulator
 *       gave meets the SLO only over its whole error range ({@link SloJudgement}); a higher load meeting it on its
 *       central prediction alone is named as the one to measure, with the command that measures it;</li>
 *   <li>{@code throughput}: among the loads below the first that preempts or fails (server errors above the ceiling,
 *       or the point failed), the one with the highest output throughput: the most tokens per GPU-hour, so the least
 *       cost per million tokens. The latency SLO is shown, not applied: where it alone would hold the load lower, the
 *       reason says where and what that costs. With a job, the time to finish it at each load, and the smallest load
 *       that finishes it by the deadline.</li>
 * </ul>
 */
final class Recommender {

    static final String REQUESTS_PER_S = "request_throughput";

    private Recommender() {
    }

    static Recommendation of(List<LoadPoint> loads, Judge judge, Axis axis, Objectives.Choice choice, Objectives.Job job) {
        List<LoadPoint> delivered = loads.stream().filter(judge::delivered).toList();
        LoadPoint sloBound = last(chain(delivered, p -> judge.judgement(p) == SloJudgement.MEETS));
        if (choice.objective() == ServingObjective.LATENCY) {
            // The highest uncertain load above the safe one whose central prediction, and every lower load's, meets the SLO.
            LoadPoint toConfirm = last(chain(delivered, judge::passes).stream()
                    .filter(p -> (sloBound == null || p.load() > sloBound.load()) && judge.judgement(p) == SloJudgement.UNCERTAIN)
                    .toList());
            LoadPoint next = next(delivered, sloBound);
            return new Recommendation(choice, sloBound, next, sloBound, toConfirm, job, null,
                    latencyReason(sloBound, next, toConfirm, judge, axis));
        }
        List<LoadPoint> clean = clean(delivered, judge);
        LoadPoint load = clean.stream().filter(p -> p.mean(Analyzer.THROUGHPUT) != null)
                .max(Comparator.comparingDouble(p -> p.mean(Analyzer.THROUGHPUT))).orElse(null);
        LoadPoint inTime = job == null ? null
                : clean.stream().filter(p -> job.inTime(p.mean(REQUESTS_PER_S))).findFirst().orElse(null);
        LoadPoint next = next(delivered, load);
        String reason = load == null ? "" : throughputReason(clean, load, next, sloBound, job, inTime, judge, axis);
        return new Recommendation(choice, load, next, sloBound, null, job, inTime, reason);
    }

    /** The delivered loads meeting {@code meets} before the first that does not, in increasing load. */
    private static List<LoadPoint> chain(List<LoadPoint> delivered, Predicate<LoadPoint> meets) {
        List<LoadPoint> out = new ArrayList<>();
        for (LoadPoint p : delivered) {
            if (!meets.test(p)) break;
            out.add(p);
        }
        return out;
    }

    private static LoadPoint last(List<LoadPoint> loads) {
        return loads.isEmpty() ? null : loads.get(loads.size() - 1);
    }

    /**
     * Why the latency objective's load: the highest meeting the SLO (over its whole range, when predicted) and what
     * crossing to the next costs; then the load to confirm by measurement, if any.
     */
    private static String latencyReason(LoadPoint load, LoadPoint next, LoadPoint toConfirm, Judge judge, Axis axis) {
        String confirm = toConfirm == null ? ""
                : Text.capitalized(axis.describe(toConfirm.load())) + " " + confirm(toConfirm, judge, axis);
        if (load == null) return confirm;
        String head = "It is the highest load meeting the SLO (" + judge.slo().describe() + ")"
                + (load.ranged() ? " over its whole predicted range" : "") + "; ";
        // A load to confirm lies above the recommended one, so there is a next load whenever there is one to confirm.
        if (next == null) return head + "no higher load was delivered, so the SLO may allow more.";
        if (next == toConfirm) {
            return head + axis.describe(next.load()) + " would give" + gain(load, next) + " and " + confirm(next, judge, axis);
        }
        return head + crossing(load, next, judge, axis) + "." + (confirm.isEmpty() ? "" : " " + confirm);
    }

    /**
     * "meets the SLO on its central prediction, p95 E2E 1.37 s, but its range, 0.93–1.82 s, crosses the 1.50 s target:
     * within the prediction's error of the target, so measure it before relying on it: headroom sweep …", of a load.
     */
    private static String confirm(LoadPoint p, Judge judge, Axis axis) {
        SloChoice.Objective o = judge.binding(p);
        return "meets the SLO on its central prediction, " + o.label() + " " + Text.latency(p.mean(o.key()))
                + ", but its range, " + Text.latencyRange(p.range(o.key())) + ", crosses the "
                + Text.latency(o.thresholdMs()) + " target: within the prediction's error of the target, so measure it "
                + "before relying on it: `" + MeasureCommand.of(p, axis, judge.slo()) + "`.";
    }

    /** "p95 E2E 0.64–1.31 s": the range of the objective reaching highest; its mean where it carries no range. */
    private static String rangeText(LoadPoint p, Judge judge) {
        SloChoice.Objective o = judge.binding(p);
        LoadPoint.Range r = p.range(o.key());
        return o.label() + " " + (r == null ? Text.latency(p.mean(o.key())) : Text.latencyRange(r));
    }

    /** The delivered loads below the first that preempts or that the server failed. */
    private static List<LoadPoint> clean(List<LoadPoint> delivered, Judge judge) {
        List<LoadPoint> out = new ArrayList<>();
        for (LoadPoint p : delivered) {
            if (preempted(p) || !p.served(judge.maxErrorRate())) break;
            out.add(p);
        }
        return out;
    }

    static boolean preempted(LoadPoint p) {
        Double preemptions = p.max(LimitFinder.PREEMPTIONS);
        return preemptions != null && preemptions > 0;
    }

    private static LoadPoint next(List<LoadPoint> delivered, LoadPoint load) {
        if (load == null) return null;
        return delivered.stream().filter(p -> p.load() > load.load()).findFirst().orElse(null);
    }

    private static String throughputReason(List<LoadPoint> clean, LoadPoint load, LoadPoint next, LoadPoint sloBound, Objectives.Job job,
                                           LoadPoint inTime, Judge judge, Axis axis) {
        StringBuilder b = new StringBuilder("It gives the highest output throughput without preemptions or server errors, "
                + "so the least cost per million tokens");
        if (next == null) {
            b.append("; it is the highest load delivered, so a higher one may give more.");
        } else if (preempted(next) || !next.served(judge.maxErrorRate())) {
            b.append("; ").append(axis.describe(next.load())).append(" ").append(trouble(next, judge)).append(".");
        } else {
            b.append("; ").append(crossing(load, next, judge, axis)).append(".");
        }
        LoadPoint below = clean.stream().filter(p -> p.load() < load.load()).reduce((a, c) -> c).orElse(null);
        if (below != null && below.mean(Analyzer.THROUGHPUT) != null) {
            b.append(" The load below it, ").append(axis.describe(below.load())).append(", gives ")
                    .append(Text.throughput(below.mean(Analyzer.THROUGHPUT))).append(" at ").append(latency(below, judge)).append(".");
        }
        b.append(" ").append(sloShown(load, sloBound, judge, axis));
        if (job != null) b.append(" ").append(jobSentence(load, inTime, job, axis));
        return b.toString();
    }

    /** The latency SLO as a shown constraint: met there, or where it alone would hold the load and what that costs. */
    private static String sloShown(LoadPoint load, LoadPoint sloBound, Judge judge, Axis axis) {
        String slo = "the latency SLO (" + judge.slo().describe() + ")";
        SloJudgement meets = judge.judgement(load);
        if (meets == SloJudgement.MEETS) return "It also meets " + slo + (load.ranged() ? " over its whole predicted range" : "") + ".";
        if (meets == SloJudgement.UNCERTAIN) {
            return "Its " + rangeText(load, judge) + " is within the prediction's error of " + slo
                    + ": measure it before relying on it to meet that SLO, which is shown, not applied.";
        }
        String there = "Its " + latency(load, judge) + " is over " + slo;
        if (sloBound == null) {
            return there + ", which no delivered load meets" + (load.ranged() ? " over its whole predicted range" : "")
                    + ": it is shown, not applied.";
        }
        double gain = load.mean(Analyzer.THROUGHPUT) / sloBound.mean(Analyzer.THROUGHPUT);
        return there + "; applied, that SLO alone would hold the load to " + axis.describe(sloBound.load())
                + " at " + Text.throughput(sloBound.mean(Analyzer.THROUGHPUT)) + ", " + times(gain)
                + " lower throughput at " + times(gain) + " the cost per million tokens, so it is shown, not applied.";
    }

    private static String jobSentence(LoadPoint load, LoadPoint inTime, Objectives.Job job, Axis axis) {
        double seconds = job.seconds(load.mean(REQUESTS_PER_S));
        String deadline = hours(job.deadline().toNanos() / 1e9);
        String job0 = "A job of " + String.format(Locale.US, "%,d", job.requests()) + " requests";
        if (inTime == null) {
            long gpus = (long) Math.ceil(seconds / (job.deadline().toNanos() / 1e9));
            return job0 + " takes " + hours(seconds) + " here, past its deadline of " + deadline
                    + ", and no load finishes it sooner: it needs " + gpus + " GPUs like this one to finish in time.";
        }
        return job0 + " takes " + hours(seconds) + " here, within its deadline of " + deadline + "; "
                + (inTime == load ? "no lower load finishes it in time."
                : axis.describe(inTime.load()) + " is the lowest load that finishes it in time ("
                + hours(job.seconds(inTime.mean(REQUESTS_PER_S))) + ").");
    }

    /**
     * What crossing from {@code from} to {@code next} gives and costs: "concurrency 8 would give 499 tok/s (+83%) at
     * p95 E2E 1.54 s, 3% over the SLO".
     */
    static String crossing(LoadPoint from, LoadPoint next, Judge judge, Axis axis) {
        String trouble = next.served(judge.maxErrorRate()) && !preempted(next) ? "" : ", and it " + trouble(next, judge);
        Double ratio = judge.ratio(next);
        String against = ratio == null ? "" : judge.judgement(next) == SloJudgement.UNCERTAIN
                ? ", within the prediction's error of the SLO (" + rangeText(next, judge) + ")"
                : ratio > 1
                ? ", " + String.format(Locale.US, "%.0f%%", 100 * (ratio - 1)) + " over the SLO"
                : ", within the SLO";
        return axis.describe(next.load()) + " would give" + gain(from, next) + " at " + latency(next, judge) + against + trouble;
    }

    /** " 499 tok/s (+83%)": {@code next}'s output throughput and its gain over {@code from}'s; "" when unmeasured. */
    private static String gain(LoadPoint from, LoadPoint next) {
        Double tps = next.mean(Analyzer.THROUGHPUT);
        Double base = from.mean(Analyzer.THROUGHPUT);
        return tps == null ? "" : " " + Text.throughput(tps) + (base == null || !(base > 0) ? ""
                : " (" + String.format(Locale.US, "%+.0f%%", 100 * (tps / base - 1)) + ")");
    }

    /** "preempts 12 requests", "fails 3.0% of requests", "ended with status server_died". */
    private static String trouble(LoadPoint p, Judge judge) {
        if (p.broken()) return "ended with status " + p.status();
        if (p.errorRate() > judge.maxErrorRate()) return "fails " + Text.percent(p.errorRate()) + " of requests";
        return "preempts requests (" + Text.number(p.max(LimitFinder.PREEMPTIONS)) + " preemptions)";
    }

    /** The binding objective's value: "p95 E2E 1.54 s". */
    private static String latency(LoadPoint p, Judge judge) {
        SloChoice.Objective o = judge.slo().binding(p::mean);
        Double v = p.mean(o.key());
        return o.label() + " " + (v == null ? "not measured" : Text.latency(v));
    }

    private static String times(double factor) {
        return String.format(Locale.US, "%.1f×", factor);
    }

    /** Seconds as "40 min" under an hour, else "2.5 h" ("2 h" when whole). */
    static String hours(double seconds) {
        if (seconds < 3600) return String.format(Locale.US, "%.0f min", Math.max(1, seconds / 60));
        return String.format(Locale.US, "%.1f h", seconds / 3600).replace(".0 h", " h");
    }
}
