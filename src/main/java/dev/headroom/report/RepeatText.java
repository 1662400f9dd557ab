package dev.headroom.report;

import dev.headroom.analysis.LoadPoint;
import dev.headroom.analysis.RepeatInterval;

/**
 * A recommended point's repeats in words: "271 ± 12 tok/s and p95 E2E 1,210 ± 40 ms over 3 runs", or that it was run
 * once or twice and the interval not computed. The interval is analysis's ({@link RepeatInterval}).
 */
final class RepeatText {

    /** How the interval is computed, in a sentence. */
    static final String METHOD = "A ± figure is a 95% confidence interval for the mean over the runs (Student's t "
            + "over the runs, each with its own prompts); it is computed from 3 runs on.";

    private RepeatText() {}

    /** The point's throughput and p95 E2E latency over its runs, with their intervals when there are 3 runs or more. */
    static String of(Curve c, LoadPoint p) {
        RepeatInterval tps = p.interval("output_throughput");
        RepeatInterval p95 = p.interval("p95_e2el_ms");
        String at = c.loadText(p.load());
        if (tps.runs() == 0) return "at " + at + " no run measured throughput.";
        if (!tps.computed()) {
            return at + " was run " + (tps.runs() == 1 ? "once" : "twice") + ": " + Fmt.tps(tps.mean()) + ", p95 E2E "
                    + Fmt.ms(p95.mean()) + "; no confidence interval (it needs " + RepeatInterval.MIN_RUNS + " runs or more).";
        }
        return "at " + at + ", " + Fmt.num(tps.mean()) + " ± " + Fmt.tps(tps.halfWidth()) + " and p95 E2E "
                + (p95.computed() ? Fmt.num(p95.mean()) + " ± " + Fmt.ms(p95.halfWidth()) : Fmt.ms(p95.mean()))
                + " over " + tps.runs() + " runs (95% confidence).";
    }
}
