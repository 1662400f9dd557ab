package dev.headroom.selftest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.selftest.StepCorpus.Metric;
import dev.headroom.selftest.StepFidelity.Error;
import dev.headroom.selftest.StepFidelity.Evaluation;
import dev.headroom.selftest.StepFidelity.Percentiles;
import dev.headroom.selftest.StepFidelity.Scheme;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

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
        boolean fitted = e.fittedBeatsRoofline();
        List<Error> seen = e.engine().get(Scheme.MODEL).errors();
        List<Error> unseen = e.engine().get(Scheme.GPU).errors();
        List<StepCorpus> pts = e.points();
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"generated_by\": \"headroom selftest fidelity --write-bands\",\n");
        sb.append("  \"step_model\": \"").append(fitted ? "fitted" : "roofline").append("\",\n");
        sb.append("  \"corpus\": {\"points\": ").append(pts.size())
                .append(", \"gpus\": ").append(json(pts.stream().map(p -> p.gpu().id()).distinct().sorted().toList()))
                .append(", \"models\": ").append(json(pts.stream().map(StepCorpus::model).distinct().sorted().toList()))
                .append(",\n             \"params_billions\": ").append(range(pts, p -> p.parameterCount() / 1e9, 2))
                .append(", \"concurrency\": ").append(range(pts, p -> p.concurrency(), 0))
                .append(",\n             \"input_tokens\": ").append(range(pts, p -> p.inputTokens(), 0))
                .append(", \"output_tokens\": ").append(range(pts, p -> p.outputTokens(), 0)).append("},\n");
        List<String> bands = new ArrayList<>();
        for (Metric m : METRICS) {
            for (boolean gpuSeen : List.of(true, false)) {
                for (String size : SIZES) {
                    for (String load : LOADS) {
                        List<Error> errors = gpuSeen ? seen : unseen;
                        Percentiles q = percentiles(errors, m, cell(size, load));
                        long models = errors.stream().filter(x -> x.metric() == m && cell(size, load).test(x.point()))
                                .map(x -> x.point().model()).distinct().count();
                        if (q.points() > 0) bands.add(band(m.name().toLowerCase(Locale.ROOT), gpuSeen, size, load, q, models));
                    }
                }
            }
        }
        Percentiles k = StepErrorTable.kvTokens(kv);
        if (k.points() > 0) bands.add(band("kv_tokens", true, "any", "any", k,
                kv.stream().filter(o -> o.c().kind() == FidelityCase.Kind.KV_TOKENS).map(o -> o.c().model()).distinct().count()));
        sb.append("  \"bands\": [\n    ").append(String.join(",\n    ", bands)).append("\n  ]\n}\n");
        return sb.toString();
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

    private static String band(String metric, boolean gpuSeen, String size, String load, Percentiles q, long models) {
        return String.format(Locale.ROOT, "{\"metric\": \"%s\", \"gpu_seen\": %b, \"size\": \"%s\", \"load\": \"%s\", "
                + "\"points\": %d, \"models\": %d, \"median_abs_pct\": %.1f, \"p90_abs_pct\": %.1f}", metric, gpuSeen,
                size, load, q.points(), models, q.median(), q.p90());
    }

    private static String range(List<StepCorpus> pts, java.util.function.ToDoubleFunction<StepCorpus> f, int decimals) {
        double lo = pts.stream().mapToDouble(f).min().orElse(0);
        double hi = pts.stream().mapToDouble(f).max().orElse(0);
        String format = "[%." + decimals + "f, %." + decimals + "f]";
        return String.format(Locale.ROOT, format, lo, hi);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
    }
}
