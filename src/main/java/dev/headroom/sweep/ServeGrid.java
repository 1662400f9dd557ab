package dev.headroom.sweep;

import dev.headroom.server.SimLauncher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The server configs of a sweep: {@code --serve a.yaml,b.yaml} (one {@link ServeVariant} per file) or
 * {@code --serve-grid 'max_num_seqs=64,128;max_num_batched_tokens=2048,8192'} (the cartesian product), each over
 * {@code --serve-base FILE} when given. Keys take vLLM's names with underscores, as vLLM's FlexibleArgumentParser
 * treats {@code -} and {@code _} alike.
 */
public final class ServeGrid {

    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][+-]?\\d+)?");
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._+=,-]");

    private ServeGrid() {}

    /**
     * The variants the three options describe; an empty list when none is given (the sweep then runs one
     * {@code default} config).
     *
     * @param serve     {@code --serve}: comma-separated YAML files, or null
     * @param serveBase {@code --serve-base}: a vLLM {@code --config} YAML under every variant, or null
     * @param serveGrid {@code --serve-grid}: {@code KEY=V1,V2;KEY=V1,...}, or null
     * @throws IllegalArgumentException one line naming the option, the value and what is accepted
     */
    public static List<ServeVariant> variants(String serve, Path serveBase, String serveGrid) {
        if (serve != null && serveGrid != null) {
            throw new IllegalArgumentException("--serve and --serve-grid cannot be combined: give config files "
                    + "(--serve a.yaml,b.yaml) or one grid over a base (--serve-base FILE --serve-grid 'KEY=V1,V2;...')");
        }
        Map<String, Object> base = serveBase == null ? Map.of() : ServeYaml.read(serveBase, "--serve-base");
        if (serve != null) return fromFiles(files(serve), base);
        if (serveGrid != null) return fromGrid(base, serveGrid);
        if (serveBase != null) return List.of(new ServeVariant(fileLabel(serveBase), base, serveBase));
        return List.of();
    }

    /**
     * The single config of a sweep without {@code --serve}/{@code --serve-grid}: labelled {@code default}, the
     * embedded simulator's model with no serving flag (vLLM's own defaults).
     */
    public static ServeVariant embeddedDefault() {
        Map<String, Object> recipe = new LinkedHashMap<>();
        recipe.put("model", SimLauncher.DEFAULT_MODEL);
        return new ServeVariant("default", recipe, null);
    }

    /** One config file as one variant, labelled by its name ({@code serve FILE.yaml}). */
    public static ServeVariant single(Path file) {
        return new ServeVariant(fileLabel(file), ServeYaml.read(file, "serve"), file);
    }

    /** {@code --serve}'s list: comma-separated paths. */
    static List<Path> files(String serve) {
        List<Path> files = new ArrayList<>();
        for (String part : serve.split(",", -1)) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("--serve: '" + serve + "' has an empty entry; expected a.yaml,b.yaml");
            }
            files.add(Path.of(part.trim()));
        }
        return files;
    }

    /** One variant per file, each merged over {@code base}, labelled by the file's name (made unique). */
    static List<ServeVariant> fromFiles(List<Path> files, Map<String, Object> base) {
        List<ServeVariant> variants = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (Path file : files) {
            Map<String, Object> values = new LinkedHashMap<>(base);
            values.putAll(ServeYaml.read(file, "--serve"));
            variants.add(new ServeVariant(unique(fileLabel(file), labels), values, file));
        }
        return variants;
    }

    /** The cartesian product of the grid's axes over {@code base}, first axis slowest. */
    static List<ServeVariant> fromGrid(Map<String, Object> base, String grid) {
        Map<String, List<String>> axes = axes(grid);
        List<ServeVariant> variants = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        List<Map.Entry<String, List<String>>> entries = new ArrayList<>(axes.entrySet());
        int total = entries.stream().mapToInt(e -> e.getValue().size()).reduce(1, Math::multiplyExact);
        for (int cell = 0; cell < total; cell++) {
            Map<String, Object> values = new LinkedHashMap<>(base);
            List<String> parts = new ArrayList<>();
            int rest = cell;
            int stride = total;
            for (Map.Entry<String, List<String>> axis : entries) {
                stride /= axis.getValue().size();
                String text = axis.getValue().get(rest / stride);
                rest %= stride;
                values.put(axis.getKey(), typed(text));
                parts.add(axis.getKey() + "=" + text);
            }
            variants.add(new ServeVariant(unique(safe(String.join(",", parts)), labels), values, null));
        }
        return variants;
    }

    /** {@code KEY=V1,V2;KEY=V1} as ordered axes; keys normalised to underscores. */
    static Map<String, List<String>> axes(String grid) {
        if (grid == null || grid.isBlank()) {
            throw new IllegalArgumentException("--serve-grid: empty; expected e.g. 'max_num_seqs=64,128;max_num_batched_tokens=2048,8192'");
        }
        Map<String, List<String>> axes = new LinkedHashMap<>();
        for (String segment : grid.split(";")) {
            if (segment.isBlank()) continue;
            int eq = segment.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("--serve-grid: '" + segment.trim() + "' has no '='; expected KEY=V1,V2 "
                        + "separated by ';', e.g. 'max_num_seqs=64,128;max_num_batched_tokens=2048,8192'");
            }
            String rawKey = segment.substring(0, eq).trim();
            if (!KEY.matcher(rawKey).matches()) {
                throw new IllegalArgumentException("--serve-grid: '" + rawKey + "' is not a vLLM flag name; expected "
                        + "letters, digits, '_' or '-', e.g. max_num_seqs");
            }
            String key = rawKey.replace('-', '_');
            if (axes.containsKey(key)) throw new IllegalArgumentException("--serve-grid: key '" + key + "' is given twice");
            axes.put(key, values(key, segment.substring(eq + 1)));
        }
        if (axes.isEmpty()) throw new IllegalArgumentException("--serve-grid: '" + grid + "' names no key");
        return axes;
    }

    private static List<String> values(String key, String list) {
        List<String> values = new ArrayList<>();
        for (String v : list.split(",", -1)) {
            String text = v.trim();
            if (text.isEmpty()) {
                throw new IllegalArgumentException("--serve-grid: key '" + key + "' has an empty value in '" + list.trim()
                        + "'; expected V1,V2,...");
            }
            if (values.contains(text)) {
                throw new IllegalArgumentException("--serve-grid: key '" + key + "' lists '" + text + "' twice");
            }
            values.add(text);
        }
        return values;
    }

    /** A grid value as YAML would type it: boolean, integer, decimal, else text (e.g. {@code 32k}, a model id). */
    static Object typed(String text) {
        if (text.equalsIgnoreCase("true")) return Boolean.TRUE;
        if (text.equalsIgnoreCase("false")) return Boolean.FALSE;
        if (INTEGER.matcher(text).matches()) {
            long n = Long.parseLong(text);
            return n == (int) n ? (Object) (int) n : (Object) n;
        }
        if (DECIMAL.matcher(text).matches()) return Double.parseDouble(text);
        return text;
    }

    private static String fileLabel(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.(ya?ml)$", "");
        return safe(name.isEmpty() ? "config" : name);
    }

    /** Characters a file name may hold on every common file system; others become {@code _}. */
    static String safe(String label) {
        String s = UNSAFE.matcher(label).replaceAll("_");
        return s.equals(".") || s.equals("..") ? "_" + s : s;
    }

    private static String unique(String label, Set<String> taken) {
        String candidate = label;
        for (int n = 2; !taken.add(candidate); n++) candidate = label + "-" + n;
        return candidate;
    }
}
