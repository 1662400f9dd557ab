package dev.headroom.selftest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headroom.selftest.StepCorpus.Metric;
import dev.headroom.selftest.StepFidelity.Error;
import dev.headroom.selftest.StepFidelity.Evaluation;
import dev.headroom.selftest.StepFidelity.Percentiles;
import dev.headroom.selftest.StepFidelity.Scheme;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The prediction-error bands ({@code plan/prediction-error.json}) that reports print around a prediction: median
 * and P90 |error| of each metric, held out, from the engine the simulator uses ({@link
 * StepFidelity.Evaluation#engine}: the fitted model, or the roofline's steps with the fitted API server), by whether
 * the GPU was in the fit, by model size and by load: {@code gpu_seen: true} cells are the leave-one-model-out
 * errors and {@code false} the leave-one-GPU-out errors. KV tokens are the planner's (nothing fitted). Every cell
 * with at least one point is written; a reader picks the most specific cell with at least five.
 */
public final class PredictionErrorFile {

    /** Where the bundled file lives in the source tree (the regeneration command writes it there). */
    public static final String RESOURCE = "src/main/resources/dev/headroom/plan/prediction-error.json";

    /** Where the bundled step-model fit lives in the source tree. */
    public static final String COEFFICIENTS = "src/main/resources/dev/headroom/plan/step-coefficients.json";

    /** The one command that regenerates both bundled files (bands and coefficients). */
    public static final String REGENERATE = "./build -q package -DskipTests && ./headroom selftest fidelity --write-bands "
            + RESOURCE + " --write-coefficients " + COEFFICIENTS;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Metric> METRICS = List.of(Metric.TTFT, Metric.TPOT, Metric.ITL, Metric.E2E, Metric.THROUGHPUT);
    private static final List<String> SIZES = List.of("<2B", "2-10B", ">10B", "any");
    private static final List<String> LOADS = List.of("single", "multi", "any");

    private PredictionErrorFile() {}

    /** The file's text for {@code e} (the step model it names decides which errors it carries) and KV outcomes. */
    public static String json(Evaluation e, List<Fidelity.Outcome> kv) {
        List<Error> seen = e.engine().get(Scheme.MODEL).errors();
        List<Error> unseen = e.engine().get(Scheme.GPU).errors();
        List<StepCorpus> pts = e.points();
        ObjectNode root = JSON.createObjectNode();
        root.put("generated_by", "headroom selftest fidelity --write-bands");
        root.put("step_model", e.fittedBeatsRoofline() ? "fitted" : "roofline");
        ObjectNode corpus = root.putObject("corpus");
        corpus.put("points", pts.size());
        pts.stream().map(p -> p.gpu().id()).distinct().sorted().forEach(corpus.putArray("gpus")::add);
        pts.stream().map(StepCorpus::model).distinct().sorted().forEach(corpus.putArray("models")::add);
        pts.stream().map(p -> p.setup().model().quantization().method()).distinct().sorted()
                .forEach(corpus.putArray("weights")::add);
        range(corpus.putArray("tensor_parallel"), pts, p -> p.setup().serve().tensorParallelSize(), 0);
        range(corpus.putArray("params_billions"), pts, p -> p.parameterCount() / 1e9, 2);
        range(corpus.putArray("concurrency"), pts, p -> p.concurrency(), 0);
        range(corpus.putArray("input_tokens"), pts, p -> p.inputTokens(), 0);
        range(corpus.putArray("output_tokens"), pts, p -> p.outputTokens(), 0);
        ArrayNode bands = root.putArray("bands");
        for (Metric m : METRICS) {
            for (boolean gpuSeen : List.of(true, false)) {
                for (String size : SIZES) {
                    for (String load : LOADS) {
                        List<Error> errors = gpuSeen ? seen : unseen;
                        Percentiles q = percentiles(errors, m, cell(size, load));
                        long models = errors.stream().filter(x -> x.metric() == m && cell(size, load).test(x.point()))
                                .map(x -> x.point().model()).distinct().count();
                        if (q.points() > 0) band(bands, m.name().toLowerCase(Locale.ROOT), gpuSeen, size, load, q, models);
                    }
                }
            }
        }
        Percentiles k = StepErrorTable.kvTokens(kv);
        if (k.points() > 0) band(bands, "kv_tokens", true, "any", "any", k,
                kv.stream().filter(o -> o.c().kind() == FidelityCase.Kind.KV_TOKENS).map(o -> o.c().model()).distinct().count());
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
    }

    /** Writes the file for {@code e} to {@code file}. */
    public static void write(Path file, Evaluation e, List<Fidelity.Outcome> kv) {
        writeText(file, json(e, kv));
    }

    /** Writes {@code text} to {@code file}, creating its folder. */
    public static void writeText(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(file, text);
        } catch (IOException x) {
            throw new UncheckedIOException("selftest fidelity: cannot write " + file + ": " + x.getMessage(), x);
        }
    }

    private static Predicate<StepCorpus> cell(String size, String load) {
        return p -> (size.equals("any") || StepFidelity.size(p).equals(size))
                && (load.equals("any") || load.equals(p.concurrency() == 1 ? "single" : "multi"));
    }

    private static Percentiles percentiles(List<Error> errors, Metric m, Predicate<StepCorpus> which) {
        double[] abs = errors.stream().filter(x -> x.metric() == m && which.test(x.point()))
                .mapToDouble(x -> Math.abs(x.percent())).sorted().toArray();
        return new Percentiles(abs.length, SimulatedPoint.percentile(abs, 50), SimulatedPoint.percentile(abs, 90));
    }

    private static void band(ArrayNode bands, String metric, boolean gpuSeen, String size, String load, Percentiles q,
                             long models) {
        ObjectNode b = bands.addObject();
        b.put("metric", metric);
        b.put("gpu_seen", gpuSeen);
        b.put("size", size);
        b.put("load", load);
        b.put("points", q.points());
        b.put("models", models);
        b.put("median_abs_pct", rounded(q.median(), 1));
        b.put("p90_abs_pct", rounded(q.p90(), 1));
    }

    /** Adds the least and the greatest of {@code f} over {@code pts} to {@code to}, to {@code decimals} places. */
    private static void range(ArrayNode to, List<StepCorpus> pts, ToDoubleFunction<StepCorpus> f, int decimals) {
        double lo = pts.stream().mapToDouble(f).min().orElse(0);
        double hi = pts.stream().mapToDouble(f).max().orElse(0);
        for (double v : new double[] {lo, hi}) {
            if (decimals == 0) to.add(Math.round(v));
            else to.add(rounded(v, decimals));
        }
    }

    private static double rounded(double v, int decimals) {
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }
}
