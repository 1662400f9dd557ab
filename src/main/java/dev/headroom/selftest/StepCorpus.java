package dev.headroom.selftest;

import dev.headroom.plan.MemoryPlan;
import dev.headroom.plan.Planner;
import dev.headroom.plan.Roofline;
import dev.headroom.plan.RooflineCalibration;
import dev.headroom.plan.StepBasis;
import dev.headroom.plan.StepCostModel;
import dev.headroom.plan.StepFit;
import dev.headroom.plan.StepWork;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.GpuSpec;
import dev.headroom.spec.ServeFlags;
import dev.headroom.spec.ServingSetup;
import dev.headroom.spec.VllmArgs;
import dev.headroom.spec.VllmVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The step-time corpus ({@code step-corpus/}): published closed-loop benchmarks of real vLLM servers, and the
 * analytic equivalent of each benchmark in {@link StepBasis} features — what the engine's steps add up to in a
 * steady closed loop of {@code concurrency} streams, without running the simulator:
 * <ul>
 *   <li>TPOT: over one request's {@code out - 1} decode steps, every step decodes {@code n = min(c, max_num_seqs)}
 *       requests at mean context {@code in + out/2}, and the other {@code c - 1} streams each prefill one prompt
 *       into those steps (chunks of the token budget beside {@code c - 1} decodes), so
 *       {@code TPOT = decode(n) + (c - 1)/(out - 1) · Σ_chunks (mixed − decode(n))};</li>
 *   <li>TTFT: the API server's per-request cost plus the prompt's prefill chunks, each beside {@code c - 1}
 *       decodes (no queue: lockstep waves of a closed loop are not modelled);</li>
 *   <li>E2E {@code = TTFT + (out - 1)·TPOT}; throughput {@code = c / E2E} requests per second.</li>
 * </ul>
 * This is the analytic equivalent of the offline simulator for steady-state batches, not a run of it: the same
 * {@link StepWork} the engine would hand the step-cost model, summed in closed form A point whose lengths
 * vary by a range ratio enters with its mean lengths (the simulator, {@link SimulatedPoint}, draws each request's).
 *
 * <p>The corpus is a folder, {@code step-corpus/}, one file per source listed in its {@code index.txt}; each row has
 * the 26 {@code |}-separated columns of {@link #COLUMNS} (docs/fidelity.md describes them).
 *
 * @param dataset      {@code random} (vLLM's random dataset: fixed lengths, or drawn by {@code rangeRatio}),
 *                     {@code fixed} (the source's own prompts, every request exactly {@code inputTokens} in and
 *                     {@code outputTokens} out), {@code sonnet}, {@code sharegpt} or the source's own name
 * @param inputTokens  prompt tokens per request (the published mean, rounded, where lengths vary)
 * @param outputTokens output tokens per request (the published mean, rounded, where lengths vary)
 * @param rangeRatio   vLLM's {@code --random-range-ratio r} of a {@code random} point: each request's input and
 *                     output lengths are drawn uniformly from [floor(len·(1−r)), ceil(len·(1+r))] around
 *                     {@code inputTokens} and {@code outputTokens}; 0 for fixed lengths
 * @param concurrency  closed-loop streams, or 0 for an open loop; a flood (request rate {@code inf} and no max
 *                     concurrency: every prompt sent at once) is a closed loop of its prompt count
 * @param requestRate  requests per second offered, {@code +Infinity} for a closed loop or a flood
 * @param numPrompts   requests the source sent, or 0 when it does not say
 * @param stat         which statistic the un-suffixed latency columns are
 * @param published    the published value of each metric the source prints, in its unit (ms, requests per second)
 */
public record StepCorpus(String id, String model, Gpu gpu, VllmVersion version, String vllmArgs, String dataset,
                         int inputTokens, int outputTokens, double rangeRatio, int concurrency, double requestRate, int numPrompts,
                         Stat stat, Map<Metric, Double> published, String source, String note, String quote) {

    private static final String FOLDER = "/dev/headroom/selftest/step-corpus/";

    /** The columns of a corpus row, in order. */
    public static final List<String> COLUMNS = List.of("id", "model", "gpu", "vllm_version", "vllm_args", "dataset",
            "input_tokens", "output_tokens", "range_ratio", "concurrency", "request_rate", "num_prompts", "stat", "ttft_ms",
            "ttft_p90_ms", "ttft_p99_ms", "tpot_ms", "itl_ms", "e2e_ms", "e2e_p90_ms", "e2e_p99_ms", "req_per_s",
            "out_tok_per_s", "source", "note", "quote");

    /** Which statistic a source's latency columns print. */
    public enum Stat { MEAN, P50 }

    /** The metrics a point may publish and headroom predicts, each with its corpus column. */
    public enum Metric {
        TTFT("ttft_ms"), TTFT_P90("ttft_p90_ms"), TTFT_P99("ttft_p99_ms"), TPOT("tpot_ms"), ITL("itl_ms"),
        E2E("e2e_ms"), E2E_P90("e2e_p90_ms"), E2E_P99("e2e_p99_ms"), THROUGHPUT("req_per_s");

        private final String column;

        Metric(String column) {
            this.column = column;
        }

        /** The corpus column that publishes it. */
        public String column() {
            return column;
        }
    }

    public StepCorpus {
        published = Map.copyOf(published);
    }

    /** Every point of the bundled corpus: the files of {@code index.txt} in order, each in row order. */
    public static List<StepCorpus> points() {
        List<StepCorpus> points = new ArrayList<>();
        for (String file : lines(FOLDER + "index.txt")) {
            for (String row : lines(FOLDER + file)) points.add(parse(file, row));
        }
        return points;
    }

    private static List<String> lines(String resource) {
        try (InputStream in = StepCorpus.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("step corpus: " + resource + " is listed but not bundled");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).map(String::strip).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One row of corpus file {@code file} (named in errors). */
    static StepCorpus parse(String file, String line) {
        // The quote is last and may hold '|' left unreplaced: split into exactly the column count.
        String[] f = line.split("\\|", COLUMNS.size());
        if (f.length != COLUMNS.size()) {
            throw new IllegalArgumentException("step corpus " + file + ": expected " + COLUMNS.size() + " '|'-separated"
                    + " columns (" + String.join("|", COLUMNS) + "), found " + f.length + " in '" + line + "'");
        }
        Map<String, String> cell = new LinkedHashMap<>();
        for (int i = 0; i < f.length; i++) cell.put(COLUMNS.get(i), f[i].strip());
        try {
            Map<Metric, Double> published = new EnumMap<>(Metric.class);
            for (Metric m : Metric.values()) number(cell.get(m.column())).ifPresent(v -> published.put(m, v));
            int out = tokens(cell.get("output_tokens"));
            OptionalDouble tokPerS = number(cell.get("out_tok_per_s"));
            // A source that prints output tokens per second but not requests per second: req/s = tok/s / out.
            if (!published.containsKey(Metric.THROUGHPUT) && tokPerS.isPresent()) {
                published.put(Metric.THROUGHPUT, tokPerS.getAsDouble() / out);
            }
            String rate = cell.get("request_rate");
            double requestRate = rate.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(rate);
            int prompts = count(cell.get("num_prompts"));
            double rangeRatio = rangeRatio(cell.get("range_ratio"), cell.get("dataset"));
            int concurrency = count(cell.get("concurrency"));
            // vllm bench serve at rate inf without --max-concurrency sends every prompt at once: a closed loop of them.
            if (concurrency == 0 && Double.isInfinite(requestRate)) concurrency = prompts;
            return new StepCorpus(cell.get("id"), cell.get("model"), Gpu.parse(cell.get("gpu")),
                    VllmVersion.parse(cell.get("vllm_version")), cell.get("vllm_args"), cell.get("dataset"),
                    tokens(cell.get("input_tokens")), out, rangeRatio, concurrency, requestRate, prompts,
                    Stat.valueOf(cell.get("stat").toUpperCase(Locale.ROOT)), published, cell.get("source"),
                    cell.get("note"), cell.get("quote"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("step corpus " + file + ", row " + cell.get("id") + ": " + e.getMessage()
                    + " (stat is mean or p50, request_rate a number or inf, token lengths numbers, counts whole numbers,"
                    + " range_ratio empty or in [0, 1) on a random row)", e);
        }
    }

    /**
     * A request length: a whole number, or the mean a source published (or derived from its totals) where lengths
     * vary, which the simulator runs rounded to the nearest token as a fixed length.
     */
    private static int tokens(String cell) {
        return (int) Math.round(Double.parseDouble(cell));
    }

    /** vLLM's {@code --random-range-ratio}: empty for fixed lengths; in [0, 1), and only on a {@code random} row. */
    private static double rangeRatio(String cell, String dataset) {
        if (cell.isEmpty()) return 0;
        double r = Double.parseDouble(cell);
        if (!(r >= 0 && r < 1)) throw new IllegalArgumentException("range_ratio " + cell + " is outside [0, 1)");
        if (r > 0 && !dataset.equals("random")) {
            throw new IllegalArgumentException("range_ratio " + cell + " on dataset " + dataset + ": only vLLM's random dataset draws lengths by a range ratio");
        }
        return r;
    }

    private static int count(String cell) {
        return cell.isEmpty() ? 0 : Integer.parseInt(cell);
    }

    private static OptionalDouble number(String cell) {
        return cell.isBlank() ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(cell.trim()));
    }

    /**
     * Why the step-time fit and error table leave this point out, or empty when they use it: only closed loops of
     * requests whose lengths the simulator can draw are reproduced ({@code random}: fixed lengths, or drawn by vLLM's
     * range ratio; {@code fixed}: a source's own prompts of one length, which run as random tokens of that length),
     * and only where the planner starts the point's flags (a point vLLM served that the planner refuses is a miss of
     * the planner, printed, not a step time to fit).
     */
    public Optional<String> skipReason() {
        if (concurrency == 0) return Optional.of("open loop (no max concurrency)");
        if (!dataset.equals("random") && !dataset.equals("fixed")) {
            return Optional.of("dataset " + dataset + " has variable lengths");
        }
        MemoryPlan plan = Planner.plan(setup());
        if (!plan.fits()) return Optional.of("the planner predicts vLLM refuses these flags, which it served: " + plan.error());
        return Optional.empty();
    }

    /** The published TTFT (the point's statistic), or empty. */
    public OptionalDouble ttftMs() {
        return value(Metric.TTFT);
    }

    /** The published TPOT (the point's statistic), or empty. */
    public OptionalDouble tpotMs() {
        return value(Metric.TPOT);
    }

    private OptionalDouble value(Metric metric) {
        Double v = published.get(metric);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /**
     * The published value of {@code metric} in its unit (ms, or requests per second), or empty. A TTFT below the
     * physical bound ({@link #ttftPhysicallyPossible}) is empty, and so are its percentiles; so are the E2E latencies
     * and the throughput of such a point, which hold that TTFT (a prefill from the prefix cache, which a fresh
     * prompt does not get).
     */
    public OptionalDouble measured(Metric metric) {
        return switch (metric) {
            case TTFT, TTFT_P90, TTFT_P99 -> ttftPhysicallyPossible() ? value(metric) : OptionalDouble.empty();
            case E2E, E2E_P90, E2E_P99, THROUGHPUT -> servedFromPrefixCache() ? OptionalDouble.empty() : value(metric);
            default -> value(metric);
        };
    }

    /** True when the point publishes a TTFT that no fresh prefill reaches ({@link #ttftPhysicallyPossible}). */
    public boolean servedFromPrefixCache() {
        return fastestTtftMs().isPresent() && !ttftPhysicallyPossible();
    }

    /** The smallest TTFT statistic the point publishes (its mean or median, else P90, else P99), or empty. */
    private OptionalDouble fastestTtftMs() {
        return Stream.of(Metric.TTFT, Metric.TTFT_P90, Metric.TTFT_P99).map(published::get).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).min();
    }

    /** The serving setup the point ran, vLLM's defaults of its release resolved for what its flags leave out. */
    public ServingSetup setup() {
        ServeFlags flags = VllmArgs.fromCommandLine(vllmArgs).overriddenBy(new ServeFlags(model, null, null, null, null,
                null, null, null, null, null, null, null, null));
        return ServingSetup.resolve(flags, GpuSpec.of(gpu), version);
    }

    /** Parameters of the model, for the size class of the error table. */
    public double parameterCount() {
        return setup().model().parameterCount();
    }

    /** The basis features of this point's TPOT and TTFT (the analytic closed loop of the class comment). */
    public Features features() {
        // The hand-set constants decide each step's binding side, so the features never depend on a bundled fit.
        Roofline roofline = Roofline.from(setup(), RooflineCalibration.HAND_SET);
        return closedLoop(work -> StepBasis.step(roofline, work),
                StepBasis.frontEnd(inputTokens, Math.min(concurrency, setup().serve().maxNumSeqs())));
    }

    private Features closedLoop(Function<StepWork, double[]> step, double[] frontEnd) {
        ClosedLoop loop = closedLoop();
        double[] decode = step.apply(loop.decode());
        double[] prefill = new double[decode.length];
        for (StepWork mixed : loop.prefillChunks()) prefill = StepBasis.plus(prefill, step.apply(mixed), 1);
        double[] increment = StepBasis.plus(prefill, decode, -loop.prefillChunks().size());
        return new Features(StepBasis.plus(decode, increment, loop.share()), StepBasis.plus(prefill, frontEnd, 1));
    }

    /**
     * The steps of the analytic closed loop (the class comment): the steady decode step, the steps that prefill one
     * prompt beside {@code c - 1} decodes, and the share of other streams' prefills that lands in one TPOT.
     *
     * @param decode        a decode step of {@code min(c, max_num_seqs)} requests at the mean context
     * @param prefillChunks the steps of one prompt's prefill, in chunks of the token budget
     * @param share         {@code (c - 1) / (out - 1)}: other streams' prefills per decode step of one request
     */
    public record ClosedLoop(StepWork decode, List<StepWork> prefillChunks, double share) {

        /** TPOT and TTFT of the loop under {@code cost}, seconds, the API server adding {@code frontEndSeconds} to TTFT. */
        public double[] seconds(StepCostModel cost, double frontEndSeconds) {
            double decodeS = cost.stepNanos(decode) / 1e9;
            double prefillS = 0;
            for (StepWork w : prefillChunks) prefillS += cost.stepNanos(w) / 1e9;
            double tpot = decodeS + share * (prefillS - prefillChunks.size() * decodeS);
            return new double[] {tpot, frontEndSeconds + prefillS};
        }

        /** A plain decode step of the loop under {@code cost}, seconds: no prompt's chunk beside it. */
        public double decodeSeconds(StepCostModel cost) {
            return cost.stepNanos(decode) / 1e9;
        }
    }

    /** This point's analytic closed loop. */
    public ClosedLoop closedLoop() {
        ServingSetup setup = setup();
        int maxSeqs = setup.serve().maxNumSeqs();
        int budget = setup.serve().maxNumBatchedTokens();
        int n = Math.min(concurrency, maxSeqs);
        long context = inputTokens + outputTokens / 2;
        StepWork decode = new StepWork(n, n, n * context, n * (context + 0.5), true);
        int beside = n - 1;
        List<StepWork> chunks = new ArrayList<>();
        for (int done = 0; done < inputTokens; ) {
            int chunk = Math.min(inputTokens - done, Math.max(1, budget - beside));
            double pairs = chunk * (done + chunk / 2.0) + beside * (context + 0.5);
            chunks.add(new StepWork(beside + 1, beside + chunk, beside * context + done + chunk, pairs, false));
            done += chunk;
        }
        double share = outputTokens > 1 ? (double) (concurrency - 1) / (outputTokens - 1) : 0;
        return new ClosedLoop(decode, chunks, share);
    }

    /**
     * True when every published TTFT statistic (mean or median, P90, P99) is at least the prompt's prefill
     * arithmetic at the GPU's peak tensor rate: a shorter TTFT cannot come from a fresh prefill (the prompt was
     * served from the prefix cache, or is shorter than stated), so that TTFT is kept out of the fit and the error
     * table. False when the point publishes no TTFT.
     */
    public boolean ttftPhysicallyPossible() {
        OptionalDouble fastest = fastestTtftMs();
        if (fastest.isEmpty()) return false;
        double peakRatePrefill = features().ttft()[StepBasis.COMPUTE.ordinal()];
        return fastest.getAsDouble() / 1e3 >= peakRatePrefill;
    }

    /** TPOT and TTFT features of a point, indexed by {@link StepBasis#ordinal()}. */
    public record Features(double[] tpot, double[] ttft) {}

    /**
     * The fit rows of the corpus: one per published TPOT (or, where a source prints only the inter-token latency,
     * its ITL: with fixed lengths every gap of a request is one decode step, so ITL and TPOT are the same step time)
     * and one per published TTFT.
     */
    public static List<StepFit.Row> rows(List<StepCorpus> points) {
        List<StepFit.Row> rows = new ArrayList<>();
        for (StepCorpus p : points) {
            Features f = p.features();
            OptionalDouble step = p.tpotMs().isPresent() ? p.tpotMs() : p.value(Metric.ITL);
            step.ifPresent(v -> rows.add(new StepFit.Row(p.id, p.model, p.gpu.id(), f.tpot(), v / 1e3)));
            if (p.ttftMs().isPresent() && p.ttftPhysicallyPossible()) rows.add(new StepFit.Row(p.id, p.model, p.gpu.id(), f.ttft(), p.ttftMs().getAsDouble() / 1e3));
        }
        return rows;
    }
}
