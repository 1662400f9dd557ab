package dev.headroom.results;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where a point measured by another tool came from, so analysis and report can say "imported from GuideLLM 0.8.0".
 *
 * @param tool    the tool whose file it is ({@code GuideLLM}, {@code AIPerf}, {@code inference-perf},
 *                {@code llm-d Benchmark Report}, {@code vllm bench serve})
 * @param version the tool's version (the Benchmark Report's schema version) as the file records it, or null when the
 *                file records none
 * @param via     for a Benchmark Report, the load generator its standardized load names (e.g. {@code vllm-benchmark});
 *                null otherwise
 * @param file    the file read
 */
public record ImportedFrom(String tool, String version, String via, Path file) {

    public ImportedFrom {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(file, "file");
        version = version == null || version.isBlank() ? null : version.strip();
        via = via == null || via.isBlank() ? null : via.strip();
    }

    /**
     * The tool and its version in words: {@code GuideLLM 0.8.0}, {@code AIPerf (version not recorded)},
     * {@code llm-d Benchmark Report 0.2 (load from vllm-benchmark)}.
     */
    public String describe() {
        String v = version == null ? tool + " (version not recorded)" : tool + " " + version;
        return via == null ? v : v + " (load from " + via + ")";
    }

    /**
     * The tools {@code points} were imported from, each once in the order met ({@code GuideLLM 0.8.0 and AIPerf
     * (version not recorded)}), or null when every point is headroom's own.
     */
    public static String describe(Collection<Point> points) {
        String tools = points.stream().map(Point::importedFrom).filter(Objects::nonNull).map(ImportedFrom::describe)
                .distinct().collect(Collectors.joining(" and "));
        return tools.isEmpty() ? null : tools;
    }
}
