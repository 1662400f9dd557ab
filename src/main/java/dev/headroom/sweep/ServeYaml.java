package dev.headroom.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and writes vLLM {@code --config} YAML files: a mapping of long flag names to values. */
public final class ServeYaml {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private ServeYaml() {}

    /**
     * The file's keys with {@code -} turned into {@code _} (vLLM accepts both), in file order.
     *
     * @param option the option that named the file, for the one-line error
     */
    public static Map<String, Object> read(Path file, String option) {
        Object root;
        try {
            root = YAML.readValue(file.toFile(), Object.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IllegalArgumentException(option + ": file '" + file + "' not found");
        } catch (IOException e) {
            String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException(option + ": cannot read '" + file + "' as YAML: " + first);
        }
        if (root == null) return Map.of();
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(option + ": '" + file + "' must be a mapping of vLLM flags (key: value)");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (v == null) {
                throw new IllegalArgumentException(option + ": key '" + k + "' in '" + file + "' has no value; write e.g. '"
                        + k + ": true'");
            }
            values.put(String.valueOf(k).replace('-', '_'), v);
        });
        return values;
    }

    /** Writes {@code values} as a YAML mapping (creating the folder), the file vLLM's {@code --config} reads. */
    public static void write(Map<String, ?> values, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        YAML.writeValue(file.toFile(), new LinkedHashMap<>(values));
    }

    /** {@code values} as the text of a YAML mapping, as {@link #write} writes it. */
    public static String text(Map<String, ?> values) {
        try {
            return YAML.writeValueAsString(new LinkedHashMap<>(values));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
