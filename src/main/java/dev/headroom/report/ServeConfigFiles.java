package dev.headroom.report;

import dev.headroom.results.ToolVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The versioned {@code vllm serve --config} files beside the playbook, in the lab's layout
 * {@code configs/vllm/<model>_<workload>_<gpu class>.yaml} (the lab's {@code qwen2p5_1p5b_chat_16gb.yaml}): one per
 * recipe whose server flags the sweep knows, each opened by a comment saying what it is for, the study it came from,
 * the headroom version that wrote it and the hash of its settings (the one the provenance table names).
 */
final class ServeConfigFiles {

    /** The folder under the playbook's, as a recipe names it. */
    static final String DIR = "configs/vllm";

    /** {@code configs/vllm}, or {@code configs/sglang} for an SGLang recipe. */
    private static String dir(Recipe r) {
        return ServerKind.of(r.curve()) == ServerKind.SGLANG ? "configs/sglang" : DIR;
    }

    private ServeConfigFiles() {}

    /** Writes the file of every recipe with known flags under {@code out}; returns their paths, in recipe order. */
    static List<Path> write(List<Recipe> recipes, Path out) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Recipe r : recipes) {
            // llama-server reads no config file: its recipe is a command line only.
            if (!ServeConfigText.known(r) || ServeConfigText.yaml(r) == null) continue;
            Path file = out.resolve(name(r, recipes));
            Files.createDirectories(file.getParent());
            Files.writeString(file, text(r));
            written.add(file);
        }
        return written;
    }

    /**
     * The file's path relative to the playbook, e.g. {@code configs/vllm/qwen2p5_1p5b_chat_16gb.yaml}: the GPU class is
     * its memory, as in the lab, unless two recipes of the same model and workload share it (then the GPU's id too).
     */
    static String name(Recipe r, List<Recipe> recipes) {
        String stem = model(r) + "_" + workload(r) + "_";
        boolean shared = recipes.stream().anyMatch(o -> o != r && workload(o).equals(workload(r))
                && model(o).equals(model(r)) && gpu(o).equals(gpu(r)));
        return dir(r) + "/" + stem + gpu(r) + (shared ? "_" + slug(r.gpu().id()) : "") + ".yaml";
    }

    /** The header comment, then the config as {@link ServeConfigText#yaml} gives it. */
    static String text(Recipe r) {
        Curve c = r.curve();
        boolean sglang = ServerKind.of(c) == ServerKind.SGLANG;
        return "# " + (sglang ? "SGLang" : "vLLM") + " server config: " + r.workloadTitle().toLowerCase(Locale.ROOT) + " on " + r.gpu().label()
                + (sglang ? ".\n# Start it: python -m sglang.launch_server --config <this file>.\n"
                : ".\n# Start it: vllm serve --config <this file> (or ./headroom serve <this file>, which waits for health).\n")
                + "# From the study's sweep '" + c.sweep().label() + "' (" + c.source() + ")"
                + (r.recommended() == null ? "" : ", recommended at " + c.loadText(r.recommended().load())) + ".\n"
                + "# Written by headroom " + ToolVersion.version() + "; config hash " + Handover.hash(r.serve())
                + " (SHA-256 of the settings, as the playbook's provenance names it).\n"
                + ServeConfigText.yaml(r);
    }

    /** {@code qwen2.5-1.5b-instruct} → {@code qwen2p5_1p5b}: the lab's spelling, without the instruct suffix. */
    private static String model(Recipe r) {
        String m = r.curve().model() == null || r.curve().model().isBlank() ? "model" : r.curve().model();
        int slash = m.lastIndexOf('/');
        m = m.substring(slash + 1).toLowerCase(Locale.ROOT).replaceAll("[-_]instruct$", "");
        return slug(m.replace('.', 'p'));
    }

    /** The lab's word for the workload: batch summarization is {@code batch} (as in the bundled configs/vllm/). */
    private static String workload(Recipe r) {
        return r.workload().equals("summarize") ? "batch" : slug(r.workload());
    }

    /** {@code 16gb} for a GPU in the catalog, else the hardware's own id ({@code cpu}). */
    private static String gpu(Recipe r) {
        return r.gpu().memoryGb() > 0 ? r.gpu().memoryGb() + "gb" : slug(r.gpu().id());
    }

    private static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }
}
