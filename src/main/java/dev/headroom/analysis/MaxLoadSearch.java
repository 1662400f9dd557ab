package dev.headroom.analysis;

import java.util.List;

/**
 * The maximum load under the SLO from few runs, judged on the loads the client delivered ({@link Judge#delivered}):
 * a load it did not deliver says nothing sure about the server, so it neither passes nor bounds, and the confidence
 * names it. The bracket is the highest passing load below the first failing one (P) and that failing load (F); every
 * delivered load below F passes. Between P and F the SLO ratio (the binding objective's value over its threshold; 1
 * at the SLO) is taken as linear in the load, or in log(load) when the grid is geometric (such as 1, 2, 4, 8: each
 * load a fixed multiple of the one before), and its crossing of 1, held within [P, F], is the estimate. The repeats'
 * worst and best ratios at P and F, interpolated the same way, give the range; the confidence says how many repeats
 * stand behind it and whether they agree.
 * <p>
 * The next load to run bisects the bracket: the midpoint of P and F rounded to a runnable load strictly between
 * them. Whether it passes (it becomes P) or fails (it becomes F), the next bracket lies inside this one and is at
 * most half as wide, plus the rounding, whatever the shape of the curve; the interpolated estimate is not used to
 * search, since on a curved ratio false position can creep from one side for many runs. When no runnable load lies
 * strictly between P and F, the advice is a repeat of P.
 */
final class MaxLoadSearch {

    /** Consecutive load ratios within this share of each other make a geometric grid. */
    static final double GEOMETRIC_TOLERANCE = 0.10;
    /** A range narrower than this share of the estimate earns {@code high} confidence. */
    static final double TIGHT_RANGE = 0.10;

    private MaxLoadSearch() {
    }

    static MaxLoad find(List<LoadPoint> all, Judge judge, Axis axis) {
        if (all.isEmpty()) return null;
        List<LoadPoint> points = all.stream().filter(judge::delivered).toList();
        List<Double> undelivered = all.stream().filter(p -> !judge.delivered(p)).map(LoadPoint::load).toList();
        String skipped = undelivered.isEmpty() ? ""
                : "; not delivered by the client, so not judged: " + Text.loads(axis, undelivered);
        if (points.isEmpty()) {
            return new MaxLoad(null, false, null, null, null, null, bindingKey(all.get(0), judge),
                    "low: the client delivered no load" + skipped, null,
                    "measure from a client that delivers the loads, then run them again");
        }
        int fail = 0;
        while (fail < points.size() && judge.passes(points.get(fail))) fail++;
        if (fail == points.size()) return allPass(points.get(fail - 1), judge, axis, skipped, undelivered);
        if (fail == 0) return nonePass(points.get(0), !judge.delivered(all.get(0)), judge, axis, skipped, undelivered);
        LoadPoint pass = points.get(fail - 1);
        LoadPoint failing = points.get(fail);
        String notes = passesAgainAbove(points, fail, judge, axis) + skipped;
        MaxLoad found = !judge.failsByLatency(failing) || judge.ratio(pass) == null
                ? byErrors(pass, failing, judge, axis, notes)
                : interpolate(pass, failing, judge, axis, geometric(points), notes);
        return bisect(found, axis, undelivered);
    }

    private static MaxLoad allPass(LoadPoint top, Judge judge, Axis axis, String skipped, List<Double> undelivered) {
        double next = roundLoad(top.load() * 2, axis);
        String delivered = skipped.isEmpty() ? "" : "delivered ";
        return new MaxLoad(top.load(), false, top.load(), null, null, null, bindingKey(top, judge),
                "low: every " + delivered + "load up to " + axis.describe(top.load())
                        + " met the SLO; the limit lies above it" + skipped,
                next, run(next, axis, undelivered) + " to find where the SLO breaks");
    }

    private static MaxLoad nonePass(LoadPoint lowest, boolean lowerUndelivered, Judge judge, Axis axis, String skipped,
                                    List<Double> undelivered) {
        double half = roundLoad(lowest.load() / 2, axis);
        boolean canGoLower = half < lowest.load() && half > 0;
        String why = "low: the lowest " + (lowerUndelivered ? "delivered load, " : "load run, ")
                + axis.describe(lowest.load()) + ", already misses the SLO" + skipped;
        return new MaxLoad(null, false, null, lowest.load(), null, null, bindingKey(lowest, judge), why,
                canGoLower ? half : null, canGoLower ? run(half, axis, undelivered) + " to find a load that meets it"
                : "no lower load exists: change the server config or the SLO");
    }

    private static MaxLoad byErrors(LoadPoint pass, LoadPoint failing, Judge judge, Axis axis, String notes) {
        String why = "low: " + axis.describe(failing.load()) + " fails by errors (" + Text.percent(failing.errorRate())
                + " of requests), not by latency; the limit lies between " + Text.number(pass.load()) + " and "
                + Text.number(failing.load()) + notes;
        return new MaxLoad(pass.load(), false, pass.load(), failing.load(), null, null, bindingKey(pass, judge), why,
                null, null);
    }

    private static MaxLoad interpolate(LoadPoint pass, LoadPoint failing, Judge judge, Axis axis, boolean log,
                                       String notes) {
        double estimate = crossing(pass.load(), judge.ratio(pass), failing.load(), judge.ratio(failing), log);
        double low = crossing(pass.load(), or(judge.worstRatio(pass), judge.ratio(pass)), failing.load(),
                or(judge.worstRatio(failing), judge.ratio(failing)), log);
        double high = crossing(pass.load(), or(judge.bestRatio(pass), judge.ratio(pass)), failing.load(),
                or(judge.bestRatio(failing), judge.ratio(failing)), log);
        String confidence = confidence(pass, failing, judge, axis, low, high, estimate, log) + notes;
        boolean repeated = pass.repeats().size() > 1 || failing.repeats().size() > 1;
        return new MaxLoad(estimate, true, pass.load(), failing.load(), repeated ? Math.min(low, high) : null,
                repeated ? Math.max(low, high) : null, bindingKey(failing, judge), confidence, null, null);
    }

    private static double or(Double value, double otherwise) {
        return value == null ? otherwise : value;
    }

    /**
     * The load where the ratio crosses 1 on the line through (x1, r1) and (x2, r2), in log(load) when {@code log};
     * held within [x1, x2].
     */
    static double crossing(double x1, double r1, double x2, double r2, boolean log) {
        if (!(r2 > r1)) return r1 <= 1 ? x2 : x1;
        double a = log ? Math.log(x1) : x1;
        double b = log ? Math.log(x2) : x2;
        double t = Math.min(1, Math.max(0, (1 - r1) / (r2 - r1)));
        double x = a + t * (b - a);
        // exp(log(x1)) can land an ulp outside [x1, x2]
        return Math.min(x2, Math.max(x1, log ? Math.exp(x) : x));
    }

    /** Whether the loads form a geometric grid (three or more, equal ratios within 10%; or two, one ≥ 2× the other). */
    static boolean geometric(List<LoadPoint> points) {
        if (points.size() < 2) return false;
        if (points.size() == 2) return points.get(1).load() / points.get(0).load() >= 2;
        double first = points.get(1).load() / points.get(0).load();
        if (first < 1.5) return false;
        for (int i = 2; i < points.size(); i++) {
            double r = points.get(i).load() / points.get(i - 1).load();
            if (Math.abs(r - first) > GEOMETRIC_TOLERANCE * first) return false;
        }
        return true;
    }

    private static String confidence(LoadPoint pass, LoadPoint failing, Judge judge, Axis axis, double low,
                                     double high, double estimate, boolean log) {
        int repeats = Math.min(pass.repeats().size(), failing.repeats().size());
        String how = "interpolated " + (log ? "in log(load) " : "") + "between " + Text.number(pass.load())
                + " and " + Text.number(failing.load());
        if (repeats <= 1) return "low: one run per load; the crossing is " + how;
        for (LoadPoint p : List.of(pass, failing)) {
            long passing = judge.passingRepeats(p);
            if (passing != 0 && passing != p.repeats().size()) {
                return "low: repeats disagree at " + axis.describe(p.load()) + " (" + passing + " of "
                        + p.repeats().size() + " meet the SLO); the limit lies between " + Text.number(Math.min(low, high))
                        + " and " + Text.number(Math.max(low, high));
            }
        }
        String level = Math.abs(high - low) <= TIGHT_RANGE * estimate ? "high" : "medium";
        return level + ": " + repeats + " repeats per load agree; the crossing lies between "
                + Text.number(Math.min(low, high)) + " and " + Text.number(Math.max(low, high));
    }

    private static String passesAgainAbove(List<LoadPoint> points, int fail, Judge judge, Axis axis) {
        for (int i = fail + 1; i < points.size(); i++) {
            if (judge.passes(points.get(i))) {
                return "; but " + axis.describe(points.get(i).load()) + " passes again, so the curve is noisy";
            }
        }
        return "";
    }

    /** The bracketed result with its next load: the bracket's midpoint, or a repeat of P when none fits between. */
    private static MaxLoad bisect(MaxLoad m, Axis axis, List<Double> undelivered) {
        double next = midpoint(m.bracketLow(), m.bracketHigh(), axis);
        boolean inside = next > m.bracketLow() && next < m.bracketHigh();
        String suggestion = inside
                ? run(next, axis, undelivered) + " to halve the bracket [" + Text.number(m.bracketLow()) + ", "
                        + Text.number(m.bracketHigh()) + "]"
                : "the bracket is as narrow as it gets; run " + axis.describe(m.bracketLow())
                        + " again with --repeat 3 to confirm";
        return new MaxLoad(m.load(), m.interpolated(), m.bracketLow(), m.bracketHigh(), m.rangeLow(), m.rangeHigh(),
                m.metric(), m.confidence(), inside ? next : m.bracketLow(), suggestion);
    }

    /** The midpoint of a bracket, rounded to a runnable load. */
    static double midpoint(double low, double high, Axis axis) {
        return roundLoad((low + high) / 2, axis);
    }

    /** {@code run concurrency 16}, or, for a load the client did not deliver, to run it again from one that does. */
    private static String run(double load, Axis axis, List<Double> undelivered) {
        return "run " + axis.describe(load) + (undelivered.contains(load) ? " again from a client that delivers it" : "");
    }

    /** A load as it can be run: a whole concurrency, or a rate with three significant digits. */
    static double roundLoad(double load, Axis axis) {
        if (axis == Axis.CONCURRENCY) return Math.max(1, Math.round(load));
        double scale = Math.pow(10, 2 - Math.floor(Math.log10(load)));
        return Math.round(load * scale) / scale;
    }

    private static String bindingKey(LoadPoint p, Judge judge) {
        return judge.slo().binding(p::mean).key();
    }
}
