package dev.headroom.pipeline;

import dev.headroom.results.RunYaml;
import dev.headroom.results.ToolVersion;
import dev.headroom.results.SummaryJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/** The files of a run folder besides requests.jsonl and telemetry.csv: summary.json and run.yaml (docs/formats.md). */
final class RunFolder {

    private RunFolder() {}

    /**
     * Every resolved input of a point for run.yaml; the API key appears only as the name of its env var.
     *
     * @param url the target's base URL, or null for a predicted point
     */
    static Map<String, Object> inputs(LoadPoint p, String url, String model, String requestIdPrefix,
                                      Map<String, String> headers, String apiKeyEnv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", url);
        m.put("api", p.api().label());
        m.put("model", model);
        m.put("workload", p.traffic().trace() != null ? "trace" : p.workload());
        m.put("input_tokens", p.inputLengths() == null ? null : p.inputLengths().mean());
        m.put("output_tokens", p.outputLengths() == null ? null : p.outputLengths().mean());
        var lengths = p.inputLengths() != null ? p.inputLengths() : p.outputLengths();
        m.put("range_ratio", lengths == null ? 0.0 : lengths.rangeRatio());
        m.put("input_stddev", p.inputLengths() == null ? 0.0 : p.inputLengths().stddev());
        m.put("output_stddev", p.outputLengths() == null ? 0.0 : p.outputLengths().stddev());
        m.put("concurrency", p.concurrencyOrNull());
        m.put("rate", p.rateOrNull());
        m.put("burstiness", p.pattern().isOpenLoop() ? p.pattern().burstiness() : null);
        m.put("requests", p.requests() > 0 ? p.requests() : null);
        m.put("duration", p.duration() == null ? null : DurationText.of(p.duration()));
        m.put("warmup", p.warmup());
        m.put("seed", p.seed());
        m.put("exact_output_lengths", p.exactOutput());
        m.put("extra_body", p.extraBody());
        m.put("header_names", new ArrayList<>(headers.keySet()));
        m.put("api_key_env", apiKeyEnv);
        m.put("request_timeout", DurationText.of(p.requestTimeout()));
        m.put("max_error_rate", p.maxErrorRate());
        m.put("slo", p.slo() == null ? null : p.slo().spec());
        m.put("request_id_prefix", requestIdPrefix);
        m.putAll(p.traffic().toMap());
        return m;
    }

    static void writeSummary(Path dir, Map<String, Object> summary) throws IOException {
        SummaryJson.write(dir.resolve("summary.json"), summary);
    }

    /**
     * Writes run.yaml.
     *
     * @param server          the target server's identity, or null for a predicted point
     * @param simulatedTarget the simulated setup, or null for a real server
     */
    static void writeRunYaml(Path dir, String command, Map<String, Object> inputs, String tokenizer,
                             Map<String, Object> server, Map<String, Object> simulatedTarget) throws IOException {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", "headroom");
        run.put("version", ToolVersion.version());
        run.put("command", command);
        run.put("inputs", inputs);
        run.put("tokenizer", tokenizer);
        if (server != null) run.put("server", server);
        if (simulatedTarget != null) run.put("simulated_target", simulatedTarget);
        RunYaml.write(dir.resolve("run.yaml"), run);
    }
}
