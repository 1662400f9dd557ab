package dev.headroom.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes {@code run.yaml}: the fully resolved inputs of a run, tool version and target identity, as YAML. */
public final class RunYaml {

    private static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build());

    private RunYaml() {
    }

    /** Writes {@code run} to {@code file} (parent directories created); nested maps and lists are kept. */
    public static void write(Path file, Map<String, Object> run) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, YAML.writeValueAsString(run));
    }

    /** Reads a run.yaml back as a map (keys in file order). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path file) throws IOException {
        return YAML.readValue(file.toFile(), Map.class);
    }
}
