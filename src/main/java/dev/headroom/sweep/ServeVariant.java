package dev.headroom.sweep;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One server configuration of a sweep: a vLLM {@code --config} YAML's keys under vLLM's names (base file merged
 * with one cell of {@code --serve-grid}, or one {@code --serve} file).
 *
 * @param label  a short, file-safe name for the config, unique within the sweep (e.g. {@code max_num_seqs=64,max_num_batched_tokens=2048})
 * @param values every key of the merged YAML, vLLM's names with underscores ({@code model}, {@code max_num_seqs}, …),
 *               in the file's order (kept, so written config files and vLLM's {@code non-default args} line read alike);
 *               no null values
 * @param source the YAML file it came from, or null when it was built from a grid cell
 */
public record ServeVariant(String label, Map<String, Object> values, Path source) {

    public ServeVariant {
        if (label == null || label.isBlank()) throw new IllegalArgumentException("a serve variant needs a label");
        if (values.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
            throw new IllegalArgumentException("serve variant '" + label + "' has a key or value that is null");
        }
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
