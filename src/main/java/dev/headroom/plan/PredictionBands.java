package dev.headroom.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.headroom.spec.Quantization;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The published held-out error of headroom's predictions ({@code plan/prediction-error.json}, written by
 * {@code headroom selftest fidelity --write-bands}): for a predicted run, each metric's band from the error of its
 * regime (the GPU in the error corpus or left out, the model's size class, single stream or under load), and what of
 * the run lies outside the corpus's coverage.
 *
 * <p>A band is the most specific cell with at least {@link #MIN_POINTS} held-out points of {@link #MIN_MODELS} models, falling back to every size,
 * then to every load; with no such cell, the fallback cell with the most points. KV tokens come from the planner,
 * which fits nothing per GPU, so their cells are the same whether the GPU was in the corpus or not. Mean ITL and
 * TPOT are the same average of a request's decode gaps, so ITL takes TPOT's band where the file has no ITL cell.
 *
 * @param generatedBy the command (or note) that wrote the file
 * @param stepModel   the step model whose errors these are: {@code fitted} or {@code roofline}
 * @param corpus      what the error corpus covers
 * @param cells       every published cell, each with at least one point
 */
public record PredictionBands(String generatedBy, String stepModel, Coverage corpus, List<Cell> cells) {

    /** The classpath resource the simulator's published errors live in. */
    public static final String RESOURCE = "/dev/headroom/plan/prediction-error.json";

    /** A cell backs a band on its own only with at least this many held-out points. */
    public static final int MIN_POINTS = 5;

    /**
     * ...and of at least this many models: five points of one model's sweep are one source's offset, not the error
     * of the regime.
     */
    public static final int MIN_MODELS = 2;

    public PredictionBands {
        cells = List.copyOf(cells);
    }

    /** A predicted figure's kind, under the file's name for it. */
    public enum Metric {
        TTFT("ttft"), TPOT("tpot"), ITL("itl"), E2E("e2e"), THROUGHPUT("throughput"), KV_TOKENS("kv_tokens");

        private final String key;

        Metric(String key) {
            this.key = key;
        }

        /** The name prediction-error.json and summary.json's {@code prediction} block use. */
        public String key() {
            return key;
        }

        static Metric of(String key) {
            for (Metric m : values()) if (m.key.equals(key)) return m;
            throw new IllegalArgumentException("prediction-error.json: metric '" + key + "' is not one of ttft, tpot, itl, e2e, throughput, kv_tokens");
        }
    }

    /** A model's size class by parameter count; {@code ANY} pools them. */
    public enum Size {
        UNDER_2B("<2B"), FROM_2_TO_10B("2-10B"), OVER_10B(">10B"), ANY("any");

        private final String key;

        Size(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        /** The class of a model of {@code paramsBillions} billion parameters. */
        public static Size of(double paramsBillions) {
            return paramsBillions < 2 ? UNDER_2B : paramsBillions <= 10 ? FROM_2_TO_10B : OVER_10B;
        }

        static Size parse(String key) {
            for (Size s : values()) if (s.key.equals(key)) return s;
            throw new IllegalArgumentException("prediction-error.json: size '" + key + "' is not one of <2B, 2-10B, >10B, any");
        }
    }

    /** Single stream (concurrency 1) or under load (above 1); {@code ANY} pools them. */
    public enum Load {
        SINGLE("single"), MULTI("multi"), ANY("any");

        private final String key;

        Load(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        /** The region of a run with {@code concurrency} requests in flight (at most). */
        public static Load of(int concurrency) {
            return concurrency <= 1 ? SINGLE : MULTI;
        }

        static Load parse(String key) {
            for (Load l : values()) if (l.key.equals(key)) return l;
            throw new IllegalArgumentException("prediction-error.json: load '" + key + "' is not one of single, multi, any");
        }
    }

    /**
     * One cell of the error table: the held-out absolute percentage errors of one metric in one regime.
     *
     * @param gpuSeen       true: leave-one-model-out errors (the GPU was in the fit); false: leave-one-GPU-out
     * @param points        held-out predictions behind it, at least 1
     * @param models        distinct models among them, at least 1
     * @param medianAbsPct  median |predicted − published| / published, percent
     * @param p90AbsPct     90th percentile of the same, percent
     */
    public record Cell(Metric metric, boolean gpuSeen, Size size, Load load, int points, int models,
                       double medianAbsPct, double p90AbsPct) {
        public Cell {
            if (points < 1) throw new IllegalArgumentException("prediction-error.json: a cell needs at least 1 point, was " + points);
            if (!(medianAbsPct >= 0) || !(p90AbsPct >= 0)) {
                throw new IllegalArgumentException("prediction-error.json: errors must be >= 0 percent, were " + medianAbsPct + " and " + p90AbsPct);
            }
        }

        /** The regime in plain words, e.g. "a GPU in the corpus, 2–10B models, under load". */
        public String regime() {
            String gpu = gpuSeen ? "a GPU in the corpus" : "a GPU left out of the corpus";
            String models = switch (size) {
                case UNDER_2B -> "models under 2B parameters";
                case FROM_2_TO_10B -> "models of 2–10B parameters";
                case OVER_10B -> "models over 10B parameters";
                case ANY -> "models of every size";
            };
            String load = switch (this.load) {
                case SINGLE -> "one request at a time";
                case MULTI -> "more than one request at a time";
                case ANY -> "every load";
            };
            return gpu + ", " + models + ", " + load;
        }
    }

    /** An inclusive range of a corpus dimension. */
    public record Span(double min, double max) {
        public boolean contains(double v) {
            return v >= min && v <= max;
        }
    }

    /**
     * What the error corpus covers.
     *
     * @param gpus           the GPU ids of its points ({@code Gpu.id()})
     * @param weights        the weight formats of its points ({@code Quantization.method()}: none, fp8, awq, ...)
     * @param tensorParallel the GPUs one model was split over, least and most
     */
    public record Coverage(int points, List<String> gpus, List<String> models, List<String> weights,
                           Span tensorParallel, Span paramsBillions, Span concurrency, Span inputTokens,
                           Span outputTokens) {
        public Coverage {
            gpus = List.copyOf(gpus);
            models = List.copyOf(models);
            weights = List.copyOf(weights);
        }
    }

    /**
     * A predicted run as the bands see it.
     *
     * @param gpu            the GPU's id ({@code Gpu.id()})
     * @param paramsBillions the model's parameters, billions
     * @param concurrency    requests in flight at most
     * @param inputTokens    mean prompt length, tokens
     * @param outputTokens   mean output length, tokens
     * @param weights        how the model's linear weights are stored ({@code Quantization})
     * @param tensorParallel the GPUs the model is split over (vLLM's {@code --tensor-parallel-size})
     */
    public record Run(String gpu, double paramsBillions, int concurrency, double inputTokens, double outputTokens,
                      Quantization weights, int tensorParallel) {}

    /**
     * A metric's band for a run.
     *
     * @param cell     the cell it came from
     * @param fellBack true when the run's own regime had no cell of at least {@link #MIN_POINTS} points of {@link #MIN_MODELS} models
     */
    public record Band(Cell cell, boolean fellBack) {

        /** The range of a predicted figure {@code v}: ± the P90 absolute error, [v·max(0, 1−e/100), v·(1+e/100)]. */
        public double[] range(double v) {
            double e = cell.p90AbsPct() / 100;
            // An error of 100% or more leaves no lower bound but zero: a time or a rate is never negative.
            return new double[] {v * Math.max(0, 1 - e), v * (1 + e)};
        }
    }

    /** The errors of the simulator shipped with headroom (read once: the bundled resource does not change). */
    public static PredictionBands published() {
        return Published.BANDS;
    }

    /** The bundled bands, read on first use. */
    private static final class Published {
        static final PredictionBands BANDS = load();
    }

    private static PredictionBands load() {
        try (InputStream in = PredictionBands.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("headroom's jar lacks " + RESOURCE);
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
    }

    /** Reads a prediction-error.json. */
    public static PredictionBands read(InputStream in) throws IOException {
        JsonNode root = JsonMapper.builder().build().readTree(in);
        JsonNode c = root.path("corpus");
        Coverage corpus = new Coverage(c.path("points").asInt(), texts(c.path("gpus")), texts(c.path("models")),
                texts(c.path("weights")), span(c, "tensor_parallel"), span(c, "params_billions"),
                span(c, "concurrency"), span(c, "input_tokens"), span(c, "output_tokens"));
        List<Cell> cells = new ArrayList<>();
        for (JsonNode b : root.path("bands")) {
            cells.add(new Cell(Metric.of(b.path("metric").asText()), b.path("gpu_seen").asBoolean(),
                    Size.parse(b.path("size").asText()), Load.parse(b.path("load").asText()), b.path("points").asInt(),
                    b.path("models").asInt(1), b.path("median_abs_pct").asDouble(Double.NaN), b.path("p90_abs_pct").asDouble(Double.NaN)));
        }
        return new PredictionBands(root.path("generated_by").asText(), root.path("step_model").asText(), corpus, cells);
    }

    /** Whether the run's GPU was among the error corpus's GPUs. */
    public boolean gpuSeen(Run run) {
        return corpus.gpus().contains(run.gpu());
    }

    /** The metric's band for the run, or empty when the file publishes no error for the metric. */
    public Optional<Band> band(Metric metric, Run run) {
        boolean seen = metric == Metric.KV_TOKENS || gpuSeen(run);
        Size size = Size.of(run.paramsBillions());
        Load load = Load.of(run.concurrency());
        List<Cell> chain = new ArrayList<>();
        for (Size s : List.of(size, Size.ANY)) cell(metric, seen, s, load).ifPresent(chain::add);
        cell(metric, seen, Size.ANY, Load.ANY).ifPresent(chain::add);
        if (chain.isEmpty()) return metric == Metric.ITL ? band(Metric.TPOT, run) : Optional.empty();
        Cell own = chain.get(0).size() == size && chain.get(0).load() == load ? chain.get(0) : null;
        Cell pick = chain.stream().filter(x -> x.points() >= MIN_POINTS && x.models() >= MIN_MODELS).findFirst()
                .orElseGet(() -> chain.stream().max((a, b) -> Integer.compare(a.points(), b.points())).orElseThrow());
        return Optional.of(new Band(pick, pick != own));
    }

    private Optional<Cell> cell(Metric metric, boolean gpuSeen, Size size, Load load) {
        boolean kv = metric == Metric.KV_TOKENS;
        return cells.stream().filter(c -> c.metric() == metric && (kv || c.gpuSeen() == gpuSeen)
                && c.size() == size && c.load() == load).findFirst();
    }

    /** What of the run lies outside the error corpus's coverage, one plain sentence each; empty when nothing does. */
    public List<String> outsideCoverage(Run run) {
        List<String> notes = new ArrayList<>();
        if (!gpuSeen(run)) {
            notes.add("no published vLLM run on this GPU was in the error corpus, so the ranges are the error on GPUs "
                    + "left out of the fit");
        }
        if (!corpus.weights().contains(run.weights().method())) {
            notes.add("no published vLLM run in the error corpus had " + run.weights().describe() + " weights (it holds "
                    + inWords(corpus.weights().stream().map(Quantization::describeMethod).toList())
                    + " ones), so the ranges are the error on those");
        }
        if (corpus.tensorParallel() != null && !corpus.tensorParallel().contains(run.tensorParallel())) {
            // Roofline gives each GPU its share of the weights and heads but no all-reduce between them.
            notes.add("the model is split over " + run.tensorParallel() + " GPUs (tensor parallelism), as no published"
                    + " vLLM run in the error corpus was, and the simulator leaves out the time the GPUs spend exchanging"
                    + " results: expect the real run slower than the range");
        }
        outside(notes, "the model (" + num(run.paramsBillions()) + " billion parameters) is", "larger", "smaller",
                run.paramsBillions(), corpus.paramsBillions(), " billion");
        outside(notes, "the load (" + num(run.concurrency()) + " requests in flight) is", "heavier", "lighter",
                run.concurrency(), corpus.concurrency(), " requests");
        outside(notes, "the prompts (" + num(run.inputTokens()) + " tokens on average) are", "longer", "shorter",
                run.inputTokens(), corpus.inputTokens(), " tokens");
        outside(notes, "the outputs (" + num(run.outputTokens()) + " tokens on average) are", "longer", "shorter",
                run.outputTokens(), corpus.outputTokens(), " tokens");
        return notes;
    }

    private static void outside(List<String> notes, String subject, String above, String below, double v, Span span,
                                String unit) {
        if (span == null || Double.isNaN(v) || span.contains(v)) return;
        notes.add(subject + " " + (v > span.max() ? above : below) + " than any in the error corpus ("
                + num(span.min()) + " to " + num(span.max()) + unit + ")");
    }

    /** "a", "a and b", "a, b and c". */
    private static String inWords(List<String> items) {
        if (items.size() < 2) return String.join("", items);
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    /** Three significant digits, thousands grouped: 0.49, 14.8, 8,192. */
    static String num(double v) {
        if (Math.abs(v) >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static Span span(JsonNode corpus, String key) {
        JsonNode a = corpus.path(key);
        return a.isArray() && a.size() == 2 ? new Span(a.get(0).asDouble(), a.get(1).asDouble()) : null;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
