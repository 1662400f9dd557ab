package dev.headroom.report;

import dev.headroom.results.TuneJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The section of a {@code headroom tune} folder: the config chosen and its {@code vllm serve} file, predicted and
 * measured figures side by side, the runner-up and why it lost, the settings that did not matter, and the server
 * starts and GPU time used against a brute-force grid of the same space.
 */
final class TuneSection {

    private TuneSection() {}

    /** Appends one section per tune folder among the study's folders; nothing when there is none. */
    static void append(Doc doc, Study study) {
        for (SweepResults s : study.sweeps()) {
            if (TuneJson.isTune(s.dir())) section(doc, TuneJson.read(s.dir()));
        }
    }

    static void section(Doc doc, TuneJson t) {
        doc.h2("Tuned server settings: " + t.workload() + " on " + t.gpu().toUpperCase(Locale.ROOT));
        String figure = figure(t);
        String pruned = t.refused() == 0 ? "every configuration of the search space starts"
                : String.format(Locale.US, "%,d of the %,d in the search space; vLLM would refuse the other %,d, so they "
                        + "were left out", t.spaceSize() - t.refused(), t.spaceSize(), t.refused());
        doc.p(String.format(Locale.US, "headroom searched %,d server configurations for %s on the simulator (%s) in "
                        + "%.0f s and %,d predicted load points, by %s: %s. Each one is judged by %s.",
                t.spaceSize() - t.refused(), t.workload(), pruned, t.searchSeconds(), t.searchPoints(),
                t.strategy().replace('-', ' '), t.why(), figure));
        chosen(doc, t);
        table(doc, t);
        if (t.runnerUp() != null) {
            doc.p("The runner-up, `" + settings(t.runnerUp().values()) + "`, lost: " + t.runnerUpWhy() + ".");
        }
        knobs(doc, t);
        cost(doc, t);
    }

    private static String figure(TuneJson t) {
        return t.objective().equals("latency")
                ? "the highest concurrency meeting the SLO (" + t.slo() + ")"
                : "its output throughput at the load it serves best without preemptions or server errors (on one GPU, "
                        + "the most tokens per dollar); the latency SLO (" + t.slo() + ") is shown, not applied";
    }

    private static void chosen(Doc doc, TuneJson t) {
        TuneJson.Config c = t.chosen();
        String by = t.chosenBy().equals("measurement")
                ? "chosen by measurement: predicted " + value(t, c.predicted()) + ", measured " + value(t, c.measured())
                : "chosen by prediction (no server was started): " + value(t, c.predicted()) + ", within ±"
                        + Fmt.num(c.bandPercent()) + "%";
        doc.p("The configuration to deploy, " + by + ":");
        doc.code("yaml", t.serveYaml());
        if (!t.sloMet()) {
            doc.p("No configuration of the space meets " + (t.objective().equals("latency") ? "the SLO" : "the job's deadline")
                    + (t.missPercent() == null ? "" : String.format(Locale.US, "; this one, the closest, misses it by %.0f%%",
                    t.missPercent())) + ".");
        }
    }

    private static void table(Doc doc, TuneJson t) {
        List<List<String>> rows = new ArrayList<>();
        for (TuneJson.Config c : t.configs()) {
            rows.add(List.of("`" + settings(c.values()) + "`", value(t, c.predicted()) + " ± " + Fmt.num(c.bandPercent()) + "%",
                    c.measured() == null ? Fmt.MISSING : value(t, c.measured()), c.note() == null ? "not a contender" : c.note()));
        }
        doc.table(List.of("Settings", "Predicted", "Measured", "Confirmation"), rows);
    }

    private static void knobs(Doc doc, TuneJson t) {
        if (t.knobEffects().isEmpty()) return;
        String moved = t.knobEffects().entrySet().stream().filter(e -> !t.unimportant().contains(e.getKey()))
                .map(e -> "`" + e.getKey() + "` up to " + Fmt.num(e.getValue()) + "%").collect(Collectors.joining(", "));
        String still = t.unimportant().stream().map(k -> "`" + k + "`").collect(Collectors.joining(", "));
        doc.p("Between configurations that differ in one setting alone (each one's first search figure, at "
                + Fmt.count(t.effectRequests()) + " requests a load), "
                + (moved.isEmpty() ? "no setting moved the predicted figure by 1% or more" : moved + " moved the predicted figure")
                + (still.isEmpty() ? "." : "; " + still + " moved it by less than 1%: for this workload on this GPU they do not matter."));
    }

    private static void cost(Doc doc, TuneJson t) {
        TuneJson.Cost b = t.bruteForce();
        String grid = String.format(Locale.US, "a brute-force grid of the same space (every configuration started and run "
                + "at %,d loads) would take %,d server starts and %,d load points%s", b.loadPoints() / Math.max(1, b.starts()),
                b.starts(), b.loadPoints(), b.gpuMinutes() == null ? ""
                        : ", about " + Fmt.num(b.gpuMinutes()) + " GPU-minutes at the confirmation's own pace");
        TuneJson.Cost c = t.confirmation();
        if (c == null) {
            doc.p("No server was started: the choice rests on the prediction alone; " + grid + ".");
            return;
        }
        doc.p(String.format(Locale.US, "Confirmation took %,d server start%s, %,d load points and %s GPU-minutes; %s.",
                c.starts(), c.starts() == 1 ? "" : "s", c.loadPoints(), Fmt.num(c.gpuMinutes()), grid));
    }

    private static String value(TuneJson t, Double v) {
        if (v == null) return Fmt.MISSING;
        return t.objective().equals("latency") ? "concurrency " + Fmt.concurrency(v) : Fmt.tps(v);
    }

    /** {@code max_num_seqs=64,max_num_batched_tokens=2048}: the plain-words glossary reads it as settings. */
    private static String settings(Map<String, Object> values) {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
