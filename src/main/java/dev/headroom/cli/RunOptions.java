package dev.headroom.cli;

import dev.headroom.load.Api;
import dev.headroom.load.RequestBodies;
import dev.headroom.metrics.GpuMetrics;
import dev.headroom.metrics.Slo;
import dev.headroom.pipeline.LoadPoint;
import dev.headroom.pipeline.PointTarget;
import dev.headroom.pipeline.Traffic;
import dev.headroom.workload.Lengths;
import dev.headroom.workload.LoadPattern;
import dev.headroom.workload.Trace;
import dev.headroom.workload.Turns;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options {@code run} and {@code sweep} share: target, prompt shapes, limits and outputs. Each verb declares its
 * own {@code --workload}, {@code --concurrency} and {@code --rate} (one value for {@code run}, lists for {@code sweep}).
 */
public final class RunOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--url", description = "Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8000.")
    String url;

    @Option(names = "--api", defaultValue = "chat", description = "chat or completions (default: ${DEFAULT-VALUE}).")
    String api;

    @Option(names = "--model", description = {"With --url: the served model name (default: the first id of /v1/models).",
            "Simulated (no --url, or --offline): a catalog model, HF id or config.json (default: Qwen2.5-1.5B-Instruct)."})
    String model;

    @Option(names = "--input-tokens", description = {"Prompt tokens per request, the same for every request unless --input-stddev or --range-ratio spreads them",
            "(default: chat normal around 256, stddev 128, in 64..1024; random 1024)."})
    Integer inputTokens;

    @Option(names = "--output-tokens", description = {"Output tokens per request, the same for every request unless --output-stddev or --range-ratio spreads them",
            "(default: chat normal around 128, stddev 64, in 16..512; summarize uniform 256..512; random 128)."})
    Integer outputTokens;

    @Option(names = "--range-ratio", defaultValue = "0", description = "Lengths uniform in [L(1-r), L(1+r)], as vLLM's --random-range-ratio.")
    double rangeRatio;

    @Option(names = "--input-stddev", defaultValue = "0", description = "Normal prompt lengths with this stddev, clamped to [--input-min, --input-max].")
    double inputStddev;

    @Option(names = "--output-stddev", defaultValue = "0", description = "Normal output lengths with this stddev, clamped to [--output-min, --output-max].")
    double outputStddev;

    @Option(names = "--input-min", defaultValue = "1", description = "Smallest prompt length with --input-stddev.")
    int inputMin;

    @Option(names = "--input-max", defaultValue = "2147483647", description = "Largest prompt length with --input-stddev.")
    int inputMax;

    @Option(names = "--output-min", defaultValue = "1", description = "Smallest output length with --output-stddev.")
    int outputMin;

    @Option(names = "--output-max", defaultValue = "2147483647", description = "Largest output length with --output-stddev.")
    int outputMax;

    @Option(names = "--burstiness", defaultValue = "1", description = "Gamma shape of arrival gaps: 1 = Poisson, <1 burstier, >1 more regular.")
    double burstiness;

    @Option(names = "--requests", description = "Requests to measure per load point (default 100 unless --duration).")
    Integer requests;

    @Option(names = "--duration", converter = Durations.class, description = "Issue requests for this long instead of a count, e.g. 60s.")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "0", description = "Requests sent first and left out of the results; their prompts are drawn like the measured ones but none is one of them.")
    int warmup;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for prompts and arrivals (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--api-key-env", defaultValue = "OPENAI_API_KEY", description = "Env var holding the API key (never printed or written).")
    String apiKeyEnv;

    @Option(names = "--header", description = "Extra request header 'Name: value' (repeatable).")
    List<String> header = new ArrayList<>();

    @Option(names = "--extra-body", description = "JSON object merged into every request body, e.g. '{\"temperature\":0}'.")
    String extraBody;

    @Option(names = "--no-ignore-eos", negatable = false, description = "Do not force exact output lengths (ignore_eos, min_tokens).")
    boolean noIgnoreEos;

    @Option(names = "--request-timeout", defaultValue = "10m", converter = Durations.class, description = "Per-request timeout (default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(names = "--max-error-rate", defaultValue = "1", description = "Stop early when more than this fraction of requests failed (after 10).")
    double maxErrorRate;

    @Option(names = "--slo", description = "SLO for goodput, e.g. ttft=1500ms,tpot=50ms,e2el=5s or p95_e2el=5s.")
    String slo;

    @Option(names = "--shared-prefix-tokens", description = "Shared system prompts of about this many tokens (chat, random).")
    Integer sharedPrefixTokens;

    @Option(names = "--prefix-groups", description = "Distinct shared prefixes; request i takes group i mod G (default 1).")
    Integer prefixGroups;

    @Option(names = "--prefix-hit-target", description = "Build shared prefixes to reach this prefix-cache hit rate, e.g. 0.6.")
    Double prefixHitTarget;

    @Option(names = "--trace", description = {"Replay a timestamped trace (Mooncake JSONL, Azure CSV, BurstGPT CSV) at its own times;",
            "prompts of the traced lengths, shared hash_ids as shared prefix blocks. --requests N replays the first N."})
    Path trace;

    @Option(names = "--time-scale", defaultValue = "1", description = "Multiply trace timestamps by this (0.5 replays twice as fast).")
    double timeScale;

    @Option(names = "--turns", description = {"Multi-turn sessions of N turns (or MIN..MAX): each turn sends the history with the",
            "server's real answers. --requests then counts sessions."})
    String turns;

    @Option(names = "--think-time", defaultValue = "0s", converter = Durations.class, description = "Pause between an answer and the session's next turn.")
    Duration thinkTime;

    @Option(names = "--include-multi-turn", description = "A dataset's conversations as sessions with all their turns.")
    boolean includeMultiTurn;

    @Option(names = "--gpu-metrics", paramLabel = "URL|nvidia-smi|PATH|none",
            description = {"Where to read the GPU's power, utilisation and memory during each measured window: a DCGM exporter's",
                    "/metrics URL (e.g. http://gpu-host:9400/metrics), nvidia-smi or its path (run as a child process), or none.",
                    "Default: nvidia-smi when it is on PATH and a real server is measured."})
    String gpuMetrics;

    @Option(names = "--gpu-index", paramLabel = "N",
            description = "The GPU to read (nvidia-smi's index, DCGM's gpu label); default: every GPU, power and memory summed, utilisation averaged.")
    Integer gpuIndex;

    @Option(names = "--out", description = "Results folder (default: headroom-<verb>-<time>).")
    Path out;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    Lengths inputLengths() {
        return lengths("input", inputTokens, inputStddev, inputMin, inputMax);
    }

    Lengths outputLengths() {
        return lengths("output", outputTokens, outputStddev, outputMin, outputMax);
    }

    /** The lengths of {@code --KIND-tokens}, each option checked by name first. */
    private Lengths lengths(String kind, Integer mean, double stddev, int min, int max) {
        if (mean != null && mean < 1) throw bad("--" + kind + "-tokens", mean, "a number of tokens >= 1");
        if (!(rangeRatio >= 0 && rangeRatio < 1)) throw bad("--range-ratio", rangeRatio, "a fraction in [0, 1), e.g. 0.5");
        if (!(stddev >= 0) || Double.isInfinite(stddev)) throw bad("--" + kind + "-stddev", stddev, "a number of tokens >= 0");
        if (min < 1) throw bad("--" + kind + "-min", min, "a number of tokens >= 1");
        if (max < min) throw bad("--" + kind + "-max", max, "at least --" + kind + "-min (" + min + ")");
        if (mean == null && stddev > 0) {
            throw new IllegalArgumentException("--" + kind + "-stddev " + stddev + " needs --" + kind
                    + "-tokens, the mean it spreads around (e.g. --" + kind + "-tokens 256 --" + kind + "-stddev 128)");
        }
        if (mean == null) return null;
        return new Lengths(mean, rangeRatio, stddev, min, max);
    }

    private static IllegalArgumentException bad(String option, Object value, String accepted) {
        return new IllegalArgumentException(option + " " + value + " is not accepted; use " + accepted);
    }

    /** Request headers from --header; one clear line for a malformed one. */
    Map<String, String> headers() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String h : header) {
            int colon = h.indexOf(':');
            if (colon < 1 || h.substring(0, colon).isBlank() || h.substring(0, colon).contains(" ")) {
                throw new IllegalArgumentException("--header '" + h + "' must look like 'Name: value'");
            }
            map.put(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
        }
        return map;
    }

    /** The results folder: --out, else headroom-VERB-TIME in the working directory. */
    Path outDir(String verb) {
        if (out != null) return out;
        return Path.of("headroom-" + verb + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /**
     * The point to send with {@code workload} and {@code pattern}, checked in full (workload, plan, dataset and
     * trace files) before anything starts; bad input throws naming the option. A trace sets its own pattern: an
     * open loop at its mean rate, capped as {@code pattern} is.
     */
    LoadPoint loadPoint(String workload, LoadPattern pattern, Slo sloOrNull) {
        if (requests != null && requests < 1) throw new IllegalArgumentException("--requests must be at least 1, was " + requests);
        if (requests != null && duration != null) throw new IllegalArgumentException("give --requests or --duration, not both");
        if (!(maxErrorRate > 0 && maxErrorRate <= 1)) {
            throw new IllegalArgumentException("--max-error-rate must be a fraction in (0, 1], was " + maxErrorRate);
        }
        if (!requestTimeout.isPositive()) throw new IllegalArgumentException("--request-timeout must be positive, was " + requestTimeout);
        if (duration != null && !duration.isPositive()) throw bad("--duration", duration, "a positive duration, e.g. 60s");
        headers();
        Traffic traffic = traffic();
        int count = requests != null ? requests : duration == null ? 100 : 0;
        LoadPattern asRun = pattern;
        if (traffic.trace() != null) {
            Trace t = Trace.read(traffic.trace());
            count = requests == null ? t.entries().size() : Math.min(requests, t.entries().size());
            asRun = LoadPattern.openLoop(Traffic.meanRatePerSecond(t, count, timeScale), 1, pattern.isCapped() ? pattern.concurrency() : 0);
        }
        Map<String, Object> body = extraBody == null ? Map.of() : RequestBodies.parseExtraBody(extraBody);
        LoadPoint point = new LoadPoint(Api.parse(api), workload, inputLengths(), outputLengths(), asRun, count, duration,
                warmup, seed, !noIgnoreEos, body, requestTimeout, maxErrorRate, sloOrNull, traffic);
        point.validate();
        return point;
    }

    /** The realism options; a trace excludes a synthetic --workload and --rate. */
    private Traffic traffic() {
        if (trace != null) {
            var parsed = mixee.commandLine().getParseResult();
            for (String option : new String[] {"--workload", "--rate"}) {
                if (parsed.hasMatchedOption(option)) {
                    throw new IllegalArgumentException("--trace " + trace + " sets the prompts and their arrival times; drop " + option);
                }
            }
        }
        return new Traffic(sharedPrefixTokens, prefixGroups, prefixHitTarget, trace, timeScale,
                turns == null ? null : Turns.parse(turns), thinkTime, includeMultiTurn);
    }

    /** The SLO of --slo, or null. */
    Slo slo() {
        return slo == null ? null : Slo.parse(slo);
    }

    /** The GPU source of --gpu-metrics and --gpu-index; none by default when headroom's simulator serves. */
    GpuMetrics gpuMetrics(boolean simulatorServes) {
        return GpuMetrics.parse(gpuMetrics, gpuIndex, simulatorServes);
    }

    /** A server at --url (or the embedded simulator's URL), measured with this command line's headers and key. */
    PointTarget.Measured measured(String baseUrl, String servedModel, Map<String, Object> simulatedTarget, Path serverLog) {
        return new PointTarget.Measured(baseUrl, servedModel, headers(), apiKeyEnv, simulatedTarget, serverLog);
    }
}
