package dev.headroom.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Results files other tools wrote, recognised by their structure and read as points: {@code vllm bench serve}
 * results, GuideLLM benchmarks reports, AIPerf aggregate exports, inference-perf stage reports and llm-d Benchmark
 * Reports (docs/formats.md, "Reading other tools' results"). A file of a known tool but a version headroom does not
 * read is refused with what was recognised and what is supported.
 */
public final class ForeignResults {

    /** What headroom reads, for the line a refused file gets. */
    public static final String SUPPORTED = "vllm bench serve --save-result JSON, GuideLLM benchmarks report "
            + "(metadata.version " + GuideLlmReader.SUPPORTED_VERSION + "), AIPerf profile_export_aiperf.json, "
            + "inference-perf stage_N_lifecycle_metrics.json, llm-d Benchmark Report 0.2 or 0.2.1 (JSON or YAML)";

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Pattern INFINITY = Pattern.compile("(?m)([:-][ \\t]+)([-+]?\\.(?:inf|Inf|INF))[ \\t]*(?=$|#)");

    /** The formats, each with how it is recognised. */
    enum Format {
        VLLM_BENCH, GUIDELLM, AIPERF, INFERENCE_PERF, BENCHMARK_REPORT;

        static Format of(JsonNode n) {
            if (n == null || !n.isObject()) return null;
            if (BenchmarkReportReader.recognises(n)) return BENCHMARK_REPORT;
            if (GuideLlmReader.recognises(n)) return GUIDELLM;
            if (AiperfReader.recognises(n)) return AIPERF;
            if (InferencePerfReader.recognises(n)) return INFERENCE_PERF;
            if (VllmBenchResult.isOne(n)) return VLLM_BENCH;
            return null;
        }
    }

    private ForeignResults() {
    }

    /** Whether {@code file} has a name a results file of one of these tools may have (.json, .yaml, .yml). */
    public static boolean candidate(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /**
     * The points of one file: several for a GuideLLM report of several benchmarks, one otherwise. A file of no
     * known format, of an unsupported version, or that places no load is one IllegalArgumentException line.
     */
    public static List<Point> read(Path file) throws IOException {
        JsonNode n = parse(file);
        Format format = Format.of(n);
        if (format == null) {
            throw new IllegalArgumentException(file + " is not a results file headroom reads (recognised: no known "
                    + "structure; supported: " + SUPPORTED + ")");
        }
        refuseUnsupported(format, n, file);
        return switch (format) {
            case VLLM_BENCH -> List.of(VllmBenchResult.read(n, file));
            case GUIDELLM -> GuideLlmReader.read(n, file);
            case AIPERF -> AiperfReader.read(n, file);
            case INFERENCE_PERF -> InferencePerfReader.read(n, file);
            case BENCHMARK_REPORT -> BenchmarkReportReader.read(n, file);
        };
    }

    /**
     * The results files under {@code dir} (three levels down, as {@code vllm bench sweep} nests them), sorted: every
     * file of a known format except inference-perf's summary over all stages. Other files, and files that do not
     * parse, are not results and are skipped; a known tool's file of an unsupported version is refused.
     */
    public static List<Path> under(Path dir) throws IOException {
        try (var files = Files.find(dir, 3, (f, a) -> a.isRegularFile() && candidate(f))) {
            List<Path> results = new ArrayList<>();
            for (Path f : files.sorted().toList()) {
                JsonNode n;
                try {
                    n = parse(f);
                } catch (JsonProcessingException e) {
                    continue; // not JSON or YAML (or several YAML documents): not a results file of these tools
                }
                Format format = Format.of(n);
                if (format == null || format == Format.INFERENCE_PERF && !InferencePerfReader.isStage(n)) continue;
                refuseUnsupported(format, n, f);
                results.add(f);
            }
            return results;
        }
    }

    private static void refuseUnsupported(Format format, JsonNode n, Path file) {
        String recognised = switch (format) {
            case GUIDELLM -> GuideLlmReader.supported(n) ? null : GuideLlmReader.recognisedAs(n);
            case BENCHMARK_REPORT -> BenchmarkReportReader.supported(n) ? null
                    : "Benchmark Report version " + BenchmarkReportReader.version(n);
            case VLLM_BENCH, AIPERF, INFERENCE_PERF -> null;
        };
        if (recognised != null) {
            throw new IllegalArgumentException(file + ": " + recognised + " is not a version headroom reads (supported: "
                    + SUPPORTED + ")");
        }
    }

    private static JsonNode parse(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) return JSON.readTree(file.toFile());
        // YAML 1.1's infinities (a Benchmark Report's "concurrency: .inf") are not numbers to Jackson's YAML parser:
        // read them as text, which every reader takes as "no finite value".
        return YAML.readTree(INFINITY.matcher(Files.readString(file)).replaceAll("$1\"$2\""));
    }
}
