package dev.headroom.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code summary.json}: the summary map as pretty-printed JSON, keys in the map's order, and read back. */
public final class SummaryJson {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private SummaryJson() {
    }

    /** Writes {@code summary} to {@code file} (parent directories created), replacing any previous file. */
    public static void write(Path file, Map<String, Object> summary) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, JSON.writeValueAsString(summary) + "\n");
    }

    /** The numeric keys of a run folder's summary.json (whole numbers kept whole); empty when there is none. */
    public static Map<String, Number> numbers(Path runDir) throws IOException {
        Path file = runDir.resolve("summary.json");
        if (!Files.isRegularFile(file)) return Map.of();
        return RunResult.numbers(JSON.readTree(file.toFile()));
    }

    /** Reads a summary.json back as a map (keys in file order). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Map.class);
    }
}
