package dev.headroom.pipeline;

import dev.headroom.load.LoadRunner;
import dev.headroom.load.RunSettings;
import dev.headroom.load.ServerInfo;
import dev.headroom.load.SessionRunner;
import dev.headroom.load.Target;
import dev.headroom.metrics.PreemptionLog;
import dev.headroom.metrics.RequestRecord;
import dev.headroom.metrics.EngineSplit;
import dev.headroom.metrics.GpuSampler;
import dev.headroom.metrics.GpuTelemetry;
import dev.headroom.metrics.Telemetry;
import dev.headroom.metrics.TelemetrySample;
import dev.headroom.metrics.ReuseMetrics;
import dev.headroom.metrics.RunValidity;
import dev.headroom.metrics.ServerMetrics;
import dev.headroom.metrics.Summary;
import dev.headroom.metrics.TelemetryScraper;
import dev.headroom.results.PredictionBlock;
import dev.headroom.results.RequestLog;
import dev.headroom.results.TelemetryCsv;
import dev.headroom.spec.Gpu;
import dev.headroom.spec.ModelSpec;
import dev.headroom.spec.Quantization;
import dev.headroom.workload.PrefixPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/** A load point measured over HTTP on the wall clock: warm-up, then the measured load, then the run folder. */
final class MeasuredPoint {

    private MeasuredPoint() {}

    static PointResult run(LoadPoint point, PointTarget.Measured t, PointContext ctx) throws IOException {
        String apiKey = t.apiKeyEnv() == null ? null : System.getenv(t.apiKeyEnv());
        try (Target target = connect(t, point, apiKey)) {
            String tokenizerWarning = target.tokenizer().warning();
            if (tokenizerWarning != null) ctx.events().warn(t.url() + ": " + tokenizerWarning);
            String prefix = requestIdPrefix();
            // A live server's block size is not known before the run: vLLM's default (the sim's and most servers').
            PreparedLoad load = PreparedLoad.of(point, target.tokenizer(), PrefixPlan.DEFAULT_BLOCK_SIZE);
            warmUp(point, target, load, prefix, ctx);
            return measure(point, t, target, load, prefix, ctx);
        }
    }

    private static Target connect(PointTarget.Measured t, LoadPoint point, String apiKey) {
        try {
            return Target.connect(t.url(), apiKey, t.headers(), t.servedModel(), point.api());
        } catch (ServerInfo.UnreachableException e) {
            throw new PointError(PointError.Kind.UNREACHABLE, e.getMessage());
        }
    }

    /** The warm-up requests, sent and discarded before the measured window opens. */
    private static void warmUp(LoadPoint point, Target target, PreparedLoad load, String prefix, PointContext ctx) {
        if (point.warmup() == 0) return;
        LoadRunner warm = new LoadRunner(target.client(), point.warmupSettings(target.info().model(), prefix));
        ctx.signal().attach(() -> warm.stop(SignalStop.REASON));
        try {
            warm.run(load.warmup(), r -> { });
        } finally {
            ctx.signal().detach();
        }
    }

    private static PointResult measure(LoadPoint point, PointTarget.Measured t, Target target, PreparedLoad load,
                                       String prefix, PointContext ctx) throws IOException {
        RunSettings settings = point.measuredSettings(target.info().model(), prefix, load.pattern());
        List<RequestRecord> records = Collections.synchronizedList(new ArrayList<>());
        Files.createDirectories(ctx.dir());
        TelemetryScraper.Result telemetry;
        try (RequestLog log = RequestLog.open(ctx.dir().resolve("requests.jsonl"))) {
            PreemptionLog serverLog = markLog(t.serverLog());
            TelemetryScraper scraper = TelemetryScraper.start(t.url(), ctx.scrapeInterval());
            GpuSampler gpuSampler = ctx.gpuMetrics().start(ctx.scrapeInterval());
            LoadRunner.Outcome outcome;
            GpuTelemetry gpu;
            try {
                outcome = send(target, settings, load, ctx, r -> {
                    records.add(r);
                    log.append(r);
                    ctx.events().requestDone();
                });
            } finally {
                telemetry = scraper.stop();
                gpu = gpuSampler.stop();
            }
            log.flush();
            gpu.warnings().forEach(ctx.events()::warn);
            Summary summary = Summary.compute(List.copyOf(records), Math.max(1, outcome.durationNanos()), point.slo());
            // The log counts vLLM's preemption warnings; llama.cpp never preempts, so its log says nothing either way.
            long logPreemptions = serverLog == null || TelemetrySample.llamaCpp(telemetry.first()) ? -1 : serverLog.countSinceMark();
            Map<String, Object> json = summaryJson(summary, outcome, telemetry, logPreemptions, t, target);
            json.putAll(gpu.summary(summary.durationSeconds(), summary.totalOutputTokens()));
            json.putAll(ReuseMetrics.toMap(List.copyOf(records)));
            json.putAll(EngineSplit.toMap(List.copyOf(records)));
            RunValidity validity = RunValidity.of(List.copyOf(records), point.asked(outcome.health().clientLimited(), outcome.health().reason()));
            json.putAll(validity.toMap());
            load.putPrefixKeys(json);
            // The simulator headroom started serves the simulated engine's predictions over HTTP: they carry its errors.
            if (t.simulatedTarget() != null) {
                json.put(PredictionBlock.KEY, PredictedPoint.prediction(point,
                        Gpu.catalogId(String.valueOf(t.simulatedTarget().get("gpu"))), servedModel(t.simulatedTarget()),
                        t.simulatedTarget().get("tensor_parallel_size") instanceof Number tp ? tp.intValue() : 1, json));
            }
            RunFolder.writeSummary(ctx.dir(), json);
            Telemetry series = telemetry.telemetry().withGpu(gpu);
            if (!series.isEmpty()) TelemetryCsv.write(ctx.dir().resolve("telemetry.csv"), series);
            RunFolder.writeRunYaml(ctx.dir(), ctx.command(), RunFolder.inputs(point, t.url(), settings.model(), prefix,
                            t.headers(), t.apiKeyEnv()), target.tokenizer().name(),
                    target.info().toMap(target.client().endpoint().url()), t.simulatedTarget());
            warnings(summary, outcome, validity, ctx.events());
            return new PointResult(summary, json, outcome.stopReason(), -1);
        }
    }

    /** The measured load: sessions turn by turn, or single prompts; a signal stops it. */
    private static LoadRunner.Outcome send(Target target, RunSettings settings, PreparedLoad load, PointContext ctx,
                                           Consumer<RequestRecord> sink) {
        try {
            if (load.isSessions()) {
                SessionRunner runner = new SessionRunner(target.client(), settings);
                ctx.signal().attach(() -> runner.stop(SignalStop.REASON));
                return runner.run(load.sessions(), load.offsetsNanos(), sink);
            }
            LoadRunner runner = new LoadRunner(target.client(), settings);
            ctx.signal().attach(() -> runner.stop(SignalStop.REASON));
            return runner.run(load.prompts(), load.offsetsNanos(), sink);
        } finally {
            ctx.signal().detach();
        }
    }

    private static Map<String, Object> summaryJson(Summary summary, LoadRunner.Outcome outcome,
                                                   TelemetryScraper.Result telemetry, long logPreemptions,
                                                   PointTarget.Measured t, Target target) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model_id", target.info().model()); // vLLM bench serve's result key: the served model
        json.putAll(summary.toMap());
        json.putAll(ServerMetrics.delta(telemetry.first(), telemetry.last()));
        json.putAll(telemetry.telemetry().summary(logPreemptions));
        json.putAll(outcome.health().toMap());
        if (t.simulatedTarget() != null) json.put("client_cpu_includes_embedded_server", true);
        json.put("tokenizer", target.tokenizer().name());
        // llama-server (cpp-httplib) closes the connection after every streamed response without saying so; the client
        // then opens a connection per request, and connections_opened says how many.
        json.put("server_closes_connections", target.client().serverClosesConnections());
        json.put("stopped_early", outcome.stopReason());
        json.put("predicted", false);
        return json;
    }

    /**
     * The model the simulator served, from run.yaml's {@code simulated_target}: the catalog's checkpoint with the
     * weights it served (a {@code --quantization} applied on load differs from the checkpoint's own).
     */
    private static ModelSpec servedModel(Map<String, Object> simulatedTarget) {
        ModelSpec checkpoint = ModelSpec.resolve(String.valueOf(simulatedTarget.get("model")));
        Object served = simulatedTarget.get("quantization");
        return served == null || served.equals(checkpoint.quantization().method()) ? checkpoint
                : checkpoint.withQuantization(Quantization.fromFlag(served.toString(), checkpoint.quantization()));
    }

    /** Marks the end of the server's log (when headroom started the server) so preemption warnings count from here. */
    private static PreemptionLog markLog(Path serverLog) throws IOException {
        return serverLog == null || !Files.isRegularFile(serverLog) ? null : PreemptionLog.mark(serverLog);
    }

    private static void warnings(Summary summary, LoadRunner.Outcome outcome, RunValidity validity, PointEvents events) {
        if (summary.completed() > 0 && summary.usageReportedFraction() < 1) {
            events.warn(String.format("%.0f%% of completed requests had no usage from the server; their output tokens "
                    + "are counted as content chunks", 100 * (1 - summary.usageReportedFraction())));
        }
        if (outcome.health().clientLimited()) {
            events.warn("the client may have limited this run: " + outcome.health().reason());
        }
        // client_not_limited is the warning above; the other failed checks say how the load or its numbers differ.
        validity.checks().stream().filter(c -> !c.pass() && !c.name().equals("client_not_limited"))
                .forEach(c -> events.warn(c.level() == RunValidity.Level.INVALID
                        ? "this run did not deliver the load it names: " + c.detail() : c.detail()));
    }

    private static String requestIdPrefix() {
        // vLLM bench serve: "bench-<8 hex>-<i>"; headroom marks its own.
        return String.format("headroom-%08x-", ThreadLocalRandom.current().nextInt());
    }
}
