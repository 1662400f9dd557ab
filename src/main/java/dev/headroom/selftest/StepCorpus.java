package dev.headroom.selftest;

import dev.headroom.plan.Roofline;
import dev.headroom.plan.StepBasis;
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
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The step-time corpus ({@code step-corpus.csv}): published closed-loop benchmarks of real vLLM servers, and the
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
 * {@link StepWork} the engine would hand the step-cost model, summed in closed form.
 *
 * @param inputTokens  prompt tokens per request
 * @param outputTokens output tokens per request
 * @param concurrency  closed-loop streams
 * @param ttftMs       published TTFT (p50 or mean, as the source prints), or empty
 * @param tpotMs       published TPOT, or empty
 * @param e2eMs        published end-to-end latency, or empty
 * @param reqPerSecond published request throughput, or empty
 */
public record StepCorpus(String id, String model, Gpu gpu, VllmVersion version, String vllmArgs, int inputTokens,
                         int outputTokens, int concurrency, OptionalDouble ttftMs, OptionalDouble tpotMs,
                         OptionalDouble e2eMs, OptionalDouble reqPerSecond, String source, String note, String quote) {

    private static final String CORPUS = "/dev/headroom/selftest/step-corpus.csv";
    private static final int FIELDS = 16;

    /** The metrics a point may publish and headroom predicts. */
    public enum Metric { TTFT, TPOT, E2E, THROUGHPUT }

    /** Every point of the bundled corpus, in file order. */
    public static List<StepCorpus> points() {
        try (InputStream in = StepCorpus.class.getResourceAsStream(CORPUS)) {
            List<StepCorpus> points = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) points.add(parse(line));
            }
            return points;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StepCorpus parse(String line) {
        // The quote is last and may hold '|' (it is a table row): split into exactly FIELDS cells.
        String[] f = line.split("\\|", FIELDS);
        if (f.length != FIELDS) throw new IllegalArgumentException("step corpus: expected " + FIELDS + " fields in '" + line + "'");
        StepCorpus p = new StepCorpus(f[0], f[1], Gpu.parse(f[2]), VllmVersion.parse(f[3]), f[4], Integer.parseInt(f[5]),
                Integer.parseInt(f[6]), Integer.parseInt(f[7]), number(f[8]), number(f[9]), number(f[10]), number(f[11]),
                f[13], f[14], f[15]);
        if (p.ttftMs.isEmpty() && p.reqPerSecond.isEmpty() && number(f[12]).isPresent()) {
            throw new IllegalArgumentException("step corpus: " + f[0] + " has output tok/s but no req/s");
        }
        return p.reqPerSecond.isEmpty() && number(f[12]).isPresent()
                ? p.withReqPerSecond(number(f[12]).getAsDouble() / p.outputTokens) : p;
    }

    private StepCorpus withReqPerSecond(double r) {
        return new StepCorpus(id, model, gpu, version, vllmArgs, inputTokens, outputTokens, concurrency, ttftMs, tpotMs,
                e2eMs, OptionalDouble.of(r), source, note, quote);
    }

    private static OptionalDouble number(String cell) {
        return cell.isBlank() ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(cell.trim()));
    }

    /**
     * The published value of {@code metric} in its unit (ms, or requests per second), or empty; a TTFT below the
     * physical bound ({@link #ttftPhysicallyPossible}) is empty.
     */
    public OptionalDouble measured(Metric metric) {
        return switch (metric) {
            case TTFT -> ttftPhysicallyPossible() ? ttftMs : OptionalDouble.empty();
            case TPOT -> tpotMs;
            case E2E -> e2eMs;
            case THROUGHPUT -> reqPerSecond;
        };
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
        Roofline roofline = Roofline.from(setup());
        return closedLoop(work -> StepBasis.step(roofline, work), StepBasis.frontEnd());
    }

    /**
     * The same closed loop timed by the roofline step cost with its default calibration (no front end): the
     * baseline the fitted model is compared with. Each vector has one element, seconds.
     */
    public Features rooflineSeconds() {
        Roofline roofline = Roofline.from(setup());
        return closedLoop(work -> new double[] {roofline.stepNanos(work) / 1e9}, new double[1]);
    }

    private Features closedLoop(Function<StepWork, double[]> step, double[] frontEnd) {
        ServingSetup setup = setup();
        int maxSeqs = setup.serve().maxNumSeqs();
        int budget = setup.serve().maxNumBatchedTokens();
        int n = Math.min(concurrency, maxSeqs);
        long context = inputTokens + outputTokens / 2;
        double[] decode = step.apply(new StepWork(n, n, n * context, n * (context + 0.5), true));
        int beside = n - 1;
        double[] prefill = new double[decode.length];
        double[] increment = new double[decode.length];
        for (int done = 0; done < inputTokens; ) {
            int chunk = Math.min(inputTokens - done, Math.max(1, budget - beside));
            double pairs = chunk * (done + chunk / 2.0) + beside * (context + 0.5);
            double[] mixed = step.apply(new StepWork(beside + 1, beside + chunk, beside * context + done + chunk, pairs,
                    false));
            prefill = StepBasis.plus(prefill, mixed, 1);
            increment = StepBasis.plus(increment, StepBasis.plus(mixed, decode, -1), 1);
            done += chunk;
        }
        double share = outputTokens > 1 ? (double) (concurrency - 1) / (outputTokens - 1) : 0;
        return new Features(StepBasis.plus(decode, increment, share), StepBasis.plus(prefill, frontEnd, 1));
    }

    /**
     * True when the published TTFT is at least the prompt's prefill arithmetic at the GPU's peak tensor rate: a
     * shorter TTFT cannot come from a fresh prefill (the prompt was served from the prefix cache, or is shorter
     * than stated), so that TTFT is kept out of the fit and the error table.
     */
    public boolean ttftPhysicallyPossible() {
        if (ttftMs.isEmpty()) return false;
        double peakRatePrefill = features().ttft()[StepBasis.COMPUTE.ordinal()];
        return ttftMs.getAsDouble() / 1e3 >= peakRatePrefill;
    }

    /** TPOT and TTFT features of a point, indexed by {@link StepBasis#ordinal()}. */
    public record Features(double[] tpot, double[] ttft) {}

    /** A point's predictions from TPOT and TTFT seconds: every metric in its published unit. */
    public double predicted(Metric metric, double tpotSeconds, double ttftSeconds) {
        double e2e = ttftSeconds + (outputTokens - 1) * tpotSeconds;
        return switch (metric) {
            case TTFT -> ttftSeconds * 1e3;
            case TPOT -> tpotSeconds * 1e3;
            case E2E -> e2e * 1e3;
            case THROUGHPUT -> concurrency / e2e;
        };
    }

    /** The fit rows of the corpus: one per published TPOT and one per published TTFT. */
    public static List<StepFit.Row> rows(List<StepCorpus> points) {
        List<StepFit.Row> rows = new ArrayList<>();
        for (StepCorpus p : points) {
            Features f = p.features();
            p.tpotMs.ifPresent(v -> rows.add(new StepFit.Row(p.id, p.model, p.gpu.id(), f.tpot(), v / 1e3)));
            if (p.ttftPhysicallyPossible()) rows.add(new StepFit.Row(p.id, p.model, p.gpu.id(), f.ttft(), p.ttftMs.getAsDouble() / 1e3));
        }
        return rows;
    }
}
