package dev.headroom.analysis;

import com.fasterxml.jackson.databind.node.MissingNode;
import dev.headroom.results.RunInfo;
import dev.headroom.spec.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command that measures a predicted load on a real server, three times for a confidence interval, with the
 * workload the prediction ran (its run.yaml's inputs) and the SLO it was judged by:
 * {@code headroom sweep --url http://SERVER:8000 --model M --workload chat --output-tokens 48 --concurrency 8
 * --repeat 3 --slo p95_e2el=1500ms --out measured-chat-c8}. {@code SERVER} stands for the user's server.
 */
final class MeasureCommand {

    /** The load-shape inputs of run.yaml that become flags of the same name, in the order they are written. */
    private static final List<String> SHAPE = List.of("input_tokens", "input_stddev", "output_tokens", "output_stddev",
            "range_ratio");

    private MeasureCommand() {
    }

    /** The command for {@code p} on {@code axis}, judged by {@code slo}. */
    static String of(LoadPoint p, Axis axis, SloChoice slo) {
        RunInfo run = runInfo(p.first().dir());
        List<String> words = new ArrayList<>(List.of("headroom", "sweep", "--url", "http://SERVER:8000"));
        // A predicted run records the catalog name; a real server serves the Hugging Face id.
        String model = ModelSpec.huggingFaceId(run.input("model").isEmpty() ? p.first().model() : run.input("model"));
        if (model != null && !model.isEmpty()) words.addAll(List.of("--model", model));
        words.addAll(List.of("--workload", p.first().workload()));
        for (String key : SHAPE) {
            String v = run.input(key);
            if (!v.isEmpty() && !isZero(v)) words.addAll(List.of("--" + key.replace('_', '-'), v));
        }
        if (p.concurrency() != null) words.addAll(List.of("--concurrency", String.valueOf(p.concurrency())));
        if (axis == Axis.RATE) words.addAll(List.of("--rate", Text.number(p.load())));
        words.addAll(List.of("--repeat", "3", "--slo", sloSpec(slo)));
        words.addAll(List.of("--out", "measured-" + p.first().workload() + "-" + (axis == Axis.RATE ? "r" : "c")
                + Text.number(p.load())));
        return String.join(" ", words);
    }

    /** The SLO as {@code --slo} takes it: {@code p95_e2el=1500ms,p50_tpot=50ms}. */
    static String sloSpec(SloChoice slo) {
        List<String> parts = new ArrayList<>();
        for (SloChoice.Objective o : slo.objectives()) {
            parts.add("p" + Text.number(o.percentile()) + "_" + o.metric().key() + "="
                    + String.format(Locale.US, "%.0fms", o.thresholdMs()));
        }
        return String.join(",", parts);
    }

    private static boolean isZero(String v) {
        try {
            return Double.parseDouble(v) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The point's run.yaml, empty for a point without a run folder (a capacity.csv row or a result file). */
    private static RunInfo runInfo(Path dir) {
        try {
            return dir == null || !Files.isDirectory(dir) ? new RunInfo(MissingNode.getInstance()) : RunInfo.read(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + dir.resolve("run.yaml"), e);
        }
    }
}
